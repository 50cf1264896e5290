"""Base predicates about people, organisations and regions, shared by every app's rules.py."""

import rules

from kompetansebro.organisations.access import access_profile


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


@rules.predicate
def is_org_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in access_profile(user).member_org_ids


@rules.predicate
def is_org_admin(user, organisation) -> bool:
    return organisation is not None and organisation.pk in access_profile(user).admin_org_ids


@rules.predicate
def is_secretariat_for_organisation(user, organisation) -> bool:
    return (
        organisation is not None and organisation.municipality_id in access_profile(user).secretariat_municipality_ids
    )


@rules.predicate
def sees_region_of_organisation(user, organisation) -> bool:
    return organisation is not None and organisation.municipality_id in access_profile(user).region_municipality_ids


@rules.predicate
def is_any_secretariat(user) -> bool:
    return bool(access_profile(user).secretariat_region_ids)


@rules.predicate
def is_any_org_admin(user) -> bool:
    return bool(access_profile(user).admin_org_ids)


@rules.predicate
def has_role_in_region(user, region) -> bool:
    return region is not None and region.pk in access_profile(user).region_ids
