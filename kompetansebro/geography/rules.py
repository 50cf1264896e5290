"""Municipalities and regions are public reference data; defining regions is for platform admins."""

import rules

from kompetansebro.organisations.predicates import has_role_in_region, is_platform_admin

rules.add_perm("geography.view_region", rules.always_allow)
rules.add_perm("geography.view_municipality", rules.always_allow)
rules.add_perm("geography.add_region", is_platform_admin)
rules.add_perm("geography.change_region", is_platform_admin)
rules.add_perm("geography.delete_region", is_platform_admin)
rules.add_perm("geography.manage_region_roles", is_platform_admin)
rules.add_perm("geography.view_region_roles", is_platform_admin | has_role_in_region)
rules.add_perm("geography.view_region_history", is_platform_admin | has_role_in_region)
