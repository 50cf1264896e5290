"""Who may see and run grant schemes, rounds, priority lists, allocations and payments.

Decisions (issue 6):
- Schemes, their annual wheel and rounds with their adopted allocations are public: grants are public money.
- Managing a scheme (rules, report template, wheel): the platform admin and the administrators of the scheme's
  owner organisation.
- Managing a round (frame, wheel, allocation proposal, the forum case, payments): those who manage its scheme,
  the secretariat of the round's region and the managers of its deciding forum.
- Priority lists: submitted by the members of an eligible recipient of the round (grants/eligibility.py: the
  scheme's eligible kinds in the round's region, or invited by the scheme's owner), or by the round's managers
  for one; seen by the submitter's members and by the round's managers.
- Proposed (not yet adopted) allocations: managers only.
- Payments: seen by the round's managers and the recipient's members.
"""

import rules

from kompetansebro.forums.rules import is_forum_manager
from kompetansebro.grants.eligibility import eligible_recipients
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import is_any_org_admin, is_platform_admin


def scheme_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "max_grant_share"):
        return obj
    return round_of(obj).scheme


def round_of(obj):
    """The round of a round, priority list, allocation or payment."""
    if obj is None or hasattr(obj, "frame"):
        return obj
    if hasattr(obj, "allocation"):
        return obj.allocation.round
    return obj.round


@rules.predicate
def is_scheme_owner_admin(user, obj) -> bool:
    scheme = scheme_of(obj)
    return scheme is not None and scheme.owner_id in access_profile(user).admin_org_ids


@rules.predicate
def is_round_region_secretariat(user, obj) -> bool:
    grant_round = round_of(obj)
    return (
        grant_round is not None
        and grant_round.region_id is not None
        and grant_round.region_id in access_profile(user).secretariat_region_ids
    )


@rules.predicate
def manages_round_forum(user, obj) -> bool:
    grant_round = round_of(obj)
    return grant_round is not None and grant_round.forum_id is not None and is_forum_manager(user, grant_round.forum)


@rules.predicate
def is_submitter_member(user, priority_list) -> bool:
    return priority_list is not None and priority_list.submitter_id in access_profile(user).member_org_ids


@rules.predicate
def is_recipient_member(user, obj) -> bool:
    """Of an allocation or a payment; a round has many recipients, so not of a round."""
    allocation = getattr(obj, "allocation", obj)
    recipient_id = getattr(allocation, "recipient_id", None)
    return recipient_id is not None and recipient_id in access_profile(user).member_org_ids


@rules.predicate
def is_eligible_recipient_member(user, grant_round) -> bool:
    """A member of an organisation that may receive money from the round (one query)."""
    member_org_ids = access_profile(user).member_org_ids
    return (
        grant_round is not None
        and bool(member_org_ids)
        and eligible_recipients(grant_round).filter(pk__in=member_org_ids).exists()
    )


manages_scheme = is_platform_admin | is_scheme_owner_admin
manages_round = manages_scheme | is_round_region_secretariat | manages_round_forum

rules.add_perm("grants.view_scheme", rules.always_allow)
rules.add_perm("grants.add_scheme", is_platform_admin | is_any_org_admin)
rules.add_perm("grants.manage_scheme", manages_scheme)
rules.add_perm("grants.view_round", rules.always_allow)
rules.add_perm("grants.manage_round", manages_round)
rules.add_perm("grants.submit_priority_list", is_eligible_recipient_member | manages_round)
rules.add_perm("grants.view_priority_list", is_submitter_member | manages_round)
rules.add_perm("grants.change_priority_list", is_submitter_member | manages_round)
rules.add_perm("grants.view_payments", manages_round | is_recipient_member)
rules.add_perm("grants.view_history", manages_round)
