"""A person's seats in forums, read once per request (like organisations.access): the predicates in rules.py
read only this, so checking many meetings or cases on a page adds no queries."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from kompetansebro.forums.models import ForumMembership, MemberRole

_CACHE_ATTRIBUTE = "_kompetansebro_forum_access"


@dataclass(frozen=True)
class ForumAccess:
    member_forum_ids: frozenset[int] = frozenset()  # any current seat, secretariat included
    secretariat_forum_ids: frozenset[int] = frozenset()


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
    access = ForumAccess(
        member_forum_ids=frozenset(forum_id for forum_id, _ in seats),
        secretariat_forum_ids=frozenset(forum_id for forum_id, role in seats if role == MemberRole.SECRETARIAT),
    )
    setattr(user, _CACHE_ATTRIBUTE, access)
    return access


def forget_forum_access(user) -> None:
    """Call after changing someone's seats within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
