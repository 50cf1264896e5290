"""Who may see the gap analysis and see, create, send, answer and close development requests.

Decisions (issue 4, part 5):
- The gap analysis of a region: platform admins and everyone with a role in the region (secretariat, or an
  observer such as a county advisor on the county-level region, read only) — as the region overview.
- Creating a request: the secretariat of the region (and platform admins).
- Seeing a request: platform admins, everyone with a role in its region, and once it is sent the members of
  the providers it is addressed to (any role: offerings are kept by a provider's members). A draft is the
  secretariat's own work. Everybody else: the request does not exist (404).
- Sending (drafts) and closing: the region's secretariat and platform admins.
- Answering: while the request is sent or answered, the members of an addressed provider, for their
  provider only.
- Linking the registered offering: while the request is sent or answered, the secretariat and the members
  of an addressed provider (the provider for its own answer only; the services check the offering's owner).
"""

import rules

from kompetansebro.development.models import OPEN_REQUEST_STATUSES, DevelopmentRequest, ProviderAnswer, RequestStatus
from kompetansebro.offerings.rules import is_member_of_any_provider
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import has_role_in_region, is_platform_admin

_ADDRESSED_ATTRIBUTE = "_kompetansebro_addressed_provider_ids"


def addressed_provider_ids(request: DevelopmentRequest) -> frozenset[int]:
    """The providers a request is addressed to, loaded once per request object."""
    cached = getattr(request, _ADDRESSED_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(ProviderAnswer.objects.filter(request=request).values_list("provider_id", flat=True))
        setattr(request, _ADDRESSED_ATTRIBUTE, cached)
    return cached


def answerable_provider_ids(user, request: DevelopmentRequest) -> frozenset[int]:
    """The addressed providers this person answers for: all of them for platform admins, otherwise those
    they are a member of (departments included)."""
    if request is None or request.status == RequestStatus.DRAFT:
        return frozenset()
    if is_platform_admin(user):
        return addressed_provider_ids(request)
    member_ids = access_profile(user).member_org_ids
    if not member_ids:
        return frozenset()
    return addressed_provider_ids(request) & member_ids


@rules.predicate
def is_region_secretariat(user, region) -> bool:
    return region is not None and region.pk in access_profile(user).secretariat_region_ids


@rules.predicate
def has_any_region_role(user) -> bool:
    return bool(access_profile(user).region_ids)


@rules.predicate
def is_request_secretariat(user, request) -> bool:
    return request is not None and request.region_id in access_profile(user).secretariat_region_ids


@rules.predicate
def has_role_in_request_region(user, request) -> bool:
    return request is not None and request.region_id in access_profile(user).region_ids


@rules.predicate
def is_addressed_provider_member(user, request) -> bool:
    return bool(answerable_provider_ids(user, request))


@rules.predicate
def is_draft(user, request) -> bool:
    return request is not None and request.status == RequestStatus.DRAFT


@rules.predicate
def is_open_request(user, request) -> bool:
    return request is not None and request.status in OPEN_REQUEST_STATUSES


@rules.predicate
def is_closed(user, request) -> bool:
    return request is not None and request.status == RequestStatus.CLOSED


may_manage_request = is_platform_admin | is_request_secretariat

rules.add_perm("development.view_request_list", is_platform_admin | has_any_region_role | is_member_of_any_provider)


@rules.predicate
def is_provider_member_by_profile(user) -> bool:
    return bool(access_profile(user).provider_org_ids)


# The main menu's link, on every page: only what the access profile knows without a query (it reads the kind
# of each organisation with the memberships). A rule, not a permission: a refused permission makes Django's
# ModelBackend load the person's permissions.
rules.add_rule("development.show_request_menu", is_platform_admin | has_any_region_role | is_provider_member_by_profile)
rules.add_perm("development.view_gap_analysis", is_platform_admin | has_role_in_region)
rules.add_perm("development.add_request", is_platform_admin | is_region_secretariat)
rules.add_perm(
    "development.view_request", is_platform_admin | has_role_in_request_region | is_addressed_provider_member
)
rules.add_perm("development.manage_request", may_manage_request)
rules.add_perm("development.send_request", is_draft & may_manage_request)
rules.add_perm("development.close_request", ~is_closed & may_manage_request)
rules.add_perm("development.answer_request", is_open_request & (is_platform_admin | is_addressed_provider_member))
rules.add_perm("development.link_offering", is_open_request & (may_manage_request | is_addressed_provider_member))
