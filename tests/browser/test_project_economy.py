"""The Kompetansepilot follow-up in a real browser, every page checked with axe-core: the secretariat enters
seed 000's budget (kr 600 000 in four lines) and financing (kr 450 000 from KMD via TRFK, 200 in-kind hours at
the scheme's kr 750), the project page says in plain words that the own share of 25,0 % is below the 30 % the
scheme requires, an actual cost shows in the chart and its table, the year's two status reports are scheduled,
one is filled in from the scheme's questions (a missing answer blocks submitting) and submitted, and the
project leader's orientation becomes a follow-up task of the forum.

Texts of this app may not be translated yet, so its own controls are found by their names and addresses."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kompetansebro.forums.models import FollowUpTask
from kompetansebro.grants.models import ReportQuestion
from kompetansebro.projects.models import ActualCost, BudgetLine, FinancingSource, ReportStatus, StatusReport
from tests.browser.conftest import assert_accessible, log_in
from tests.grant_factories import GrantSchemeFactory, ProjectFactory
from tests.test_forums import forum_in

pytestmark = pytest.mark.browser

SEED_LINES = [
    ("hours", "Timebruk (planlegging, samarbeid, utvikling)", "500 000"),
    ("travel", "Reisevirksomhet", "15 000"),
    ("meetings", "Møtevirksomhet (servering o.l.)", "15 000"),
    ("digital_equipment", "Digitalt utstyr (tilfaller tilbydere)", "70 000"),
]


def submit(page, selector: str = "main form[method=post][novalidate] button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_kompetansepilot_budget_financing_and_reports(open_tab, world):
    scheme = GrantSchemeFactory(
        name="Kompetansepiloter",
        max_grant_share=Decimal("70"),
        in_kind_counts=True,
        in_kind_hourly_rate=Decimal("750"),
        target_centrality_classes=[5, 6],
    )
    for position, text in enumerate(["Lokal forankring", "Resultater så langt"]):
        ReportQuestion.objects.create(scheme=scheme, position=position, text=text)
    today = timezone.localdate()
    project = ProjectFactory(
        name="Utdanning i bedrift med desentraliserte utdanningsprogram",
        slug="utdanning-i-bedrift",
        owner=world.council,
        region=world.region,
        scheme=scheme,
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year + 2, 12, 31),
    )
    forum = forum_in(world, slug="kompetanseforum-sor", name="Kompetanseforum Trøndelag Sør")
    page = open_tab().page
    log_in(page, world.users["secretariat_sor"].email)

    # the budget, line by line; an amount that is not a number is named in the error summary
    page.goto(f"/prosjekter/{project.slug}/budsjett/")
    assert_accessible(page, "empty budget")
    page.select_option("#id_category", "travel")
    page.fill("#id_amount", "femten tusen")
    submit(page)
    assert page.locator(".ds-error-summary a[href='#id_amount']").count() == 1
    assert_accessible(page, "budget line with an error")
    for category, description, amount in SEED_LINES:
        page.select_option("#id_category", category)
        page.fill("#id_description", description)
        page.fill("#id_amount", amount)
        submit(page)
    assert BudgetLine.objects.filter(project=project).count() == 4
    assert_accessible(page, "budget with four lines")

    # the financing plan: the grant and the in-kind hours at the scheme's rate
    page.goto(f"/prosjekter/{project.slug}/finansiering/")
    page.select_option("#id_kind", "grant")
    page.fill("#id_description", "KMD via Trøndelag fylkeskommune")
    page.fill("#id_amount", "450 000")
    submit(page)
    page.select_option("#id_kind", "in_kind")
    page.fill("#id_description", "Timeinnsats, deltakere i Kompetanseforum Trøndelag Sør")
    page.fill("#id_hours", "200")
    submit(page)
    assert FinancingSource.objects.filter(project=project).count() == 2
    assert page.locator("main").get_by_text("25,0\xa0%").count() >= 1
    assert_accessible(page, "financing plan")

    # an actual cost
    page.goto(f"/prosjekter/{project.slug}/kostnader/ny/")
    assert_accessible(page, "register a cost")
    page.select_option("#id_budget_line", str(BudgetLine.objects.get(project=project, category="travel").pk))
    page.fill("#id_incurred_on", today.strftime("%d.%m.%Y"))
    page.fill("#id_description", "Reise til erfaringsseminar")
    page.fill("#id_amount", "4 200")
    submit(page)
    assert ActualCost.objects.get().amount == Decimal("4200")
    assert page.locator("main svg[role=img]").count() == 1
    assert_accessible(page, "actual costs with the chart")

    # the project page: the check in plain words, the chart with its table, the reports section
    page.goto(project.get_absolute_url())
    economy = page.locator("section[aria-labelledby=project-economy-heading]")
    assert economy.get_by_text("25,0\xa0%").count() >= 1
    assert economy.locator("svg[role=img]").count() == 1
    assert economy.locator("table caption").count() >= 1
    page.locator("details.kb-details summary").click()
    assert_accessible(page, "project page with economy and reports")
    with page.expect_navigation():
        page.locator("form[action$='/rapporter/planlegg/'] button[type=submit]").click()
    reports = list(StatusReport.objects.filter(project=project).order_by("due_on"))
    assert [(r.due_on.month, r.due_on.day) for r in reports] == [(8, 15), (2, 15)]

    # fill in the first report: a missing answer blocks submitting, then everything is answered
    report = reports[0]
    page.goto(f"/prosjekter/{project.slug}/rapporter/{report.pk}/fyll-ut/")
    # the economic report starts from the budget and the costs
    assert "kr\xa0600\xa0000" in page.locator("textarea[name=economic_report]").input_value()
    assert_accessible(page, "fill in a status report")
    first_question, second_question = ReportQuestion.objects.filter(scheme=scheme).order_by("position")
    page.fill(f"textarea[name=answer_{first_question.pk}]", "Forankret i rådet og kommunene.")
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE
    page.fill(f"textarea[name=answer_{second_question.pk}]", "To utdanningsløp i gang.")
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert_accessible(page, "submitted status report")

    # the leader's yearly orientation to the forum
    page.goto(f"/prosjekter/{project.slug}/rapporter/{report.pk}/orientering/")
    assert_accessible(page, "plan the orientation")
    page.select_option("#id_forum", str(forum.pk))
    page.fill("#id_due_on", (today + datetime.timedelta(days=30)).strftime("%d.%m.%Y"))
    submit(page)
    task = FollowUpTask.objects.get(forum=forum)
    assert task.responsible_person == project.leader
    report.refresh_from_db()
    assert report.orientation_task == task


def test_the_economy_section_at_320_px(open_tab, world):
    project = ProjectFactory(owner=world.council, region=world.region, slug="smal-skjerm")
    BudgetLine.objects.create(project=project, category="hours", description="Timebruk", amount=Decimal("500000"))
    page = open_tab(viewport={"width": 320, "height": 800}).page
    log_in(page, world.users["secretariat_sor"].email)
    page.goto(project.get_absolute_url())
    assert_accessible(page, "project page at 320 px")
    page.goto(f"/prosjekter/{project.slug}/budsjett/")
    assert_accessible(page, "budget at 320 px")
