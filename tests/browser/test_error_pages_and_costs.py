"""The error pages and the pages that correct and delete a cost in a real browser, checked with axe-core
(issue 11 items 8 and 9). The 404 and 403 answers themselves show in the console as failed loads; those are
the only console errors allowed here."""

import datetime
from decimal import Decimal

import pytest

from kompetansebro.projects.models import ActualCost
from tests.browser.conftest import assert_accessible, log_in
from tests.grant_factories import BudgetLineFactory, ProjectFactory

pytestmark = pytest.mark.browser


def test_error_pages_and_cost_correction_are_accessible(visit, world):
    page = visit.page
    response = page.goto("/finnes-ikke/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Vi fant ikke siden").is_visible()
    assert_accessible(page, "404 page")
    page.get_by_role("link", name="Forsiden").click()
    assert page.url.endswith("/")

    project = ProjectFactory(
        slug="utdanning-i-bedrift",
        owner=world.council,
        region=world.region,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
    )
    line = BudgetLineFactory(project=project, description="Reisevirksomhet", amount=Decimal("15000"))
    cost = ActualCost.objects.create(
        budget_line=line, incurred_on=datetime.date(2026, 3, 15), description="Faktura 1043", amount=Decimal("150000")
    )
    log_in(page, world.users["secretariat_sor"].email)
    page.goto(f"/prosjekter/{project.slug}/kostnader/")
    assert_accessible(page, "cost list with correct and delete")
    page.get_by_role("link", name="Rett Faktura 1043").click()
    assert_accessible(page, "correct a cost")
    page.fill("#id_amount", "15 000")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre kostnaden").click()
    cost.refresh_from_db()
    assert cost.amount == Decimal("15000")
    page.get_by_role("link", name="Slett Faktura 1043").click()
    assert_accessible(page, "delete a cost")
    with page.expect_navigation():
        page.get_by_role("button", name="Slett kostnaden").click()
    assert not ActualCost.objects.exists()

    visit.context.clear_cookies()
    log_in(page, world.users["outsider"].email)
    response = page.goto("/prosjekter/ny/")
    assert response.status == 403
    assert_accessible(page, "403 page")
    visit.console_errors = [error for error in visit.console_errors if "status of 40" not in error]
