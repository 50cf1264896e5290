"""Matching in a real browser; every page with JavaScript is checked with axe-core.

The owner of a need sees the ranked offerings with their reasons in bokmål, marks one as fitting (htmx swap)
and rejects another, first without a reason (the error beside the field), then with one. The secretariat's
accept moves the need one step and reloads the page. The same decisions work without JavaScript. A member of
the provider goes from the organisation page to the needs that match its offerings, counted by region. At
320 px neither page scrolls sideways.

UI strings are compared with Django's own bokmål translation (the catalogue may still be in the works), the
reasons with the engine's bokmål texts.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from kompetansebro.competences.models import CompetenceField
from kompetansebro.matching import engine_cache, services
from kompetansebro.matching.models import MatchDecision
from kompetansebro.needs.models import NeedStatus, Visibility
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import NeedFactory, OfferingFactory

pytestmark = pytest.mark.browser

REASON = "Kurset gis bare på campus i Trondheim."


def nb(message: str, **values) -> str:
    with translation.override("nb"):
        text = gettext(message)
    return text % values if values else text


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def matching(world):
    """Three open NTNU offerings (two in health, one close to the need) and Holtålen's need, matched."""
    engine_cache.reset()
    offerings = {
        "health": OfferingFactory(
            provider=world.ntnu,
            title="Helsefagarbeider for voksne",
            description="Fagbrev i helsearbeiderfaget ved siden av jobb, på nett.",
            level="fagbrev",
        ),
        "elderly": OfferingFactory(
            provider=world.ntnu,
            title="Demensomsorg",
            description="Videreutdanning om demens for sykepleiere.",
            level="videreutdanning",
        ),
        "tech": OfferingFactory(
            provider=world.ntnu,
            title="Varmepumper og kuldeteknikk",
            description="Kurs i F-gass for montører.",
            level="kurs",
            field=CompetenceField.objects.get(code="bygg-og-anlegg"),
        ),
    }
    need = NeedFactory(
        organisation=world.holtalen,
        title="Helsefagarbeidere i hjemmetjenesten",
        description="Vi trenger helsefagarbeidere med fagbrev i hjemmetjenesten.",
        level="fagbrev",
        persons=4,
    )
    services.rematch_need(need)
    yield need, offerings
    engine_cache.reset()


def match(page, offering):
    return page.locator(f"#need-matches #match-{offering.pk}")


def open_reject_form(page, offering):
    card = match(page, offering)
    if card.locator("details.kb-reject[open]").count() == 0:
        card.locator("details.kb-reject > summary").click()
    return card.locator("form.kb-reject__form")


def reason_field(page, offering):
    """The reason field, found through its visible label (which proves the label is tied to it)."""
    form = match(page, offering).locator("form.kb-reject__form")
    return form.get_by_label(nb("Why does the offering not fit?"), exact=True)


def test_owner_sees_ranked_offerings_and_accepts_and_rejects_with_htmx(visit, world, matching):
    need, offerings = matching
    page = visit.page
    log_in(page, world.users["holtalen_admin"].email)
    page.goto(need.get_absolute_url())

    section = page.locator("section#need-matches")
    assert section.get_by_role("heading", level=2).inner_text() == nb("Suitable offerings")
    cards = section.locator("ol.kb-matches > li.kb-match")
    assert cards.count() >= 2
    titles = [title.strip() for title in section.locator("ol.kb-matches > li h3 a").all_inner_texts()]
    assert titles[0] == "Helsefagarbeider for voksne", titles
    assert "Demensomsorg" in titles
    first = match(page, offerings["health"])
    reasons = first.locator("ul.kb-reasons > li").all_inner_texts()
    assert "Nivået passer: fagbrev" in reasons, reasons
    assert first.locator("h3 .kb-visually-hidden").inner_text().strip() == nb("Rank %(rank)s:", rank=1)
    assert first.locator("meter").is_visible()
    assert first.locator("meter").bounding_box()["width"] >= 64
    assert "NTNU Videre" in first.locator("dl.kb-facts").inner_text()
    assert_accessible(page, "need page with suggestions")

    # Keyboard: the accept button and the "does not fit" toggle show where the focus is.
    first.get_by_role("button").first.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    # Accept the second offering: the section is swapped in place, the decision and the notice show.
    elderly = offerings["elderly"]
    requests_before = len(visit.requests)
    match(page, elderly).locator("form[action$='/passer/'] button[type=submit]").click()
    page.locator(f"#match-{elderly.pk}[data-decision=accepted]").wait_for()
    assert page.url.endswith(need.get_absolute_url()), "htmx swaps the section, no navigation"
    assert not any(url.endswith(need.get_absolute_url()) for url in visit.requests[requests_before:])
    notice = section.locator("[role=status]").inner_text()
    assert nb("“%(title)s” is marked as fitting the need.", title="Demensomsorg") in notice
    assert nb("Marked as fitting") in match(page, elderly).locator(".kb-match__decision").inner_text()
    assert match(page, elderly).locator("form[action$='/passer/']").count() == 0
    decisions = page.get_by_role("table", name=nb("Decisions on offerings"))
    assert "Demensomsorg" in decisions.locator("tbody").inner_text()
    need.refresh_from_db()
    assert need.status == NeedStatus.REGISTERED, "the owner may not qualify the need: it stays where it is"
    assert_accessible(page, "need page after accepting")

    # Reject the first one without a reason: the error is beside the field, which is marked invalid.
    health = offerings["health"]
    form = open_reject_form(page, health)
    assert reason_field(page, health).is_visible()
    form.get_by_role("button", name=nb("Stop suggesting it")).click()
    page.locator(f"#match-{health.pk} textarea[aria-invalid=true]").wait_for()
    field = reason_field(page, health)
    error_id = field.get_attribute("aria-describedby")
    error = page.locator(f"#{error_id}")
    assert error.inner_text().strip() == nb("Write why the offering does not fit.")
    assert error.is_visible()
    assert page.locator(f"#match-{health.pk} details.kb-reject[open]").count() == 1
    assert not MatchDecision.objects.filter(need=need, offering=health).exists()
    assert_accessible(page, "need page, rejecting without a reason")

    # With a reason it is no longer suggested and shows among the decisions.
    field.fill(REASON)
    match(page, health).get_by_role("button", name=nb("Stop suggesting it")).click()
    match(page, health).wait_for(state="detached")
    assert (
        nb("“%(title)s” will no longer be suggested.", title=health.title)
        in section.locator("[role=status]").inner_text()
    )
    rows = decisions.locator("tbody tr")
    assert rows.count() == 2
    rejected = rows.filter(has_text=health.title).inner_text()
    assert REASON in rejected
    decision = MatchDecision.objects.get(need=need, offering=health)
    assert decision.decision == "rejected" and decision.reason == REASON
    assert_accessible(page, "need page after rejecting")


def test_secretariat_accepting_moves_the_need_and_reloads_the_page(visit, world, matching):
    need, offerings = matching
    page = visit.page
    log_in(page, world.users["secretariat_sor"].email)
    page.goto(need.get_absolute_url())
    with page.expect_navigation():
        match(page, offerings["health"]).locator("form[action$='/passer/'] button[type=submit]").click()
    page.locator(f"#match-{offerings['health'].pk}[data-decision=accepted]").wait_for()
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_DIALOGUE
    with translation.override("nb"):
        in_dialogue = str(NeedStatus.IN_DIALOGUE.label)
    assert in_dialogue.lower() in page.locator("dl.kb-facts").first.inner_text().lower()
    notice = nb("“%(title)s” is marked as fitting the need.", title=offerings["health"].title)
    assert notice in page.locator(".kb-messages").inner_text()
    assert "Helsefagarbeider for voksne" in page.get_by_role("table", name=nb("Status history")).inner_text()
    assert_accessible(page, "need page after the secretariat accepted")


def test_accept_and_reject_without_javascript(open_tab, world, matching):
    need, offerings = matching
    page = open_tab(java_script_enabled=False).page
    log_in(page, world.users["holtalen_contact"].email)
    page.goto(need.get_absolute_url())
    elderly, health = offerings["elderly"], offerings["health"]

    with page.expect_navigation():
        match(page, elderly).locator("form[action$='/passer/'] button[type=submit]").click()
    assert page.url.endswith(f"{need.get_absolute_url()}#matches-heading")
    assert (
        nb("“%(title)s” is marked as fitting the need.", title=elderly.title)
        in page.locator(".kb-messages").inner_text()
    )
    assert match(page, elderly).get_attribute("data-decision") == "accepted"

    open_reject_form(page, health)  # <details> opens without JavaScript
    with page.expect_navigation():
        match(page, health).get_by_role("button", name=nb("Stop suggesting it")).click()
    assert nb("Write why the offering does not fit.") in page.locator(".kb-messages").inner_text()
    assert not MatchDecision.objects.filter(need=need, offering=health).exists()

    open_reject_form(page, health)
    reason_field(page, health).fill(REASON)
    with page.expect_navigation():
        match(page, health).get_by_role("button", name=nb("Stop suggesting it")).click()
    assert (
        nb("“%(title)s” will no longer be suggested.", title=health.title) in page.locator(".kb-messages").inner_text()
    )
    assert match(page, health).count() == 0
    assert REASON in page.get_by_role("table", name=nb("Decisions on offerings")).inner_text()
    # axe-core needs JavaScript; the same markup is checked with JavaScript on above.


def test_provider_sees_matching_needs_by_region(visit, world, matching):
    _, offerings = matching
    public = NeedFactory(
        organisation=world.roros,
        title="Helsefagarbeidere på Røros",
        description="Vi trenger helsefagarbeidere med fagbrev.",
        public_title="Helsefagarbeidere med fagbrev",
        public_description="Seks ansatte i omsorgstjenesten vil ta fagbrev.",
        level="fagbrev",
        persons=6,
        visibility=Visibility.PUBLIC_ANONYMISED,
    )
    services.rematch_need(public)
    page = visit.page
    log_in(page, world.users["ntnu_admin"].email)
    page.goto(world.ntnu.get_absolute_url())
    # The organisation's page links there; so does the main menu for provider members (issue 12 item 2).
    page.locator("main").get_by_role("link", name=nb("Matching needs"), exact=True).click()
    page.wait_for_url(f"**/kobling/tilbyder/{world.ntnu.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().strip().endswith("NTNU Videre")

    regions = page.get_by_role("table", name=nb("By region"))
    row = regions.locator("tbody tr").filter(has_text=world.region.name)
    assert row.locator("td").all_inner_texts()[1:] == ["1", "6"]
    region = page.locator("main section").filter(has=page.get_by_role("heading", level=2, name=f"{world.region.name}:"))
    assert region.get_by_role("heading", level=2).inner_text().startswith(f"{world.region.name}: ")
    assert public.public_title in region.inner_text()  # a provider sees what the public sees (issue 11 item 14)
    assert public.title not in region.inner_text()
    assert "Røros kommune" not in region.inner_text()  # a public need is shown without its organisation
    assert "Helsefagarbeidere i hjemmetjenesten" not in page.locator("main").inner_text()  # region need
    assert offerings["health"].title in region.inner_text()
    assert_accessible(page, "provider's matching needs")


def test_matching_pages_at_320_px(open_tab, world, matching):
    """WCAG 1.4.10 Reflow: the cards, the open reject form with its error and the tables fit 320 CSS px."""
    need, offerings = matching
    page = open_tab(viewport={"width": 320, "height": 640}).page
    log_in(page, world.users["holtalen_admin"].email)
    page.goto(need.get_absolute_url())
    health = offerings["health"]
    match(page, offerings["elderly"]).locator("form[action$='/passer/'] button[type=submit]").click()
    page.locator(f"#match-{offerings['elderly'].pk}[data-decision=accepted]").wait_for()
    open_reject_form(page, health).get_by_role("button", name=nb("Stop suggesting it")).click()
    page.locator(f"#match-{health.pk} textarea[aria-invalid=true]").wait_for()
    assert overflow(page) <= 0, f"the need page is {overflow(page)}px too wide at 320px"
    card = match(page, health).bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= 320
    assert_accessible(page, "need page with suggestions at 320px")

    page = open_tab(viewport={"width": 320, "height": 640}).page
    log_in(page, world.users["ntnu_admin"].email)
    page.goto(f"/kobling/tilbyder/{world.ntnu.pk}/")
    assert overflow(page) <= 0, f"the provider page is {overflow(page)}px too wide at 320px"
    assert_accessible(page, "provider's matching needs at 320px")
