"""Who may see, register, change and move competence needs. Used by views, templates, selectors and the API.

Decisions (issue 3, part 1):
- Seeing a need: platform admins; members of the need's organisation (departments included) and of the
  organisation that registered it on its behalf; secretariat and observers of a region covering the need's
  municipality, except for visibility "organisation" unless that region registered it; for visibility
  "public" everybody, anonymous visitors too, but only in anonymised form (see sees_need_identity).
- Registering and changing: contact persons and administrators (not plain members) of the organisation;
  a business garden's contact persons and administrators for the companies it represents (and the needs it
  registered); a region's secretariat for organisations in its municipalities; platform admins.
- Status moves: secretariat and platform admins every move in NEXT_STATUSES; the organisation's (or the
  registering garden's) contact persons and administrators only withdraw (close with a reason), reopen a
  closed need and mark a running offer as fulfilled.
"""

import rules
from django.db.models import Q

from kompetansebro.needs.access import need_access
from kompetansebro.needs.models import NEXT_STATUSES, CompetenceNeed, NeedStatus, Visibility
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation
from kompetansebro.organisations.predicates import is_any_secretariat, is_platform_admin

OWNER_MOVES = {
    (NeedStatus.CLOSED, NeedStatus.REGISTERED),
    (NeedStatus.OFFER_RUNNING, NeedStatus.FULFILLED),
}


def _region_sees(need: CompetenceNeed, *, municipality_ids, region_ids) -> bool:
    if need.municipality_id not in municipality_ids:
        return False
    return need.visibility != Visibility.ORGANISATION or need.registered_by_region_id in region_ids


@rules.predicate
def sees_need_identity(user, need: CompetenceNeed) -> bool:
    """May the person see who has the need (organisation, contact person, external id, history)?
    Everyone who may see a need sees its identity, except when they see it only because it is public."""
    if need is None:
        return False
    if is_platform_admin(user):
        return True
    profile = access_profile(user)
    if need.organisation_id in profile.member_org_ids or need.registered_on_behalf_by_id in profile.member_org_ids:
        return True
    return _region_sees(need, municipality_ids=profile.region_municipality_ids, region_ids=profile.region_ids)


@rules.predicate
def is_public_need(user, need: CompetenceNeed) -> bool:
    return need is not None and need.visibility == Visibility.PUBLIC_ANONYMISED


def is_need_secretariat(user, need: CompetenceNeed) -> bool:
    profile = access_profile(user)
    return _region_sees(
        need,
        municipality_ids=profile.secretariat_municipality_ids,
        region_ids=profile.secretariat_region_ids,
    )


def is_need_owner(user, need: CompetenceNeed) -> bool:
    """Contact person or administrator of the organisation, or of the business garden that registered it."""
    responsible = need_access(user).responsible_org_ids
    return need.organisation_id in responsible or need.registered_on_behalf_by_id in responsible


@rules.predicate
def may_change_need(user, need: CompetenceNeed) -> bool:
    if need is None:
        return False
    return is_platform_admin(user) or is_need_owner(user, need) or is_need_secretariat(user, need)


@rules.predicate
def may_register_needs(user) -> bool:
    return bool(need_access(user).registrable_org_ids)


def allowed_next_statuses(user, need: CompetenceNeed) -> list[str]:
    """The statuses this person may move the need to now, in the order of NEXT_STATUSES."""
    if need is None:
        return []
    moves = NEXT_STATUSES.get(NeedStatus(need.status), [])
    if is_platform_admin(user) or is_need_secretariat(user, need):
        return list(moves)
    if is_need_owner(user, need):
        return [
            status
            for status in moves
            if status == NeedStatus.CLOSED or (NeedStatus(need.status), status) in OWNER_MOVES
        ]
    return []


@rules.predicate
def may_change_status(user, need: CompetenceNeed) -> bool:
    return bool(allowed_next_statuses(user, need))


def organisations_user_may_register_for(user):
    """Active organisations the person may register a need for: where they are contact person or
    administrator (departments included), companies represented by such a business garden, organisations
    in the municipalities of their secretariat, and every organisation for platform admins."""
    organisations = Organisation.objects.active().select_related("municipality").order_by("name", "pk")
    if is_platform_admin(user):
        return organisations
    profile = access_profile(user)
    condition = Q(pk__in=need_access(user).registrable_org_ids)
    if profile.secretariat_municipality_ids:
        condition |= Q(municipality_id__in=profile.secretariat_municipality_ids)
    return organisations.filter(condition)


def may_register_for(user, organisation: Organisation) -> bool:
    """The object-level counterpart of organisations_user_may_register_for (no query)."""
    if organisation is None or not organisation.is_active:
        return False
    if is_platform_admin(user):
        return True
    return (
        organisation.pk in need_access(user).registrable_org_ids
        or organisation.municipality_id in access_profile(user).secretariat_municipality_ids
    )


may_view_need = sees_need_identity | is_public_need

rules.add_perm("needs.view_need", may_view_need)
rules.add_perm("needs.view_need_identity", sees_need_identity)
rules.add_perm("needs.view_need_history", sees_need_identity)
rules.add_perm("needs.add_need", is_platform_admin | is_any_secretariat | may_register_needs)
rules.add_perm("needs.change_need", may_change_need)
rules.add_perm("needs.change_status", may_change_status)
