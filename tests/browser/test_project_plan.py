"""A project's plan end to end in a real browser; every page checked with axe-core.

The secretariat of Trøndelag Sør starts a project from a group of needs, adds Holtålen's contact person to the
steering group, a result goal RM1, an activity (first outside the project's period: the error summary names the
field), another activity and a risk; the project page shows the timeline chart with its table and the risks by
score, also at 320 px. Deleting is refused once a payment is recorded; the project is closed instead.

Texts of this app may not be translated yet, so its own controls are found by their names and addresses.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from kompetansebro.grants.models import Payment
from kompetansebro.projects.models import Project, ProjectStatus
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import NeedFactory
from tests.grant_factories import AllocationFactory

pytestmark = pytest.mark.browser


def submit(page, selector: str = "main form[method=post] button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_project_from_needs_to_plan_and_close(open_tab, world):
    first = NeedFactory(organisation=world.holtalen, title="Helsefagarbeidere i hjemmetjenesten")
    second = NeedFactory(organisation=world.roros, title="Fagbrev for ansatte i sagbruket")
    page = open_tab().page
    log_in(page, world.users["secretariat_sor"].email)
    page.goto(f"/prosjekter/ny/?behov={first.pk}&behov={second.pk}")
    assert page.locator("main").get_by_text("Helsefagarbeidere i hjemmetjenesten").count() >= 1
    assert_accessible(page, "new project from needs")
    page.fill("#id_name", "Utdanning i bedrift")
    page.select_option("#id_owner", str(world.council.pk))
    page.fill("#id_starts_on", "01.09.2026")
    page.fill("#id_ends_on", "30.06.2028")
    page.fill("#id_leader", world.users["secretariat_sor"].email)
    submit(page)
    project = Project.objects.get()
    assert page.url.endswith(project.get_absolute_url())
    assert set(project.needs.all()) == {first, second}
    assert_accessible(page, "new project page")

    page.goto(f"/prosjekter/{project.slug}/grupper/ny/")
    page.fill("#id_q", "holtalen")
    with page.expect_navigation():
        page.locator("main form[role=search] button[type=submit]").click()
    page.locator("main a[href*='email=kontakt%40holtalen.example.no']").click()
    page.wait_for_load_state()
    page.locator("input[name=group][value=steering]").check()
    page.fill("#id_role", "leder")
    assert_accessible(page, "add a group member")
    submit(page, "main form[method=post] button[type=submit]")

    page.goto(f"/prosjekter/{project.slug}/resultatmal/ny/")
    page.fill("#id_code", "RM1")
    page.fill("#id_text", "Tilpassede utdanningstilbud på arbeidsplassen")
    page.fill("#id_planned_activities", "Kartlegge behov i bedriftene")
    assert_accessible(page, "new result goal")
    submit(page)

    page.goto(f"/prosjekter/{project.slug}/aktiviteter/ny/")
    page.fill("#id_title", "Kartlegging i bedriftene")
    page.fill("#id_starts_on", "01.08.2026")
    page.fill("#id_ends_on", "30.11.2026")
    submit(page)
    summary = page.locator(".ds-error-summary")
    assert summary.count() == 1 and summary.locator("a[href='#id_starts_on']").count() == 1
    assert page.locator("#id_starts_on[aria-invalid=true]").count() == 1
    assert_accessible(page, "activity outside the period")
    page.fill("#id_starts_on", "01.09.2026")
    page.select_option("#id_goal", str(project.goals.get(code="RM1").pk))
    submit(page)
    page.goto(f"/prosjekter/{project.slug}/aktiviteter/ny/")
    page.fill("#id_title", "Samlinger i nærmiljøet")
    page.fill("#id_starts_on", "01.01.2027")
    page.fill("#id_ends_on", "30.06.2028")
    page.select_option("#id_responsible_organisation", str(world.ntnu.pk))
    submit(page)

    page.goto(f"/prosjekter/{project.slug}/risiko/ny/")
    page.fill("#id_description", "For få deltakere")
    page.select_option("#id_probability", "4")
    page.select_option("#id_impact", "5")
    page.fill("#id_measure", "Rekruttere bredt gjennom næringshagen")
    assert_accessible(page, "new risk")
    submit(page)

    assert page.locator("svg.kb-timeline rect.kb-timeline__bar").count() == 2
    assert page.locator("#activities-caption").count() == 1
    assert page.locator("main").get_by_text("20 (").count() == 1
    assert_accessible(page, "project page with the plan")

    narrow = open_tab(viewport={"width": 320, "height": 800}).page
    log_in(narrow, world.users["holtalen_contact"].email)
    narrow.goto(project.get_absolute_url())
    assert narrow.locator("main").get_by_text("Tilpassede utdanningstilbud på arbeidsplassen").count() == 1
    assert_accessible(narrow, "project page at 320 px, a steering group member")

    allocation = AllocationFactory(project=project, recipient=world.council)
    Payment.objects.create(allocation=allocation, amount=Decimal("1000"), status="paid", paid_on=timezone.localdate())
    page.goto(f"/prosjekter/{project.slug}/slett/")
    assert page.locator(f"main form[action$='/prosjekter/{project.slug}/avslutt/']").count() == 1
    assert_accessible(page, "delete refused")
    submit(page, f"main form[action$='/prosjekter/{project.slug}/avslutt/'] button")
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert_accessible(page, "closed project page")
