"""Reads of grant schemes, their rounds and annual wheels for pages, and the eligibility check other parts
use (`scheme_allows_municipality`). Schemes, rounds and wheels are public (grants/rules.py); every page's
reads are a fixed number of queries."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompetansebro.audit.models import AuditEntry
from kompetansebro.forums.models import Forum, Meeting
from kompetansebro.grants.models import GrantRound, GrantScheme, ReportQuestion, WheelStep
from kompetansebro.organisations.models import OrganisationKind

# ---- eligibility ------------------------------------------------------------------------------------------


def scheme_allows_municipality(scheme: GrantScheme, municipality) -> bool:
    """True when the scheme is meant for the municipality: it has no target centrality classes, or the
    municipality's SSB centrality class is one of them. `municipality` may be None (an organisation without
    one): allowed only by a scheme without target classes."""
    classes = scheme.target_centrality_classes or []
    if not classes:
        return True
    if municipality is None:
        return False
    return int(municipality.centrality_class) in {int(value) for value in classes}


def centrality_text(classes) -> str:
    """ "Municipalities in centrality class 5 and 6" (nb: "Kommuner i sentralitetsklasse 5 og 6"), or that every
    municipality may receive the grant."""
    values = sorted({int(value) for value in classes or []})
    if not values:
        return _("Every municipality, whatever its centrality class")
    listed = str(get_text_list([str(value) for value in values], _("and")))
    return ngettext(
        "Municipalities in centrality class %(classes)s",
        "Municipalities in centrality classes %(classes)s",
        len(values),
    ) % {"classes": listed}


def submitters_text(scheme: GrantScheme) -> str:
    """Who may submit priority lists in the scheme's rounds, in words (grants/eligibility.py)."""
    kinds = [str(OrganisationKind(kind).label) for kind in scheme.eligible_kinds if kind in OrganisationKind.values]
    invited = [organisation.name for organisation in scheme.invited_organisations.order_by("name", "pk")]
    parts = []
    if kinds:
        parts.append(_("%(kinds)s in the round's region") % {"kinds": get_text_list(kinds, _("and"))})
    if invited:
        parts.append(_("invited: %(names)s") % {"names": get_text_list(invited, _("and"))})
    if not parts:
        return _("Nobody yet: the scheme's owner chooses the kinds of organisation or invites organisations.")
    return _("Priority lists may be submitted by: %(who)s.") % {"who": "; ".join(parts)}


# ---- schemes ----------------------------------------------------------------------------------------------


def schemes_for_list() -> QuerySet[GrantScheme]:
    return (
        GrantScheme.objects.select_related("owner", "parent")
        .annotate(round_count=Count("rounds", distinct=True))
        .order_by("-is_active", "name", "pk")
    )


def scheme_by_slug(slug: str) -> GrantScheme | None:
    return GrantScheme.objects.select_related("owner", "parent__owner").filter(slug=slug).first()


def scheme_children(scheme: GrantScheme) -> list[GrantScheme]:
    return list(GrantScheme.objects.filter(parent=scheme).select_related("owner").order_by("name", "pk"))


def scheme_rounds(scheme: GrantScheme) -> list[GrantRound]:
    rounds = list(GrantRound.objects.filter(scheme=scheme).select_related("region", "forum").order_by("-year", "name"))
    for grant_round in rounds:
        grant_round.scheme = scheme
    return rounds


def report_questions(scheme: GrantScheme) -> list[ReportQuestion]:
    questions = list(ReportQuestion.objects.filter(scheme=scheme).order_by("position", "pk"))
    for question in questions:
        question.scheme = scheme
    return questions


def scheme_history(scheme: GrantScheme, *, page: int | str = 1, per_page: int = 50):
    """One page of the history of the scheme (its rules, report template and annual wheel) and of its rounds,
    newest first."""
    types = ContentType.objects.get_for_models(GrantScheme, GrantRound, for_concrete_models=False)
    round_ids = GrantRound.objects.filter(scheme=scheme).annotate(text_id=Cast("pk", CharField())).values("text_id")
    entries = (
        AuditEntry.objects.filter(
            Q(content_type=types[GrantScheme], object_id=str(scheme.pk))
            | Q(content_type=types[GrantRound], object_id__in=round_ids)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    return Paginator(entries, per_page).get_page(page)


# ---- the annual wheel -------------------------------------------------------------------------------------


def wheel_year(value) -> int:
    """The year asked for with ?year=, or this year when it is missing or not a sensible year."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _in_year(year: int) -> Q:
    return Q(starts_on__lte=datetime.date(year, 12, 31)) & Q(last_day__gte=datetime.date(year, 1, 1))


def wheel_steps(*, year: int, scheme: GrantScheme | None = None, forum: Forum | None = None) -> list[WheelStep]:
    """The steps of a scheme's (or a forum's) wheel that touch `year`, a step from October to March included
    in both years; one query."""
    steps = WheelStep.objects.annotate(last_day=Coalesce("ends_on", "starts_on")).filter(_in_year(year))
    if scheme is not None:
        steps = steps.filter(scheme=scheme)
    if forum is not None:
        steps = steps.filter(forum=forum)
    return list(steps.select_related("scheme", "round__forum", "forum").order_by("starts_on", "pk"))


def wheel_years(*, scheme: GrantScheme | None = None, forum: Forum | None = None) -> list[int]:
    """The years the wheel has steps in, for the year navigation; one query."""
    steps = WheelStep.objects.all()
    if scheme is not None:
        steps = steps.filter(scheme=scheme)
    if forum is not None:
        steps = steps.filter(forum=forum)
    years = set()
    for start, end in steps.values_list("starts_on", "ends_on"):
        years.update(range(start.year, (end or start).year + 1))
    return sorted(years)


def forum_meetings_in(forum: Forum, year: int) -> list[Meeting]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    meetings = list(
        Meeting.objects.filter(forum=forum, starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")
    )
    for meeting in meetings:
        meeting.forum = forum
    return meetings


@dataclass
class WheelEntry:
    """A step or a meeting as the month view and the list show it."""

    title: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    step: WheelStep | None = None
    meeting: Meeting | None = None
    continues_from_before: bool = False
    continues_after: bool = False

    @property
    def last_day(self) -> datetime.date:
        return self.ends_on or self.starts_on

    @property
    def spans(self) -> bool:
        return self.ends_on is not None and self.ends_on != self.starts_on


@dataclass
class Month:
    number: int
    name: str
    first: datetime.date
    last: datetime.date
    entries: list[WheelEntry] = field(default_factory=list)


def wheel_entries(steps: list[WheelStep], meetings: list[Meeting] = ()) -> list[WheelEntry]:
    entries = [
        WheelEntry(
            title=step.title,
            kind=step.get_kind_display(),
            starts_on=step.starts_on,
            ends_on=step.ends_on,
            step=step,
        )
        for step in steps
    ]
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        entries.append(WheelEntry(title=str(meeting), kind=_("meeting"), starts_on=day, meeting=meeting))
    entries.sort(key=lambda entry: (entry.starts_on, entry.last_day, entry.title))
    return entries


def month_view(year: int, entries: list[WheelEntry]) -> list[Month]:
    """Twelve months, each with the entries that touch it; an entry spanning months appears in each of them,
    marked as continuing from the month before or into the month after."""
    months = []
    for number in range(1, 13):
        first = datetime.date(year, number, 1)
        last = datetime.date(year, number, calendar.monthrange(year, number)[1])
        month = Month(number=number, name=str(MONTHS[number]), first=first, last=last)
        for entry in entries:
            if entry.starts_on <= last and entry.last_day >= first:
                month.entries.append(
                    WheelEntry(
                        title=entry.title,
                        kind=entry.kind,
                        starts_on=entry.starts_on,
                        ends_on=entry.ends_on,
                        step=entry.step,
                        meeting=entry.meeting,
                        continues_from_before=entry.starts_on < first,
                        continues_after=entry.last_day > last,
                    )
                )
        months.append(month)
    return months
