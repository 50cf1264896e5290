"""The public front page in a real browser (issue 12 item 6): a visitor searches from the front page and
asks what they can take where they live, and lands in the catalogue with results; axe-core on every page."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import OfferingFactory
from tests.forum_factories import ForumFactory, MeetingFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def region_life(world):
    OfferingFactory(provider=world.ntnu, title="Helsefagarbeider på nett")
    OfferingFactory(provider=world.ntnu, title="Sveising på campus", delivery_online=False, delivery_campus=True)
    forum = ForumFactory(name="Kompetanseforum Trøndelag Sør", region=world.region, owner=world.council)
    return MeetingFactory(forum=forum, title="Høstmøtet")


def result_titles(page) -> list[str]:
    return page.locator("#results article h2").all_inner_texts()


def test_visitor_searches_and_asks_what_they_can_take_where_they_live(visit, world, region_life):
    page = visit.page
    page.goto("/")
    assert page.get_by_role("heading", level=2, name="Nyeste tilbud").count() == 1
    newest = page.locator("section", has=page.get_by_role("heading", name="Nyeste tilbud"))
    assert newest.get_by_role("link", name="Helsefagarbeider på nett").count() == 1
    meetings = page.locator("section", has=page.get_by_role("heading", name="Kommende forummøter"))
    assert meetings.get_by_role("link", name="Høstmøtet").count() == 1
    assert_accessible(page, "front page (visitor)")

    search = page.get_by_role("search", name="Søk i utdanningstilbud")
    search.get_by_label("Søk", exact=True).fill("sveis")
    with page.expect_navigation():
        search.get_by_role("button", name="Søk", exact=True).click()
    assert "/tilbud/?q=sveis" in page.url
    assert result_titles(page) == ["Sveising på campus"]
    assert_accessible(page, "catalogue from the front page search")

    page.goto("/")
    near_me = page.get_by_role("form", name="Hva kan jeg ta der jeg bor?")
    near_me.get_by_label("Jeg bor i").select_option(label="Holtålen")
    with page.expect_navigation():
        near_me.get_by_role("button", name="Vis tilbud").click()
    assert "municipality=5026" in page.url
    assert result_titles(page) == ["Helsefagarbeider på nett"], "campus in Trondheim is not near Holtålen"
    assert "Viser hva du kan ta fra Holtålen" in page.locator("#results").inner_text()
    assert_accessible(page, "catalogue from the front page's municipality choice")


def test_the_front_page_says_what_happens_when_nothing_is_there_yet(visit, world):
    page = visit.page
    page.goto("/")
    assert "Ingen forummøter er planlagt ennå." in page.locator("main").inner_text()
    assert_accessible(page, "front page, nothing published yet")
