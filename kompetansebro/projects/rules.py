"""Who may see and run projects, their budgets and status reports.

Decisions (issue 6):
- Seeing a project (goals, activities, budget, financing, risks, reports): its leader and group members, the
  members of its owner organisation, everyone with a role in its region, and the platform admin. Others: 404.
  (The managers of a grant round see what it allocated and paid on the round's pages.)
- Managing a project (details, groups, goals, activities, budget, financing, costs, risks; closing it): the leader,
  the owner organisation's administrators, the region's secretariat and the platform admin. Deleting is refused
  by the service when payments exist.
- Filling in and submitting status reports: the leader and the managers.
- Correcting and deleting actual costs (issue 11): the managers, like registering them; the project's history
  keeps every change.
"""

import rules

from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import is_any_org_admin, is_any_secretariat, is_platform_admin
from kompetansebro.projects.access import project_ids


def project_of(obj):
    if obj is None or hasattr(obj, "overall_goal"):
        return obj
    return obj.project


@rules.predicate
def is_project_leader(user, obj) -> bool:
    project = project_of(obj)
    return project is not None and project.leader_id is not None and project.leader_id == getattr(user, "pk", None)


@rules.predicate
def is_in_project(user, obj) -> bool:
    project = project_of(obj)
    return project is not None and project.pk in project_ids(user)


@rules.predicate
def is_owner_member(user, obj) -> bool:
    project = project_of(obj)
    return project is not None and project.owner_id in access_profile(user).member_org_ids


@rules.predicate
def is_owner_admin(user, obj) -> bool:
    project = project_of(obj)
    return project is not None and project.owner_id in access_profile(user).admin_org_ids


@rules.predicate
def has_role_in_project_region(user, obj) -> bool:
    project = project_of(obj)
    return (
        project is not None and project.region_id is not None and project.region_id in access_profile(user).region_ids
    )


@rules.predicate
def is_project_region_secretariat(user, obj) -> bool:
    project = project_of(obj)
    return (
        project is not None
        and project.region_id is not None
        and project.region_id in access_profile(user).secretariat_region_ids
    )


manages_project = is_platform_admin | is_project_leader | is_owner_admin | is_project_region_secretariat
sees_project = manages_project | is_in_project | is_owner_member | has_role_in_project_region

rules.add_perm("projects.add_project", is_platform_admin | is_any_secretariat | is_any_org_admin)
rules.add_perm("projects.view_project", sees_project)
rules.add_perm("projects.manage_project", manages_project)
rules.add_perm("projects.submit_report", manages_project)
rules.add_perm("projects.change_cost", manages_project)
rules.add_perm("projects.delete_cost", manages_project)
rules.add_perm("projects.view_history", sees_project)
