"""Who may see and run mapping rounds and the region overview.

Decisions (issue 3, parts 3 and 6):
- The secretariat of the round's region and platform admins open, close, remind, export and see everything.
- Observers of the round's region (e.g. a county advisor given a role on that region) see everything,
  read only.
- Contact persons and administrators of an invited organisation (departments included), and those of the
  business garden that represents an invited company, see the round, register needs in it and answer
  “no needs this time” while it is open. Plain members do not.
- After the round is closed, the secretariat of its region and platform admins confirm its registered needs
  as qualified (all at once or one by one); closing is no review.
- Everybody else: the round does not exist for them (404).
- The region overview: platform admins and everyone with a role (secretariat or observer) in the region.
"""

import rules

from kompetansebro.mapping.models import MappingRound, RoundInvitation
from kompetansebro.needs.access import need_access
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import has_role_in_region, is_any_secretariat, is_platform_admin

_INVITED_ATTRIBUTE = "_kompetansebro_invited_org_ids"


def invited_org_ids(mapping_round: MappingRound) -> frozenset[int]:
    """The invited organisations of a round, loaded once per round object."""
    cached = getattr(mapping_round, _INVITED_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(
            RoundInvitation.objects.filter(round=mapping_round).values_list("organisation_id", flat=True)
        )
        setattr(mapping_round, _INVITED_ATTRIBUTE, cached)
    return cached


@rules.predicate
def is_round_secretariat(user, mapping_round) -> bool:
    return mapping_round is not None and mapping_round.region_id in access_profile(user).secretariat_region_ids


@rules.predicate
def has_role_in_round_region(user, mapping_round) -> bool:
    return mapping_round is not None and mapping_round.region_id in access_profile(user).region_ids


def answerable_org_ids(user, mapping_round) -> frozenset[int]:
    """Invited organisations this person answers for as contact person or administrator."""
    if mapping_round is None:
        return frozenset()
    registrable = need_access(user).registrable_org_ids
    if not registrable:
        return frozenset()
    return invited_org_ids(mapping_round) & registrable


@rules.predicate
def is_invited_responsible(user, mapping_round) -> bool:
    return bool(answerable_org_ids(user, mapping_round))


@rules.predicate
def is_open_round(user, mapping_round) -> bool:
    return mapping_round is not None and mapping_round.is_open


@rules.predicate
def is_closed_round(user, mapping_round) -> bool:
    return mapping_round is not None and not mapping_round.is_open


may_manage_round = is_platform_admin | is_round_secretariat
may_see_everything = is_platform_admin | has_role_in_round_region

rules.add_perm("mapping.add_round", is_platform_admin | is_any_secretariat)
rules.add_perm("mapping.view_round", may_see_everything | is_invited_responsible)
rules.add_perm("mapping.view_round_answers", may_see_everything)
rules.add_perm("mapping.export_round", may_see_everything)
rules.add_perm("mapping.manage_round", may_manage_round)
rules.add_perm("mapping.confirm_round_needs", is_closed_round & may_manage_round)
rules.add_perm("mapping.answer_round", is_open_round & (may_manage_round | is_invited_responsible))
rules.add_perm("mapping.view_region_overview", is_platform_admin | has_role_in_region)
rules.add_perm("mapping.view_round_list", rules.is_authenticated)
