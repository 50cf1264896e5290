"""Budget lines, the financing plan and actual costs: the services (validation, history with old and new values,
a line changed by someone else, a closed project), the pages (budget, financing, costs with the chart and its
table, the project page's section) and the .xlsx with numbers as numbers."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.grants.models import AllocationStatus
from kompetansebro.projects.models import ActualCost, BudgetLine, FinancingKind, FinancingSource, ProjectStatus
from kompetansebro.projects.selectors_economy import actual_vs_budget, budget_lines, line_state, project_economy
from kompetansebro.projects.services import economy as services
from tests.grant_factories import (
    AllocationFactory,
    BudgetLineFactory,
    FinancingSourceFactory,
    GrantSchemeFactory,
    ProjectFactory,
)

D = Decimal
SEED_LINES = [
    ("hours", "Timebruk (planlegging, samarbeid, utvikling)", "500000"),
    ("travel", "Reisevirksomhet", "15000"),
    ("meetings", "Møtevirksomhet (servering o.l.)", "15000"),
    ("digital_equipment", "Digitalt utstyr (tilfaller tilbydere)", "70000"),
]


def entries(project, action):
    return list(
        AuditEntry.objects.filter(content_type__model="project", object_id=str(project.pk), action=action).order_by(
            "pk"
        )
    )


@pytest.fixture
def scheme(db):
    return GrantSchemeFactory(
        name="Kompetansepiloter", max_grant_share=D("70"), in_kind_counts=True, in_kind_hourly_rate=D("750")
    )


@pytest.fixture
def project(world, scheme):
    return ProjectFactory(
        name="Utdanning i bedrift", owner=world.council, region=world.region, scheme=scheme, leader=None
    )


@pytest.fixture
def seeded(project):
    """Seed 000's budget and financing: kr 600 000, kr 450 000 grant and 200 h × kr 750 in kind."""
    for category, description, amount in SEED_LINES:
        BudgetLineFactory(project=project, category=category, description=description, amount=D(amount))
    FinancingSourceFactory(project=project, kind=FinancingKind.GRANT, description="KMD via TRFK", amount=D("450000"))
    FinancingSourceFactory(
        project=project, kind=FinancingKind.IN_KIND, description="Timeinnsats", amount=None, hours=D("200")
    )
    return project


# ---- services --------------------------------------------------------------------------------------------------


def test_budget_line_added_changed_and_removed_with_old_and_new_values_in_the_history(world, project):
    actor = world.users["secretariat_sor"]
    line = services.budget_line_add(
        actor=actor, project=project, category="travel", description="Reise", amount=D("15000")
    )
    assert line.amount == D("15000.00")
    [added] = entries(project, "projects.budget.line_added")
    assert added.actor == actor
    assert {key: change["new"] for key, change in added.changes.items()} == {
        f"budget_line.{line.pk}.category": "travel",
        f"budget_line.{line.pk}.description": "Reise",
        f"budget_line.{line.pk}.amount": "15000.00",
    }

    line.refresh_from_db()
    services.budget_line_change(
        actor=actor, line=line, data={"amount": D("20000")}, expected_state=line_state(line, services.BUDGET_FIELDS)
    )
    [changed] = entries(project, "projects.budget.line_changed")
    assert list(changed.changes) == [f"budget_line.{line.pk}.amount"]
    assert [(change["old"], change["new"]) for change in changed.changes.values()] == [("15000.00", "20000.00")]

    line.refresh_from_db()
    services.budget_line_remove(actor=actor, line=line, expected_state=line_state(line, services.BUDGET_FIELDS))
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    [removed] = entries(project, "projects.budget.line_removed")
    assert removed.changes[f"budget_line.{line.pk}.amount"]["old"] == "20000.00"
    assert {change["object"] for change in removed.changes.values()} == {"Reise"}


def test_a_line_changed_by_someone_else_is_not_overwritten(project):
    line = BudgetLineFactory(project=project, amount=D("15000"))
    state = line_state(line, services.BUDGET_FIELDS)
    services.budget_line_change(actor=None, line=line, data={"amount": D("16000")}, expected_state=state)
    with pytest.raises(services.LineChangedError) as error:
        services.budget_line_change(actor=None, line=line, data={"amount": D("99000")}, expected_state=state)
    assert error.value.current.amount == D("16000")
    line.refresh_from_db()
    assert line.amount == D("16000")


def test_a_line_with_costs_cannot_be_removed(project):
    line = BudgetLineFactory(project=project)
    services.cost_add(
        actor=None, budget_line=line, incurred_on=project.starts_on, description="Faktura", amount=D("10")
    )
    with pytest.raises(services.ValidationError):
        services.budget_line_remove(actor=None, line=line, expected_state=line_state(line, services.BUDGET_FIELDS))
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_negative_budget_amount_is_refused(project):
    with pytest.raises(services.ValidationError) as error:
        services.budget_line_add(actor=None, project=project, category="travel", amount=D("-1"))
    assert "amount" in error.value.error_dict


def test_a_closed_projects_economy_is_kept(project):
    project.status = ProjectStatus.CLOSED
    project.save()
    with pytest.raises(services.ValidationError):
        services.budget_line_add(actor=None, project=project, category="travel", amount=D("1"))


def test_financing_lines_by_kind(project):
    grant = services.financing_add(
        actor=None, project=project, kind=FinancingKind.GRANT, description="KMD", amount=D("450000"), hours=D("3")
    )
    assert grant.hours is None
    in_kind = services.financing_add(
        actor=None,
        project=project,
        kind=FinancingKind.IN_KIND,
        description="Timeinnsats",
        amount=D("5"),
        hours=D("200"),
        hourly_rate=D("750"),
    )
    assert in_kind.amount is None
    assert in_kind.hours == D("200")
    with pytest.raises(services.ValidationError) as error:
        services.financing_add(actor=None, project=project, kind=FinancingKind.IN_KIND, description="Timer")
    assert "hours" in error.value.error_dict
    with pytest.raises(services.ValidationError) as error:
        services.financing_add(actor=None, project=project, kind=FinancingKind.CASH, description="Kontant")
    assert "amount" in error.value.error_dict
    assert len(entries(project, "projects.financing.added")) == 2


def test_grants_from_an_allocation_never_add_up_to_more_than_it(world, project):
    allocation = AllocationFactory(recipient=world.council, amount=D("450000"), status=AllocationStatus.ADOPTED)
    services.financing_add(
        actor=None,
        project=project,
        kind=FinancingKind.GRANT,
        description="Første utbetaling",
        allocation=allocation,
        amount=D("300000"),
    )
    with pytest.raises(services.ValidationError) as error:
        services.financing_add(
            actor=None,
            project=project,
            kind=FinancingKind.GRANT,
            description="Andre",
            allocation=allocation,
            amount=D("150000.01"),
        )
    assert "amount" in error.value.error_dict
    other = AllocationFactory(amount=D("1000"))  # another recipient's
    with pytest.raises(services.ValidationError) as error:
        services.financing_add(
            actor=None, project=project, kind=FinancingKind.GRANT, description="X", allocation=other, amount=D("1")
        )
    assert "allocation" in error.value.error_dict


def test_financing_change_and_remove_are_recorded(project):
    source = FinancingSourceFactory(project=project, amount=D("100000"))
    state = line_state(source, services.FINANCING_FIELDS)
    services.financing_change(actor=None, source=source, data={"amount": D("120000")}, expected_state=state)
    source.refresh_from_db()
    assert source.amount == D("120000")
    [changed] = entries(project, "projects.financing.changed")
    assert [(c["old"], c["new"]) for c in changed.changes.values()] == [("100000.00", "120000.00")]
    services.financing_remove(actor=None, source=source, expected_state=line_state(source, services.FINANCING_FIELDS))
    assert not FinancingSource.objects.filter(pk=source.pk).exists()
    assert entries(project, "projects.financing.removed")


def test_costs_and_corrections(project):
    line = BudgetLineFactory(project=project, amount=D("15000"))
    services.cost_add(actor=None, budget_line=line, incurred_on=project.starts_on, description="Tog", amount=D("1200"))
    services.cost_add(
        actor=None, budget_line=line, incurred_on=project.starts_on, description="Kreditnota", amount=D("-200")
    )
    with pytest.raises(services.ValidationError):
        services.cost_add(
            actor=None, budget_line=line, incurred_on=project.starts_on, description="Null", amount=D("0")
        )
    [row] = budget_lines(project)
    assert row.spent == D("1000.00")
    assert len(entries(project, "projects.cost.added")) == 2


def test_chart_bars_are_whole_units_scaled_to_the_largest(project):
    travel = BudgetLineFactory(project=project, amount=D("15000"))
    hours = BudgetLineFactory(project=project, category="hours", amount=D("500000"))
    ActualCost.objects.create(budget_line=travel, incurred_on=project.starts_on, description="Reise", amount=D("20000"))
    chart = actual_vs_budget(budget_lines(project))
    by_line = {row.label: row for row in chart.rows}
    assert by_line[str(hours)].budget_bar == 300
    assert by_line[str(travel)].budget_bar == 9
    assert by_line[str(travel)].spent_bar == 12
    assert by_line[str(travel)].over
    assert all(isinstance(row.budget_bar, int) for row in chart.rows)
    assert chart.total_budget == D("515000") and chart.total_spent == D("20000")


# ---- pages -----------------------------------------------------------------------------------------------------


def test_budget_page_adds_changes_and_removes_lines(client_for, seeded):
    client = client_for("secretariat_sor")
    url = reverse("projects:budget_edit", args=[seeded.slug])
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Timebruk (planlegging, samarbeid, utvikling)" in content
    assert "25,0\xa0%" in content  # the co-financing check on the page

    response = client.post(url, {"category": "other", "description": "Veileder", "amount": "kr 12 500,50"})
    assert response.status_code == 302
    line = BudgetLine.objects.get(project=seeded, description="Veileder")
    assert line.amount == D("12500.50")

    state = line_state(line, services.BUDGET_FIELDS)
    response = client.post(
        url, {"linje": line.pk, "version": state, "category": "other", "description": "Veileder", "amount": "13 000"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == D("13000")

    response = client.post(url, {"linje": line.pk, "state": state, "remove": "1"})  # stale state
    assert response.status_code == 302
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    response = client.post(url, {"linje": line.pk, "state": line_state(line, services.BUDGET_FIELDS), "remove": "1"})
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_budget_form_errors_are_summarised(client_for, project):
    response = client_for("secretariat_sor").post(
        reverse("projects:budget_edit", args=[project.slug]), {"category": "", "amount": "femten"}
    )
    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()
    assert not BudgetLine.objects.filter(project=project).exists()


def test_a_line_of_another_project_is_not_found(client_for, project):
    other = BudgetLineFactory()
    response = client_for("secretariat_sor").get(
        reverse("projects:budget_edit", args=[project.slug]) + f"?linje={other.pk}"
    )
    assert response.status_code == 404


def test_financing_page(client_for, seeded):
    client = client_for("secretariat_sor")
    url = reverse("projects:financing_edit", args=[seeded.slug])
    content = client.get(url).content.decode()
    assert "KMD via TRFK" in content
    assert "kr\xa0150\xa0000" in content  # 200 h × the scheme's kr 750
    response = client.post(url, {"kind": "cash", "description": "Rådet", "amount": "30 000"})
    assert response.status_code == 302
    assert FinancingSource.objects.get(project=seeded, kind="cash").amount == D("30000")
    response = client.post(url, {"kind": "in_kind", "description": "Timer", "hours": ""})
    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()


def test_cost_create_and_list(client_for, seeded):
    client = client_for("secretariat_sor")
    line = BudgetLine.objects.get(project=seeded, category="travel")
    response = client.post(
        reverse("projects:cost_create", args=[seeded.slug]),
        {
            "budget_line": line.pk,
            "incurred_on": f"{seeded.starts_on:%d.%m.%Y}",
            "description": "Reise til Trondheim",
            "amount": "2 400",
        },
    )
    assert response.status_code == 302
    cost = ActualCost.objects.get(budget_line=line)
    assert cost.amount == D("2400") and cost.incurred_on == seeded.starts_on
    content = client.get(reverse("projects:cost_list", args=[seeded.slug])).content.decode()
    assert "Reise til Trondheim" in content
    assert "<svg" in content and 'id="costs-chart-caption"' in content  # the chart and its table


def test_cost_list_queries_do_not_grow(client_for, seeded, django_assert_max_num_queries):
    client = client_for("secretariat_sor")
    url = reverse("projects:cost_list", args=[seeded.slug])
    line = BudgetLine.objects.filter(project=seeded).first()
    ActualCost.objects.create(budget_line=line, incurred_on=seeded.starts_on, description="Første", amount=D("1"))
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for index in range(30):
        BudgetLineFactory(project=seeded, amount=D("1000"))
        ActualCost.objects.create(
            budget_line=line, incurred_on=seeded.starts_on, description=f"K{index}", amount=D("1")
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_project_page_shows_the_economy_section(client_for, seeded, django_assert_max_num_queries):
    client = client_for("secretariat_sor")
    response = client.get(seeded.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="project-economy-heading"' in content
    assert "25,0\xa0%" in content
    assert reverse("projects:budget_xlsx", args=[seeded.slug]) in content
    with django_assert_max_num_queries(60) as before:
        client.get(seeded.get_absolute_url())
    for _index in range(10):
        BudgetLineFactory(project=seeded)
        FinancingSourceFactory(project=seeded)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(seeded.get_absolute_url())


def test_project_economy_is_four_queries(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        economy = project_economy(seeded)
    assert economy.check.own_share == D("25.0")


def test_budget_xlsx_has_numbers_as_numbers(client_for, seeded):
    from openpyxl import load_workbook

    line = BudgetLine.objects.get(project=seeded, category="travel")
    ActualCost.objects.create(budget_line=line, incurred_on=seeded.starts_on, description="Reise", amount=D("1234.50"))
    response = client_for("secretariat_sor").get(reverse("projects:budget_xlsx", args=[seeded.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    budget, financing, costs = workbook.worksheets
    rows = list(budget.iter_rows(values_only=True))
    assert rows[1][2] == 500000
    assert rows[2][3] == 1234.5
    assert rows[-1][2] == 600000  # the total
    assert budget.cell(row=2, column=3).number_format == '"kr" #,##0.00'
    financing_rows = list(financing.iter_rows(values_only=True))
    assert financing_rows[1][1] == "KMD via TRFK" and financing_rows[1][3] == 450000
    assert financing_rows[2][4] == 200 and financing_rows[2][5] == 750 and financing_rows[2][6] == 150000
    cost_rows = list(costs.iter_rows(values_only=True))
    assert cost_rows[1][3] == 1234.5
    assert cost_rows[1][0].date() == seeded.starts_on


def test_chart_coordinates_are_not_localised(client_for, project):
    for index in range(25):  # the chart grows past 1 000 units: no thousands space in the coordinates
        BudgetLineFactory(project=project, description=f"Linje {index}", amount=D("1000") * (index + 1))
    content = client_for("secretariat_sor").get(reverse("projects:cost_list", args=[project.slug])).content.decode()
    assert 'viewBox="0 0 640 1308"' in content
    assert 'y="1264"' in content  # the last line's label
