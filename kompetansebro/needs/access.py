"""What a person may do with competence needs, on top of the organisations' access profile.

Only contact persons and organisation administrators act for their organisation on needs (plain members
read); a business garden's contact persons and administrators act for the companies it represents.
Computed once per request like organisations.access.access_profile, so list pages make no extra queries
per row; forget_access() of the base profile also renews this one."""

from dataclasses import dataclass

from kompetansebro.organisations.access import MAX_DEPARTMENT_DEPTH, access_profile
from kompetansebro.organisations.models import Membership, MembershipRole, Organisation, OrganisationKind

_CACHE_ATTRIBUTE = "_kompetansebro_needs_access"
RESPONSIBLE_ROLES = (MembershipRole.CONTACT, MembershipRole.ADMIN)


@dataclass(frozen=True)
class NeedAccess:
    responsible_org_ids: frozenset[int] = frozenset()
    """Organisations (departments included) where the person is contact person or administrator."""
    represented_org_ids: frozenset[int] = frozenset()
    """Companies represented by a business garden where the person is contact person or administrator."""

    @property
    def registrable_org_ids(self) -> frozenset[int]:
        return self.responsible_org_ids | self.represented_org_ids


EMPTY = NeedAccess()


def _with_departments(org_ids: set[int], member_org_ids: frozenset[int]) -> set[int]:
    """`org_ids` and their departments at any depth. The base profile already holds every department of the
    person's organisations in member_org_ids, so one query for their parents is enough."""
    parents = dict(Organisation.objects.filter(pk__in=member_org_ids).values_list("pk", "parent_id"))
    result = set(org_ids)
    for org_id in parents:
        ancestor, depth = org_id, 0
        while ancestor is not None and depth <= MAX_DEPARTMENT_DEPTH:
            if ancestor in org_ids:
                result.add(org_id)
                break
            ancestor, depth = parents.get(ancestor), depth + 1
    return result


def need_access(user) -> NeedAccess:
    base = access_profile(user)
    if not base.member_org_ids:
        return EMPTY
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None and cached[0] is base:
        return cached[1]
    rows = list(
        Membership.objects.filter(user=user, role__in=RESPONSIBLE_ROLES).values_list(
            "organisation_id", "organisation__kind"
        )
    )
    responsible = {org_id for org_id, _kind in rows}
    gardens = {org_id for org_id, kind in rows if kind == OrganisationKind.BUSINESS_GARDEN}
    represented = (
        set(Organisation.objects.filter(represented_by_id__in=gardens).values_list("pk", flat=True))
        if gardens
        else set()
    )
    with_departments = _with_departments(responsible, base.member_org_ids) if responsible else set()
    profile = NeedAccess(
        responsible_org_ids=frozenset(with_departments),
        represented_org_ids=frozenset(represented),
    )
    setattr(user, _CACHE_ATTRIBUTE, (base, profile))
    return profile
