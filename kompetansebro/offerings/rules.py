"""Who may see and keep education offerings. Used by views, templates, the import and the API.

* Offerings that are open for applications, running or closed are public.
* A *planned* offering is not yet public: only the members of its provider, region secretariats (who
  broker between needs and providers and may need to know what is coming) and platform admins see it.
* Offerings are kept by the members of the owning provider, whatever their role ("maintained by its
  members"), and by platform admins. Members of a provider also keep the offerings of its departments.
"""

import rules

from kompetansebro.offerings.models import OfferingStatus
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation
from kompetansebro.organisations.predicates import is_any_secretariat, is_platform_admin

_PROVIDERS_ATTRIBUTE = "_kompetansebro_offering_provider_ids"


def provider_ids_user_may_edit(user) -> frozenset[int] | None:
    """Ids of the education providers whose offerings `user` keeps; None means all (platform admin).
    Computed once per request and user object."""
    if is_platform_admin(user):
        return None
    member_ids = access_profile(user).member_org_ids
    if not member_ids:
        return frozenset()
    cached = getattr(user, _PROVIDERS_ATTRIBUTE, None)
    if cached is not None and cached[0] == member_ids:
        return cached[1]
    ids = frozenset(Organisation.objects.providers().filter(pk__in=member_ids).values_list("pk", flat=True))
    setattr(user, _PROVIDERS_ATTRIBUTE, (member_ids, ids))
    return ids


def providers_user_may_edit(user):
    """The education providers whose offerings `user` may register and change, by name."""
    providers = Organisation.objects.providers().active().order_by("name")
    ids = provider_ids_user_may_edit(user)
    return providers if ids is None else providers.filter(pk__in=ids)


@rules.predicate
def is_public_offering(user, offering) -> bool:
    return offering is not None and offering.status != OfferingStatus.PLANNED


@rules.predicate
def is_provider_member(user, offering) -> bool:
    return offering is not None and offering.provider_id in access_profile(user).member_org_ids


@rules.predicate
def is_member_of_any_provider(user) -> bool:
    return bool(provider_ids_user_may_edit(user))


may_keep_offering = is_platform_admin | is_provider_member

rules.add_perm("offerings.view_offering", is_public_offering | may_keep_offering | is_any_secretariat)
rules.add_perm("offerings.add_offering", is_platform_admin | is_member_of_any_provider)
rules.add_perm("offerings.change_offering", may_keep_offering)
rules.add_perm("offerings.delete_offering", may_keep_offering)
rules.add_perm("offerings.view_history", may_keep_offering | is_any_secretariat)
