"""What a person may reach, computed once per request from memberships and region roles.

Predicates in every app's rules.py read this profile, so a list page with a permission check per row
costs no extra queries."""

from dataclasses import dataclass

from kompetansebro.geography.models import Region
from kompetansebro.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    RegionRole,
    RegionRoleKind,
)

_CACHE_ATTRIBUTE = "_kompetansebro_access"
MAX_DEPARTMENT_DEPTH = 5


@dataclass(frozen=True)
class AccessProfile:
    member_org_ids: frozenset[int] = frozenset()
    admin_org_ids: frozenset[int] = frozenset()
    secretariat_region_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    secretariat_municipality_ids: frozenset[int] = frozenset()
    region_municipality_ids: frozenset[int] = frozenset()
    # The education providers the person is a member of directly: for the menu, read with the memberships.
    provider_org_ids: frozenset[int] = frozenset()


EMPTY = AccessProfile()


def _with_departments(org_ids: set[int]) -> set[int]:
    """An organisation's departments (at any depth) belong to it for access purposes."""
    result, frontier = set(org_ids), set(org_ids)
    for _ in range(MAX_DEPARTMENT_DEPTH):
        if not frontier:
            break
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - result
        result |= frontier
    return result


def access_profile(user) -> AccessProfile:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.filter(user=user).values_list("organisation_id", "role", "organisation__kind")
    )
    member_ids = {org_id for org_id, _, _ in memberships}
    admin_ids = {org_id for org_id, role, _ in memberships if role == MembershipRole.ADMIN}
    provider_ids = {org_id for org_id, _, kind in memberships if kind == OrganisationKind.EDUCATION_PROVIDER}
    roles = list(RegionRole.objects.filter(user=user).values_list("region_id", "role"))
    secretariat_region_ids = {region_id for region_id, role in roles if role == RegionRoleKind.SECRETARIAT}
    region_ids = {region_id for region_id, _ in roles}
    municipalities_by_region: dict[int, set[int]] = {}
    for region_id, municipality_id in Region.municipalities.through.objects.filter(
        region_id__in=region_ids
    ).values_list("region_id", "municipality_id"):
        municipalities_by_region.setdefault(region_id, set()).add(municipality_id)
    profile = AccessProfile(
        member_org_ids=frozenset(_with_departments(member_ids)) if member_ids else frozenset(),
        admin_org_ids=frozenset(_with_departments(admin_ids)) if admin_ids else frozenset(),
        secretariat_region_ids=frozenset(secretariat_region_ids),
        region_ids=frozenset(region_ids),
        secretariat_municipality_ids=frozenset(
            m for region_id in secretariat_region_ids for m in municipalities_by_region.get(region_id, ())
        ),
        region_municipality_ids=frozenset(m for ids in municipalities_by_region.values() for m in ids),
        provider_org_ids=frozenset(provider_ids),
    )
    setattr(user, _CACHE_ATTRIBUTE, profile)
    return profile


def forget_access(user) -> None:
    """Call after changing someone's memberships or roles within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
