"""Who may do what with organisations and their people. Used by views, templates and (later) the API."""

import rules

from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import (
    is_any_org_admin,
    is_any_secretariat,
    is_org_admin,
    is_org_member,
    is_platform_admin,
    is_secretariat_for_organisation,
    sees_region_of_organisation,
)

may_manage_organisation = is_platform_admin | is_org_admin | is_secretariat_for_organisation
may_see_people = is_platform_admin | is_org_member | sees_region_of_organisation

rules.add_perm("organisations.view_organisation", rules.always_allow)
rules.add_perm("organisations.add_organisation", is_platform_admin | is_any_secretariat | is_any_org_admin)
rules.add_perm("organisations.change_organisation", may_manage_organisation)
rules.add_perm("organisations.delete_organisation", is_platform_admin | is_secretariat_for_organisation)
rules.add_perm("organisations.view_members", may_see_people)
rules.add_perm("organisations.manage_members", may_manage_organisation)
rules.add_perm("organisations.view_history", may_see_people)


def may_create_organisation_at(user, *, municipality, parent) -> bool:
    """A new organisation may be placed where the person already has authority: anywhere for platform
    admins, in the secretariat's region, or as a department of an organisation they administer."""
    if is_platform_admin(user):
        return True
    profile = access_profile(user)
    if municipality is not None and municipality.pk in profile.secretariat_municipality_ids:
        return True
    return parent is not None and parent.pk in profile.admin_org_ids
