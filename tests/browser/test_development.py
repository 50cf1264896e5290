"""The gap analysis and a development request end to end in a real browser; every page checked with axe-core.

The secretariat of Trøndelag Sør opens the gap analysis from the region page, filters it, creates a request
from a group of needs that no offering fits, and sends it to NTNU Videre; the provider's administrator answers
that they will develop a new programme, with dates, and later links the offering they registered. The needs
move forward and the need's page shows the request and the answer. Each person has a browser context of
their own. The matching engine is not run: the needs get a low best score directly.

Texts of this app may not be translated yet, so its own controls are found by their names and addresses.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kompetansebro.development.models import DevelopmentRequest, ProviderAnswer, RequestStatus
from kompetansebro.needs.models import NeedStatus
from kompetansebro.needs.services import need_change_status
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import MatchStateFactory, NeedFactory, OfferingFactory

pytestmark = pytest.mark.browser

TITLE = "Fagbrev i helsearbeiderfaget med samlinger i Holtålen"


def submit(page, selector: str):
    with page.expect_navigation():
        page.locator(selector).click()


def presented_need(world, organisation, title, persons):
    need = NeedFactory(organisation=organisation, title=title, persons=persons, level="fagbrev")
    MatchStateFactory(need=need, best_score=0.05)
    for status in (NeedStatus.QUALIFIED, NeedStatus.PRESENTED):
        need_change_status(actor=world.users["secretariat_sor"], need=need, to_status=status)
    return need


def test_gap_analysis_to_a_linked_offering(open_tab, world):
    needs = [
        presented_need(world, world.holtalen, "Helsefagarbeidere i hjemmetjenesten", 3),
        presented_need(world, world.homecare, "Fagbrev for assistenter på sykehjemmet", 4),
    ]
    elsewhere = presented_need(world, world.roros, "Helsefagarbeidere på Røros", 2)
    date = lambda days: (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")  # noqa: E731

    # The secretariat finds the gap analysis on the region's page.
    secretariat = open_tab().page
    log_in(secretariat, world.users["secretariat_sor"].email)
    secretariat.goto(world.region.get_absolute_url())
    secretariat.locator(f"main a[href='/bestillinger/behovsgap/{world.region.code}/']").click()
    secretariat.wait_for_url(f"**/bestillinger/behovsgap/{world.region.code}/")
    table = secretariat.locator("#gap-table")
    assert table.locator("tbody tr").count() == 2
    assert secretariat.locator("svg.kb-chart[role=img]").count() == 2
    assert_accessible(secretariat, "gap analysis")

    # Filtering by centrality class (htmx) keeps only Røros' group, then back to all.
    roros_class = str(world.roros.municipality.centrality_class)
    holtalen_class = str(world.holtalen.municipality.centrality_class)
    if roros_class != holtalen_class:
        secretariat.select_option("#id_centrality", roros_class)
        secretariat.wait_for_url(f"**centrality={roros_class}**")
        expect(table.locator("tbody tr")).to_have_count(1)
        assert_accessible(secretariat, "gap analysis, filtered")
        secretariat.select_option("#id_centrality", "")
        expect(table.locator("tbody tr")).to_have_count(2)

    # The Holtålen group (7 persons, most first) leads to the create form with its two needs ticked.
    first_row = table.locator("tbody tr").first
    assert "7" in first_row.inner_text()
    first_row.locator("a[href*='/bestillinger/ny/']").click()
    secretariat.wait_for_url("**/bestillinger/ny/**")
    for need in needs:
        assert secretariat.locator(f"input[name=needs][value='{need.pk}']").is_checked()
    assert secretariat.locator(f"input[name=needs][value='{elsewhere.pk}']").count() == 0
    assert_accessible(secretariat, "create development request")

    # Without a provider and with a deadline in the past: errors beside the fields.
    secretariat.fill("#id_title", TITLE)
    secretariat.fill("#id_description", "Teori på nett og samlinger i Holtålen, oppstart til høsten.")
    secretariat.fill("#id_answer_deadline", "01.01.2020")
    submit(secretariat, "main form button[type=submit]")
    assert secretariat.locator("#id_answer_deadline").get_attribute("aria-invalid") == "true"
    assert secretariat.locator(".ds-error-summary a[href='#id_providers_fieldset']").count() == 1
    assert_accessible(secretariat, "create development request, with errors")

    secretariat.fill("#id_answer_deadline", date(14))
    secretariat.fill("#id_wanted_start", date(120))
    secretariat.check(f"input[name=providers][value='{world.ntnu.pk}']")
    submit(secretariat, "main form button[type=submit]")
    request = DevelopmentRequest.objects.get(title=TITLE)
    assert secretariat.url.endswith(f"/bestillinger/{request.pk}/")
    assert request.status == RequestStatus.DRAFT
    assert_accessible(secretariat, "development request, draft")
    assert secretariat.get_by_role("navigation", name="Hovedmeny").locator("a[href='/bestillinger/']").count() == 1

    submit(secretariat, f"form[action='/bestillinger/{request.pk}/send/'] button")
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT
    assert [message.to for message in mail.outbox] == [["admin@ntnu.example.no"]]
    for need in needs:
        need.refresh_from_db()
        assert need.status == NeedStatus.IN_DIALOGUE
    assert_accessible(secretariat, "development request, sent")

    # The provider follows the link in the e-mail to the list and answers: a new programme, with dates.
    assert f"/bestillinger/{request.pk}/" in mail.outbox[0].body
    provider = open_tab().page
    log_in(provider, world.users["ntnu_admin"].email)
    provider.goto("/bestillinger/")
    assert_accessible(provider, "development requests, provider")
    provider.get_by_role("link", name=TITLE).click()
    provider.wait_for_url(f"**/bestillinger/{request.pk}/")
    assert provider.locator("#answer form").count() == 1
    provider.check("input[name=kind][value=new]")
    provider.fill("#id_planned_start", date(120))
    provider.fill("#id_planned_end", date(480))
    submit(provider, "#answer form button[type=submit]")
    answer = ProviderAnswer.objects.get(request=request)
    assert answer.kind == "new" and answer.answered_by == world.users["ntnu_admin"]
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    assert_accessible(provider, "development request, answered")

    # The programme is registered as a planned offering; the provider links it and the needs move on.
    offering = OfferingFactory(provider=world.ntnu, title="Helsefagarbeider for voksne i Holtålen", status="planned")
    provider.reload()
    provider.select_option(f"#id_link_{answer.pk}_offering", str(offering.pk))
    submit(provider, f"form[action='/bestillinger/{request.pk}/koble-tilbud/'] button")
    answer.refresh_from_db()
    assert answer.linked_offering == offering
    for need in needs:
        need.refresh_from_db()
        assert need.status == NeedStatus.BEING_ADAPTED
    assert provider.locator(f"main a[href='{offering.get_absolute_url()}']").count() >= 1
    assert provider.locator(f"#id_link_{answer.pk}_offering").count() == 0  # linked once: the form is gone
    assert_accessible(provider, "development request, offering linked")

    # The need's page shows the request and the provider's answer.
    secretariat.goto(needs[0].get_absolute_url())
    section = secretariat.locator("section[aria-labelledby=development-requests-heading]")
    assert TITLE in section.inner_text()
    assert "NTNU Videre" in section.inner_text()
    assert section.locator(f"a[href='{offering.get_absolute_url()}']").count() == 1
    assert_accessible(secretariat, "need with a development request")
