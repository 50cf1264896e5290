"""Every projects URL of the economy part (budget, financing, actual costs and their correction and deletion,
the budget .xlsx, status reports,
the report PDF and the orientation task) × every persona: allowed, forbidden (403), sent to log in, or not found
(404: a project is never revealed to those who may not see it, nor a report through another project's address).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
The regional project belongs to the Trøndelag Sør council in the Trøndelag Sør region: its secretariat manages
it; Holtålen's contact person sits in its steering group (sees it, does not manage). The municipal project
belongs to Holtålen without a region: Holtålen's administrator manages it, its contact person sees it.
Every page here sends anonymous visitors to log in, whether the project exists or not (the reminder e-mails
link to the report page), so nothing is revealed to them.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse

from kompetansebro.projects.models import ActualCost, ProjectGroup, StatusReport
from tests.conftest import PERSONAS
from tests.grant_factories import BudgetLineFactory, ProjectFactory, ProjectMembershipFactory
from tests.test_permissions import outcome


def regional(w):
    project = ProjectFactory(slug="utdanning-i-bedrift", owner=w.council, region=w.region)
    ProjectMembershipFactory(
        project=project, person=w.users["holtalen_contact"], group=ProjectGroup.STEERING, organisation=w.holtalen
    )
    return project


def municipal(w):
    return ProjectFactory(slug="helsefagarbeider-holtalen", owner=w.holtalen, region=None)


def report(project_of=regional):
    def make(w):
        project = project_of(w)
        return StatusReport.objects.create(
            project=project,
            title="Statusrapport, første halvår",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            due_on=datetime.date(2026, 8, 15),
        )

    return make


def project_url(name, project_of=regional):
    return lambda w: reverse(name, args=[project_of(w).slug])


def report_url(name, project_of=regional):
    def make(w):
        obj = report(project_of)(w)
        return reverse(name, args=[obj.project.slug, obj.pk])

    return make


def cost_url(name, project_of=regional):
    def make(w):
        project = project_of(w)
        line = BudgetLineFactory(project=project)
        cost = ActualCost.objects.create(
            budget_line=line, incurred_on=project.starts_on, description="Faktura 1043", amount=1200
        )
        return reverse(name, args=[project.slug, cost.pk])

    return make


def missing_report_url(name):
    return lambda w: reverse(name, args=[regional(w).slug, 999999])


VIEW = "L N N O N N O N O"
MANAGE = "L N N F N N O N O"
VIEW_MUNICIPAL = "L N N O O N N N O"
MANAGE_MUNICIPAL = "L N N F O N N N O"
MISSING = "L N N N N N N N N"
# A cost that does not exist, in a project the person sees: those who may not manage get 403 before it is looked up.
MISSING_COST = "L N N F N N N N N"

MATRIX = [
    ("projects:budget_edit", "get", project_url("projects:budget_edit"), MANAGE),
    ("projects:budget_edit", "post", project_url("projects:budget_edit"), MANAGE),
    ("projects:budget_edit", "get", project_url("projects:budget_edit", municipal), MANAGE_MUNICIPAL),
    ("projects:budget_edit", "get", lambda w: reverse("projects:budget_edit", args=["finnes-ikke"]), MISSING),
    ("projects:budget_xlsx", "get", project_url("projects:budget_xlsx"), VIEW),
    ("projects:budget_xlsx", "get", project_url("projects:budget_xlsx", municipal), VIEW_MUNICIPAL),
    ("projects:financing_edit", "get", project_url("projects:financing_edit"), MANAGE),
    ("projects:financing_edit", "post", project_url("projects:financing_edit"), MANAGE),
    ("projects:financing_edit", "get", project_url("projects:financing_edit", municipal), MANAGE_MUNICIPAL),
    ("projects:cost_list", "get", project_url("projects:cost_list"), VIEW),
    ("projects:cost_list", "get", project_url("projects:cost_list", municipal), VIEW_MUNICIPAL),
    ("projects:cost_list", "get", lambda w: reverse("projects:cost_list", args=["finnes-ikke"]), MISSING),
    ("projects:cost_create", "get", project_url("projects:cost_create"), MANAGE),
    ("projects:cost_create", "post", project_url("projects:cost_create"), MANAGE),
    ("projects:cost_create", "get", project_url("projects:cost_create", municipal), MANAGE_MUNICIPAL),
    ("projects:cost_edit", "get", cost_url("projects:cost_edit"), MANAGE),
    ("projects:cost_edit", "post", cost_url("projects:cost_edit"), MANAGE),
    ("projects:cost_edit", "get", cost_url("projects:cost_edit", municipal), MANAGE_MUNICIPAL),
    ("projects:cost_edit", "get", missing_report_url("projects:cost_edit"), MISSING_COST),
    ("projects:cost_delete", "get", cost_url("projects:cost_delete"), MANAGE),
    ("projects:cost_delete", "post", cost_url("projects:cost_delete"), MANAGE),
    ("projects:cost_delete", "get", cost_url("projects:cost_delete", municipal), MANAGE_MUNICIPAL),
    ("projects:cost_delete", "post", missing_report_url("projects:cost_delete"), MISSING_COST),
    ("projects:report_schedule", "post", project_url("projects:report_schedule"), MANAGE),
    ("projects:report_schedule", "post", project_url("projects:report_schedule", municipal), MANAGE_MUNICIPAL),
    ("projects:report", "get", report_url("projects:report"), VIEW),
    ("projects:report", "get", report_url("projects:report", municipal), VIEW_MUNICIPAL),
    ("projects:report", "get", missing_report_url("projects:report"), MISSING),
    ("projects:report_edit", "get", report_url("projects:report_edit"), MANAGE),
    ("projects:report_edit", "post", report_url("projects:report_edit"), MANAGE),
    ("projects:report_edit", "get", report_url("projects:report_edit", municipal), MANAGE_MUNICIPAL),
    ("projects:report_edit", "get", missing_report_url("projects:report_edit"), MISSING),
    ("projects:report_submit", "post", report_url("projects:report_submit"), MANAGE),
    ("projects:report_submit", "post", report_url("projects:report_submit", municipal), MANAGE_MUNICIPAL),
    ("projects:report_pdf", "get", report_url("projects:report_pdf"), VIEW),
    ("projects:report_pdf", "get", missing_report_url("projects:report_pdf"), MISSING),
    ("projects:orientation_task", "get", report_url("projects:orientation_task"), MANAGE),
    ("projects:orientation_task", "post", report_url("projects:orientation_task"), MANAGE),
    ("projects:orientation_task", "get", report_url("projects:orientation_task", municipal), MANAGE_MUNICIPAL),
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


def test_only_post_changes_the_schedule_and_submits(world, client_for):
    client = client_for("secretariat_sor")
    obj = report()(world)
    assert client.get(reverse("projects:report_schedule", args=[obj.project.slug])).status_code == 405
    assert client.get(reverse("projects:report_submit", args=[obj.project.slug, obj.pk])).status_code == 405


def test_a_report_of_another_project_is_not_found(world, client_for):
    mine = regional(world)
    other = report(municipal)(world)
    client = client_for("platform_admin")
    for name in ("projects:report", "projects:report_edit", "projects:report_pdf", "projects:orientation_task"):
        assert client.get(reverse(name, args=[mine.slug, other.pk])).status_code == 404
    assert client.post(reverse("projects:report_submit", args=[mine.slug, other.pk])).status_code == 404


def test_a_cost_of_another_project_is_not_found(world, client_for):
    mine = regional(world)
    other_url = cost_url("projects:cost_edit", municipal)(world)
    other_pk = int(other_url.rstrip("/").split("/")[-2])
    client = client_for("platform_admin")
    for name in ("projects:cost_edit", "projects:cost_delete"):
        assert client.get(reverse(name, args=[mine.slug, other_pk])).status_code == 404
        assert client.post(reverse(name, args=[mine.slug, other_pk])).status_code == 404
    assert ActualCost.objects.filter(pk=other_pk).exists()


def test_the_leader_manages_the_economy_and_fills_in_reports(world, client_for):
    project = regional(world)
    obj = report(lambda w: project)(world)
    client = client_for("anonymous")
    client.force_login(project.leader, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("projects:budget_edit", args=[project.slug])).status_code == 200
    assert client.get(reverse("projects:report_edit", args=[project.slug, obj.pk])).status_code == 200


def test_matrix_covers_every_economy_view():
    """A new URL in urls_economy.py without a row in the matrix fails here."""
    from kompetansebro.projects import urls_economy

    names = {f"projects:{pattern.name}" for pattern in urls_economy.urlpatterns}
    assert "projects" in get_resolver().namespace_dict
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
