"""A person's seats in forums, read once per request (like organisations.access): the predicates in rules.py
read only this, so checking many meetings or cases on a page adds no queries."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from kompetansebro.forums.models import Attendance, AttendanceStatus, ForumMembership, MemberRole

_CACHE_ATTRIBUTE = "_kompetansebro_forum_access"
LIMITED_ROLES = (MemberRole.DEPUTY, MemberRole.OBSERVER)


@dataclass(frozen=True)
class ForumAccess:
    member_forum_ids: frozenset[int] = frozenset()  # any current seat, secretariat included
    secretariat_forum_ids: frozenset[int] = frozenset()
    # Seats that get the exempt (closed) papers of every meeting: not deputies, not observers.
    full_seat_forum_ids: frozenset[int] = frozenset()
    # Meetings a current deputy is called in to: the attendance has them attending for a member.
    called_in_meeting_ids: frozenset[int] = frozenset()


EMPTY = ForumAccess()


def forum_access(user) -> ForumAccess:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    seats = list(
        ForumMembership.objects.filter(person=user, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("forum_id", "role")
    )
    deputy_forum_ids = [forum_id for forum_id, role in seats if role == MemberRole.DEPUTY]
    called_in = (
        Attendance.objects.filter(
            person=user, status=AttendanceStatus.DEPUTY, meeting__forum_id__in=deputy_forum_ids
        ).values_list("meeting_id", flat=True)
        if deputy_forum_ids
        else []
    )
    access = ForumAccess(
        member_forum_ids=frozenset(forum_id for forum_id, _ in seats),
        secretariat_forum_ids=frozenset(forum_id for forum_id, role in seats if role == MemberRole.SECRETARIAT),
        full_seat_forum_ids=frozenset(forum_id for forum_id, role in seats if role not in LIMITED_ROLES),
        called_in_meeting_ids=frozenset(called_in),
    )
    setattr(user, _CACHE_ATTRIBUTE, access)
    return access


def forget_forum_access(user) -> None:
    """Call after changing someone's seats within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
