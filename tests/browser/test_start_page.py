"""A municipality's contact person logs in, lands on the start page ("Min side") and follows the first work
item to the mapping round that waits for an answer (issue 12 item 1); every page checked with axe-core."""

import datetime

import pytest
from django.utils import timezone

from kompetansebro.mapping.models import MappingRound, RoundInvitation
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_a_contact_lands_on_the_start_page_and_follows_the_first_item(open_tab, world):
    today = timezone.localdate()
    for title, days in (("Behov før forumet i mars", 21), ("Behov etter sommeren", 60)):
        mapping_round = MappingRound.objects.create(
            region=world.region, title=title, opens_on=today, deadline=today + datetime.timedelta(days=days)
        )
        RoundInvitation.objects.create(round=mapping_round, organisation=world.holtalen)

    page = open_tab().page
    log_in(page, world.users["holtalen_contact"].email)
    page.wait_for_url("**/min-side/")
    assert page.get_by_role("heading", level=1).inner_text() == "Min side"
    menu_link = page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Min side")
    assert menu_link.get_attribute("aria-current") == "page"
    assert_accessible(page, "start page")

    work = page.locator(".kb-work-item")
    assert work.count() == 2
    first = work.first
    assert "Behov før forumet i mars" in first.inner_text()
    first.get_by_role("link").click()
    page.wait_for_url("**/kartlegging/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Behov før forumet i mars"
    assert_accessible(page, "the first work item: a mapping round")
