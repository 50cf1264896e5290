"""Every projects URL of the core part (the project, its groups, result goals, activities and risks; list,
create, close, delete) × every persona: allowed, forbidden (403), sent to log in, or not found (404: a project
is never revealed to those who may not see it).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
The regional project belongs to the Trøndelag Sør council in the Trøndelag Sør region: its secretariat manages
it; Holtålen's contact person sits in its steering group (an insider who does not manage); the county observer
has a role on the county-level region only, so sees it no more than an outsider does. The municipal project
belongs to Holtålen and has no region: Holtålen's administrator manages it and its contact person (a member of
the owner) sees it. Projects are not public: pages that only show something answer 404 to anonymous visitors,
the list and pages that change something send them to log in.
"""

import pytest
from django.urls import reverse

from kompetansebro.projects.models import Activity, ProjectGroup, ResultGoal, Risk
from tests.conftest import PERSONAS
from tests.grant_factories import ProjectFactory, ProjectMembershipFactory
from tests.test_permissions import outcome


def regional(w):
    project = ProjectFactory(slug="utdanning-i-bedrift", owner=w.council, region=w.region)
    ProjectMembershipFactory(
        project=project, person=w.users["holtalen_contact"], group=ProjectGroup.STEERING, organisation=w.holtalen
    )
    return project


def municipal(w):
    return ProjectFactory(slug="helsefagarbeider-holtalen", owner=w.holtalen, region=None)


def goal(project_of=regional):
    return lambda w: ResultGoal.objects.create(project=project_of(w), code="RM1", text="Flere tar fagbrev.")


def activity(project_of=regional):
    def make(w):
        project = project_of(w)
        return Activity.objects.create(
            project=project, title="Kartlegging", starts_on=project.starts_on, ends_on=project.starts_on
        )

    return make


def risk(project_of=regional):
    return lambda w: Risk.objects.create(project=project_of(w), description="For få deltakere", probability=3, impact=4)


def seat(project_of=regional):
    def make(w):
        project = project_of(w)
        return ProjectMembershipFactory(project=project, group=ProjectGroup.WORKING)

    return make


def project_url(name, project_of=regional):
    return lambda w: reverse(name, args=[project_of(w).slug])


def object_url(name, object_of):
    def make(w):
        obj = object_of(w)
        return reverse(name, args=[obj.project.slug, obj.pk])

    return make


LIST = "L O O O O O O O O"
CREATE = "L F F F O O O F O"
VIEW = "N N N O N N O N O"
MANAGE = "L N N F N N O N O"
HISTORY = "L N N O N N O N O"
VIEW_MUNICIPAL = "N N N O O N N N O"
MANAGE_MUNICIPAL = "L N N F O N N N O"
MISSING = "N N N N N N N N N"
MISSING_MANAGE = "L N N N N N N N N"

MATRIX = [
    ("projects:list", "get", lambda w: reverse("projects:list"), LIST),
    ("projects:create", "get", lambda w: reverse("projects:create"), CREATE),
    ("projects:create", "post", lambda w: reverse("projects:create"), CREATE),
    ("projects:detail", "get", project_url("projects:detail"), VIEW),
    ("projects:detail", "get", project_url("projects:detail", municipal), VIEW_MUNICIPAL),
    ("projects:detail", "get", lambda w: reverse("projects:detail", args=["finnes-ikke"]), MISSING),
    ("projects:edit", "get", project_url("projects:edit"), MANAGE),
    ("projects:edit", "post", project_url("projects:edit"), MANAGE),
    ("projects:edit", "get", project_url("projects:edit", municipal), MANAGE_MUNICIPAL),
    ("projects:edit", "get", lambda w: reverse("projects:edit", args=["finnes-ikke"]), MISSING_MANAGE),
    ("projects:history", "get", project_url("projects:history"), HISTORY),
    ("projects:close", "post", project_url("projects:close"), MANAGE),
    ("projects:close", "post", project_url("projects:close", municipal), MANAGE_MUNICIPAL),
    ("projects:delete", "get", project_url("projects:delete"), MANAGE),
    ("projects:delete", "post", project_url("projects:delete"), MANAGE),
    ("projects:delete", "get", project_url("projects:delete", municipal), MANAGE_MUNICIPAL),
    ("projects:member_add", "get", project_url("projects:member_add"), MANAGE),
    ("projects:member_add", "post", project_url("projects:member_add"), MANAGE),
    ("projects:member_end", "post", object_url("projects:member_end", seat()), MANAGE),
    ("projects:member_end", "post", object_url("projects:member_end", seat(municipal)), MANAGE_MUNICIPAL),
    ("projects:goal_create", "get", project_url("projects:goal_create"), MANAGE),
    ("projects:goal_create", "post", project_url("projects:goal_create"), MANAGE),
    ("projects:goal_edit", "get", object_url("projects:goal_edit", goal()), MANAGE),
    ("projects:goal_edit", "post", object_url("projects:goal_edit", goal()), MANAGE),
    ("projects:goal_edit", "get", object_url("projects:goal_edit", goal(municipal)), MANAGE_MUNICIPAL),
    ("projects:activity_create", "get", project_url("projects:activity_create"), MANAGE),
    ("projects:activity_create", "post", project_url("projects:activity_create"), MANAGE),
    ("projects:activity_edit", "get", object_url("projects:activity_edit", activity()), MANAGE),
    ("projects:activity_edit", "post", object_url("projects:activity_edit", activity()), MANAGE),
    ("projects:activity_edit", "get", object_url("projects:activity_edit", activity(municipal)), MANAGE_MUNICIPAL),
    ("projects:risk_create", "get", project_url("projects:risk_create"), MANAGE),
    ("projects:risk_create", "post", project_url("projects:risk_create"), MANAGE),
    ("projects:risk_edit", "get", object_url("projects:risk_edit", risk()), MANAGE),
    ("projects:risk_edit", "post", object_url("projects:risk_edit", risk()), MANAGE),
    ("projects:risk_delete", "get", object_url("projects:risk_delete", risk()), MANAGE),
    ("projects:risk_delete", "post", object_url("projects:risk_delete", risk()), MANAGE),
    ("projects:risk_delete", "post", object_url("projects:risk_delete", risk(municipal)), MANAGE_MUNICIPAL),
]

CASES = [
    pytest.param(method, url_of, persona, expected, id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, codes) in enumerate(MATRIX)
    for persona, expected in zip(PERSONAS, codes.split(), strict=True)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected):
    target = url_of(world)
    client = client_for(persona)
    response = client.get(target) if method == "get" else client.post(target, {})
    assert outcome(response) == expected


def test_a_part_of_another_project_is_not_found(world, client_for):
    """A goal, activity, risk or seat is only reached through its own project's address."""
    mine, other = regional(world), municipal(world)
    client = client_for("secretariat_sor")
    for name, obj in (
        ("projects:goal_edit", goal(lambda w: other)(world)),
        ("projects:activity_edit", activity(lambda w: other)(world)),
        ("projects:risk_edit", risk(lambda w: other)(world)),
        ("projects:risk_delete", risk(lambda w: other)(world)),
    ):
        assert client.get(reverse(name, args=[mine.slug, obj.pk])).status_code == 404
    foreign_seat = seat(lambda w: other)(world)
    assert client.post(reverse("projects:member_end", args=[mine.slug, foreign_seat.pk])).status_code == 404


def test_the_leader_manages_the_project(world, client_for):
    project = regional(world)
    client = client_for("anonymous")
    client.force_login(project.leader, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("projects:edit", args=[project.slug])).status_code == 200
    assert client.get(reverse("projects:list")).context["projects"].filter(pk=project.pk).exists()


def test_an_ended_seat_no_longer_opens_the_project(world, client_for):
    import datetime

    from django.utils import timezone

    project = regional(world)
    project.memberships.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client_for("holtalen_contact").get(project.get_absolute_url()).status_code == 404


def test_matrix_covers_every_core_view():
    """A new URL in urls_projects.py without a row in the matrix fails here."""
    from django.urls import get_resolver

    from kompetansebro.projects import urls_projects

    names = {f"projects:{pattern.name}" for pattern in urls_projects.urlpatterns}
    assert "projects" in get_resolver().namespace_dict
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
