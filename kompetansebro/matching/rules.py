"""Who may see and decide matches. Used by views and templates.

- Seeing a need's suggested offerings: whoever may see the need (needs.view_need), anonymised public
  needs too; each offering is shown only to those who may see it (offerings.view_offering: a planned
  offering stays with its provider, secretariats and platform admins).
- Accepting or rejecting an offering for a need: those who may change the need (needs.change_need) —
  the contact persons and administrators of its organisation (or of the business garden that registered
  it), the secretariat of a region covering it, platform admins. Seeing who decided follows
  needs.view_need_identity, like the status history.
- A provider's matching needs: the members of the education provider (any role, as for its offerings) and
  platform admins; the needs listed are those the person may see, anonymised where needs rules say so.
"""

import rules

from kompetansebro.needs.rules import may_change_need, may_view_need
from kompetansebro.organisations.models import OrganisationKind
from kompetansebro.organisations.predicates import is_org_member, is_platform_admin


@rules.predicate
def is_provider(user, organisation) -> bool:
    return organisation is not None and organisation.kind == OrganisationKind.EDUCATION_PROVIDER


rules.add_perm("matching.view_need_matches", may_view_need)
rules.add_perm("matching.decide_match", may_change_need)
rules.add_perm("matching.view_provider_matches", is_provider & (is_platform_admin | is_org_member))
