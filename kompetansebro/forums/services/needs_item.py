"""Needs as a fixed agenda item: one action builds the case "Competence needs reported since the previous meeting"
(Kompetansebehov meldt siden forrige møte) from
the region's qualified needs that no earlier agenda of the forum has carried, with their best matches and
development requests; presenting the case moves those needs to "presented in forum".

Which needs: status "qualified" (so not yet presented), in the forum's region (the need's municipality or
its organisation's municipality is one of the region's municipalities), visible to the region (visibility
"organisation" only when the region itself registered the need), and not attached to any case of this
forum yet — that is what "reported since the previous meeting" means here: a qualified need that was not
taken up at an earlier meeting is carried to the next one rather than lost.

The facts name the organisations only in a forum that is not public: a public forum's open case is shown to
everyone, and needs are public only in anonymised form. The case page lists the attached needs with each
reader's own right to see them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompetansebro.audit.services import log_action
from kompetansebro.development.models import DevelopmentRequest, RequestStatus
from kompetansebro.forums.models import AgendaCase, CaseKind, Meeting
from kompetansebro.forums.services.cases import case_create
from kompetansebro.matching.models import MatchSuggestion
from kompetansebro.matching.services import current_state
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, Visibility
from kompetansebro.needs.services import need_change_status

BEST_MATCHES = 3


def needs_for_agenda(meeting: Meeting) -> QuerySet[CompetenceNeed]:
    """The needs the next needs case of the meeting's forum would carry, with what the facts show."""
    forum = meeting.forum
    if forum.region_id is None:
        return CompetenceNeed.objects.none()
    municipalities = forum.region.municipalities.values("pk")
    return (
        CompetenceNeed.objects.filter(status=NeedStatus.QUALIFIED)
        .filter(Q(municipality_id__in=municipalities) | Q(organisation__municipality_id__in=municipalities))
        .filter(~Q(visibility=Visibility.ORGANISATION) | Q(registered_by_region_id=forum.region_id))
        .exclude(pk__in=AgendaCase.needs.through.objects.filter(agendacase__forum=forum).values("competenceneed_id"))
        .select_related("organisation", "field", "municipality")
        .prefetch_related(
            Prefetch(
                "match_suggestions",
                queryset=MatchSuggestion.objects.filter(rank__lte=BEST_MATCHES)
                .select_related("offering__provider")
                .order_by("rank"),
                to_attr="best_matches",
            ),
            Prefetch(
                "development_requests",
                queryset=DevelopmentRequest.objects.exclude(status=RequestStatus.DRAFT).order_by("created_at", "pk"),
                to_attr="sent_requests",
            ),
        )
        .order_by("municipality__name", "organisation__name", "pk")
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(forum_id=meeting.forum_id, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at", "-pk")
        .first()
    )


def _need_lines(number: int, need: CompetenceNeed, *, identify: bool) -> list[str]:
    who = need.organisation.name if identify else need.organisation.get_kind_display()
    heading = need.title if identify else need.field.name
    lines = [
        _("%(number)s. %(heading)s – %(who)s, %(municipality)s")
        % {"number": number, "heading": heading, "who": who, "municipality": need.municipality.name},
        "   "
        + _("Field: %(field)s. Level: %(level)s. Persons: %(persons)s.")
        % {
            "field": need.field.name,
            "level": need.get_level_display() or _("not decided"),
            "persons": need.persons,
        },
    ]
    if need.best_matches:
        matches = "; ".join(
            _("%(offering)s (%(provider)s, score %(score)s)")
            % {
                "offering": match.offering.title,
                "provider": match.offering.provider.name,
                "score": f"{match.score:.2f}".replace(".", ","),
            }
            for match in need.best_matches
        )
        lines.append("   " + _("Best matches: %(matches)s.") % {"matches": matches})
    else:
        lines.append("   " + _("No matching offering found."))
    for request in need.sent_requests:
        lines.append(
            "   "
            + _("Development request: %(title)s (%(status)s).")
            % {
                "title": request.title if identify else _("sent to providers"),
                "status": request.get_status_display(),
            }
        )
    return lines


def needs_case_build(*, actor, meeting: Meeting) -> AgendaCase:
    """Build the needs case on the meeting's agenda. Refused when the forum has no region or no needs are
    waiting."""
    forum = meeting.forum
    if forum.region_id is None:
        raise ValidationError(_("The forum has no region, so there are no needs to put on the agenda."))
    # The case quotes each need's best matches: needs whose suggestions are stale or were never computed (just
    # registered, or the catalogue changed) are ranked first, as the need page does.
    for need in needs_for_agenda(meeting).filter(Q(match_state__isnull=True) | Q(match_state__stale=True)):
        current_state(need)
    needs = list(needs_for_agenda(meeting))
    if not needs:
        raise ValidationError(
            _("No qualified needs in %(region)s are waiting to be presented in this forum.")
            % {"region": forum.region.name}
        )
    identify = not forum.is_public
    previous = previous_meeting(meeting)
    requests = {request.pk: request for need in needs for request in need.sent_requests}
    persons = sum(need.persons for need in needs)
    if previous is not None:
        background = _(
            "Qualified competence needs from %(region)s that have been reported since the previous meeting "
            "(%(date)s) and not yet presented in the forum."
        ) % {"region": forum.region.name, "date": timezone.localtime(previous.starts_at).strftime("%d.%m.%Y")}
    else:
        background = _("Qualified competence needs from %(region)s that have not yet been presented in the forum.") % {
            "region": forum.region.name
        }
    summary = ngettext(
        "%(count)s need for %(persons)s persons.",
        "%(count)s needs for %(persons)s persons.",
        len(needs),
    ) % {"count": len(needs), "persons": persons}
    lines = [summary, ""]
    for number, need in enumerate(needs, start=1):
        lines.extend(_need_lines(number, need, identify=identify))
    with transaction.atomic():
        case = case_create(
            actor=actor,
            meeting=meeting,
            kind=CaseKind.DECISION,
            title=_("Competence needs reported since the previous meeting"),
            background=background,
            facts="\n".join(lines),
            assessment=_(
                "Needs with a good match can be followed up with the providers at once. Needs without a fitting "
                "offering can be sent to providers as a development request."
            ),
            recommendation=_(
                "The forum takes the reported competence needs into account and asks the secretariat to follow "
                "them up with the education providers."
            ),
            needs=needs,
            development_requests=list(requests.values()),
        )
        log_action(
            actor=actor,
            action="forums.case.needs_item_built",
            target=case,
            data={"needs": [need.pk for need in needs], "development_requests": sorted(requests)},
        )
    return case


def needs_to_present(case: AgendaCase) -> QuerySet[CompetenceNeed]:
    return case.needs.filter(status=NeedStatus.QUALIFIED).order_by("pk")


def needs_case_present(*, actor, case: AgendaCase) -> int:
    """Move the case's needs that are still "qualified" to "presented in forum", with the case label as the
    reason. All or nothing; refused when none are left to present. Returns how many moved."""
    with transaction.atomic():
        AgendaCase.objects.select_for_update().get(pk=case.pk)
        needs = list(needs_to_present(case))
        if not needs:
            raise ValidationError(_("There are no needs in this case left to present."))
        reason = _("Presented in %(forum)s, case %(label)s.") % {"forum": case.forum.name, "label": case.label}
        for need in needs:
            need_change_status(actor=actor, need=need, to_status=NeedStatus.PRESENTED, reason=reason)
        log_action(
            actor=actor,
            action="forums.case.needs_presented",
            target=case,
            data={"needs": [need.pk for need in needs]},
        )
    return len(needs)
