"""Reads of forums, members, meetings and cases for pages. The visibility filter here matches
forums/rules.py (forums.view_forum) exactly, and every page's reads are a fixed number of queries."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.forums.access import forum_access
from kompetansebro.forums.models import (
    AgendaCase,
    CaseAttachment,
    Forum,
    ForumMembership,
    Meeting,
    MemberRole,
    MinutesStatus,
)
from kompetansebro.matching.models import MatchSuggestion
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import is_platform_admin

ROLE_ORDER = [
    MemberRole.CHAIR,
    MemberRole.DEPUTY_CHAIR,
    MemberRole.MEMBER,
    MemberRole.DEPUTY,
    MemberRole.OBSERVER,
    MemberRole.SECRETARIAT,
]


def _visible_condition(user) -> Q | None:
    """Q for the forums the person sees (forums.view_forum); None means all of them."""
    if is_platform_admin(user):
        return None
    condition = Q(is_public=True)
    seats = forum_access(user).member_forum_ids
    if seats:
        condition |= Q(pk__in=seats)
    profile = access_profile(user)
    if profile.region_ids:
        condition |= Q(region_id__in=profile.region_ids)
    if profile.admin_org_ids:
        condition |= Q(owner_id__in=profile.admin_org_ids)
    return condition


def forums_visible_to(user, *, region=None, kind: str = "") -> QuerySet[Forum]:
    forums = Forum.objects.select_related("owner", "region")
    condition = _visible_condition(user)
    if condition is not None:
        forums = forums.filter(condition)
    if region is not None:
        forums = forums.filter(region=region)
    if kind:
        forums = forums.filter(kind=kind)
    now = timezone.now()
    return forums.annotate(
        upcoming_meetings=Count("meetings", filter=Q(meetings__starts_at__gte=now), distinct=True)
    ).order_by("name", "pk")


def forum_by_slug(slug: str) -> Forum | None:
    return Forum.objects.select_related("owner", "region").filter(slug=slug).first()


def _current(today) -> Q:
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def memberships(forum: Forum) -> QuerySet[ForumMembership]:
    return ForumMembership.objects.filter(forum=forum).select_related("person", "organisation")


@dataclass
class RoleGroup:
    role: str
    label: str
    members: list = field(default_factory=list)


def members_by_role(forum: Forum) -> list[RoleGroup]:
    """The current members grouped by role, chair first; one query."""
    today = timezone.localdate()
    groups = {role: RoleGroup(role=role.value, label=role.label) for role in ROLE_ORDER}
    for membership in memberships(forum).filter(_current(today)).order_by("person__full_name", "pk"):
        groups[MemberRole(membership.role)].members.append(membership)
    return [group for group in groups.values() if group.members]


def member_history(forum: Forum) -> tuple[list[ForumMembership], list[ForumMembership], list[ForumMembership]]:
    """(current, coming, former) seats; one query."""
    today = timezone.localdate()
    current, coming, former = [], [], []
    ordering = {role: index for index, role in enumerate(ROLE_ORDER)}
    rows = sorted(
        memberships(forum).order_by("person__full_name", "starts_on", "pk"),
        key=lambda m: (ordering[MemberRole(m.role)], m.person.full_name, m.starts_on, m.pk),
    )
    for membership in rows:
        if membership.starts_on > today:
            coming.append(membership)
        elif membership.ends_on is not None and membership.ends_on < today:
            former.append(membership)
        else:
            current.append(membership)
    former.sort(key=lambda m: (m.ends_on, m.pk), reverse=True)
    return current, coming, former


def forum_meetings(forum: Forum) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming soonest first, past latest first), each with its number of cases; one query."""
    now = timezone.now()
    meetings = list(Meeting.objects.filter(forum=forum).annotate(case_count=Count("cases")).order_by("starts_at", "pk"))
    for meeting in meetings:
        meeting.forum = forum
    upcoming = [m for m in meetings if (m.ends_at or m.starts_at) >= now]
    past = [m for m in meetings if (m.ends_at or m.starts_at) < now]
    past.reverse()
    return upcoming, past


def meeting_for_page(forum: Forum, pk: int) -> Meeting | None:
    meeting = Meeting.objects.filter(forum=forum, pk=pk).first()
    if meeting is not None:
        meeting.forum = forum
    return meeting


def agenda(meeting: Meeting) -> list[AgendaCase]:
    """The meeting's cases in agenda order with their attachment counts; one query."""
    cases = list(
        AgendaCase.objects.filter(meeting=meeting)
        .annotate(attachment_count=Count("attachments"))
        .order_by("position", "kind", "number", "pk")
    )
    for case in cases:
        case.meeting = meeting
        case.forum = meeting.forum
    return cases


def case_for_page(forum: Forum, pk: int) -> AgendaCase | None:
    case = AgendaCase.objects.filter(forum=forum, pk=pk).select_related("meeting").first()
    if case is not None:
        case.forum = case.meeting.forum = forum
    return case


def case_attachments(case: AgendaCase) -> list[CaseAttachment]:
    attachments = list(CaseAttachment.objects.filter(case=case).select_related("uploaded_by"))
    for attachment in attachments:
        attachment.case = case
    return attachments


def case_needs(case: AgendaCase) -> list[CompetenceNeed]:
    """The needs attached to the case with what the table shows and their best matches; three queries."""
    return list(
        case.needs.select_related("organisation", "field", "municipality")
        .prefetch_related(
            Prefetch(
                "match_suggestions",
                queryset=MatchSuggestion.objects.filter(rank__lte=3).select_related("offering__provider"),
                to_attr="best_matches",
            )
        )
        .order_by("municipality__name", "organisation__name", "pk")
    )


def case_development_requests(case: AgendaCase):
    return list(case.development_requests.select_related("region").order_by("created_at", "pk"))


def attachment_for_download(forum: Forum, pk: int) -> CaseAttachment | None:
    attachment = CaseAttachment.objects.filter(pk=pk, case__forum=forum).select_related("case").first()
    if attachment is not None:
        attachment.case.forum = forum
    return attachment


def forum_history(forum: Forum, *, page: int | str = 1, per_page: int = 50):
    """One page of the history of the forum, its members (recorded on the forum), its meetings and its cases,
    newest first."""
    types = ContentType.objects.get_for_models(Forum, Meeting, AgendaCase, for_concrete_models=False)

    def ids(queryset):
        return queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")

    entries = (
        AuditEntry.objects.filter(
            Q(content_type=types[Forum], object_id=str(forum.pk))
            | Q(content_type=types[Meeting], object_id__in=ids(Meeting.objects.filter(forum=forum)))
            | Q(content_type=types[AgendaCase], object_id__in=ids(AgendaCase.objects.filter(forum=forum)))
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    return Paginator(entries, per_page).get_page(page)


def _forums_seen_by(user) -> QuerySet[Forum]:
    condition = _visible_condition(user)
    return Forum.objects.all() if condition is None else Forum.objects.filter(condition)


def next_meetings(user, *, limit: int = 5) -> list[Meeting]:
    """The next meetings of the forums the person sees (forums.view_meeting), soonest first; one query."""
    return list(
        Meeting.objects.filter(forum__in=_forums_seen_by(user), starts_at__gte=timezone.now())
        .select_related("forum__region")
        .order_by("starts_at", "pk")[:limit]
    )


def latest_approved_minutes(user, *, limit: int = 5) -> list[Meeting]:
    """The meetings whose minutes were approved last, in the forums the person sees (approved minutes are as
    public as the forum), newest approval first; each with `approved_at` of its newest version; one query."""
    approved = Q(minutes__status=MinutesStatus.APPROVED)
    return list(
        Meeting.objects.filter(approved, forum__in=_forums_seen_by(user))
        .annotate(minutes_approved_at=Max("minutes__approved_at", filter=approved))
        .select_related("forum__region")
        .order_by("-minutes_approved_at", "-pk")[:limit]
    )
