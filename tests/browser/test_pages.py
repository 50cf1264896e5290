"""Every main page in a real browser: WCAG 2.1 A/AA with axe-core, keyboard use, forms, language and htmx.

The `visit` fixture (conftest.py) also fails a test whose pages sent any request to another origin or logged
an error in the browser console (for instance a Content-Security-Policy violation).
"""

import re

import pytest

from kompetansebro.organisations.models import OrganisationKind
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser

WRONG_ORG_NUMBER = "974760674"  # 974760673 with the wrong check digit


# Pages anyone can see ---------------------------------------------------------------------------------------

PUBLIC_PAGES = [
    ("home", "/"),
    ("organisations", "/organisasjoner/"),
    ("municipalities", "/kommuner/"),
    ("municipality Holtålen", "/kommuner/5026/"),
    ("regions", "/regioner/"),
    ("region Trøndelag Sør", "/regioner/trondelag-sor/"),
    ("log in", "/konto/logg-inn/"),
    ("forgotten password", "/konto/glemt-passord/"),
]


@pytest.mark.parametrize(("label", "path"), PUBLIC_PAGES, ids=[label for label, _ in PUBLIC_PAGES])
def test_public_page_is_accessible(visit, world, label, path):
    page = visit.page
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.title().endswith(" – Kompetansebro")
    assert page.locator("main#main").count() == 1
    assert page.locator("header a[href='/']").first.inner_text().strip() == "Kompetansebro"
    assert page.locator("footer").inner_text().count("NLOD") >= 1
    assert_accessible(page, label)


def test_page_layout_loads_only_own_assets(visit, world):
    page = visit.page
    page.goto("/")
    stylesheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)")
    scripts = page.eval_on_selector_all("script", "scripts => scripts.map(s => [s.src, s.defer])")
    assert any(href.endswith("/static/dist/designsystemet.css") for href in stylesheets)
    assert any(href.endswith("/static/dist/theme.css") for href in stylesheets)
    assert any(href.endswith("/static/kompetansebro/app.css") for href in stylesheets)
    assert all(src for src, _ in scripts), "inline <script> found"
    assert [src for src, defer in scripts if src.endswith("/static/dist/htmx.min.js") and defer]
    assert page.evaluate("typeof window.htmx") == "object"
    # Designsystemet's theme and Inter are really applied.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Inter" in font
    assert page.evaluate("document.fonts.check('16px \"Inter Variable\"')")
    assert not page.locator("[style]").count(), "style= attributes are forbidden by the CSP"


# Keyboard --------------------------------------------------------------------------------------------------


def test_skip_link_appears_on_focus_and_leads_to_main(visit, world):
    page = visit.page
    page.goto("/")
    skip = page.locator("a.ds-skip-link")
    assert skip.get_attribute("href") == "#main"
    hidden_box = skip.bounding_box()
    assert hidden_box is None or hidden_box["width"] <= 1 or hidden_box["height"] <= 1

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ds-skip-link')")
    box = skip.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 16, f"skip link not visible on focus: {box}"
    assert box["y"] >= 0 and box["y"] < 200

    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'", timeout=5000)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'", timeout=5000)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_focus_is_visible_on_links_buttons_and_fields(visit, world):
    page = visit.page
    page.goto("/konto/logg-inn/")
    seen = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    tag: el.tagName.toLowerCase(),
                    cls: el.className,
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                    shadow: style.boxShadow !== 'none',
                    skip: el.classList.contains('ds-skip-link'),
                };
            }"""
        )
        if info["tag"] == "body":
            continue
        seen.add(info["tag"])
        assert info["outline"] or info["shadow"] or info["skip"], f"no visible focus on {info}"
    assert {"a", "button", "input"} <= seen, seen


# Logged in -------------------------------------------------------------------------------------------------


def test_log_in_with_the_form_and_see_own_pages(visit, world):
    page = visit.page
    admin = world.users["holtalen_admin"]
    log_in(page, admin.email)
    assert page.url == f"{visit.base_url}/min-side/"  # the start page (issue 12 item 1)
    assert page.locator(f"header a[href='/konto/min-side/']:has-text('{admin.full_name}')").count() == 1
    assert_accessible(page, "start page, logged in")

    page.click("header a[href='/konto/min-side/']")
    assert page.url.endswith("/konto/min-side/")
    assert page.locator("main").inner_text().count("Holtålen kommune") >= 1
    assert_accessible(page, "profile")

    page.click("header form[action$='/konto/logg-ut/'] button")
    page.wait_for_load_state()
    assert page.locator("header a[href='/konto/logg-inn/']").count() == 1


def test_wrong_password_shows_an_error_summary(visit, world):
    page = visit.page
    page.goto("/konto/logg-inn/")
    page.fill("input[name=username]", world.users["holtalen_admin"].email)
    page.fill("input[name=password]", "not the password")
    page.click("main form button[type=submit]")
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.classList.contains('ds-error-summary')")
    assert_accessible(page, "log in, wrong password")


def test_organisation_detail_as_admin(visit, world):
    page = visit.page
    log_in(page, world.users["holtalen_admin"].email)
    page.goto(world.holtalen.get_absolute_url())
    assert page.locator("h1").inner_text() == "Holtålen kommune"
    assert page.locator(f"a[href='/organisasjoner/{world.holtalen.pk}/endre/']").count() == 1
    assert_accessible(page, "organisation detail (admin)")


def test_organisation_edit_shows_field_error_next_to_the_field(visit, world):
    page = visit.page
    log_in(page, world.users["holtalen_admin"].email)
    page.goto(f"/organisasjoner/{world.holtalen.pk}/endre/")
    assert_accessible(page, "organisation edit form")

    # Every visible field has a label; optional ones say so.
    field = page.locator("#id_org_number")
    assert page.locator("label[for=id_org_number]").count() == 1
    assert page.locator("label[for=id_phone] .kb-optional").count() == 1
    assert page.locator("label[for=id_name] .kb-optional").count() == 0
    assert "id_org_number_helptext" in (field.get_attribute("aria-describedby") or "")

    field.fill(WRONG_ORG_NUMBER)
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/organisasjoner/{world.holtalen.pk}/endre/")

    field = page.locator("#id_org_number")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = (field.get_attribute("aria-describedby") or "").split()
    assert "id_org_number_error" in described_by
    message = page.locator(".ds-field:has(#id_org_number) > .ds-validation-message#id_org_number_error")
    assert message.is_visible()
    assert message.inner_text().strip()
    # The message sits right after the field, and the summary at the top links to the field.
    assert page.evaluate("document.querySelector('#id_org_number').nextElementSibling.id") == "id_org_number_error"
    summary_link = page.locator(".ds-error-summary a[href='#id_org_number']")
    assert summary_link.count() == 1
    assert summary_link.inner_text().strip() == message.inner_text().strip()
    assert page.locator("[aria-invalid=true]").count() == 1
    assert_accessible(page, "organisation edit form with an error")

    summary_link.click()
    assert page.evaluate("document.activeElement.id") == "id_org_number"


def test_organisation_edit_saves_and_history_shows_it(visit, world):
    page = visit.page
    log_in(page, world.users["holtalen_admin"].email)
    page.goto(f"/organisasjoner/{world.holtalen.pk}/endre/")
    page.fill("#id_phone", "72 41 50 00")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(world.holtalen.get_absolute_url())
    status = page.locator(".kb-messages .ds-alert[data-color=success][role=status]")
    assert status.count() == 1
    assert_accessible(page, "organisation detail with a message")

    page.goto(f"/organisasjoner/{world.holtalen.pk}/historikk/")
    assert page.locator(".kb-history__entry").count() >= 1
    assert "72 41 50 00" in page.locator("main").inner_text()
    assert_accessible(page, "organisation history")


# Lists, search and pagination -------------------------------------------------------------------------------


def test_organisation_search_with_htmx(visit, world):
    page = visit.page
    page.goto("/organisasjoner/")
    with page.expect_response(lambda response: "q=Holt" in response.url):
        page.fill("#id_q", "Holtålen")
    page.wait_for_function("!document.querySelector('#results').innerText.includes('Røros Sagbruk')")
    results = page.locator("#results").inner_text()
    assert "Holtålen kommune" in results
    assert "Oslo Konsult" not in results
    assert "q=Holt" in page.url
    assert page.locator("header").count() == 1, "the partial must be swapped into #results only"
    assert_accessible(page, "organisations, search (htmx)")


def test_organisation_search_without_javascript(open_tab, world):
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    page.goto("/organisasjoner/")
    page.fill("#id_q", "Røros")
    page.select_option("#id_kind", OrganisationKind.COMPANY)
    page.click("form.kb-filters button[type=submit]")
    page.wait_for_load_state()
    assert "q=R" in page.url
    results = page.locator("#results").inner_text()
    assert "Røros Sagbruk AS" in results
    assert "Røros kommune" not in results


def test_organisation_list_pagination(visit, world):
    for number in range(30):
        OrganisationFactory(name=f"Bedrift {number:02d} AS", municipality=world.holtalen.municipality)
    page = visit.page
    page.goto("/organisasjoner/?kind=company")
    pagination = page.locator("nav.ds-pagination")
    assert pagination.get_attribute("aria-label")
    assert pagination.locator("[aria-current=page]").inner_text().strip().endswith("1")
    pagination.locator("a[rel=next]").click()
    page.wait_for_load_state()
    assert re.search(r"page=2", page.url) and "kind=company" in page.url
    assert page.locator("nav.ds-pagination [aria-current=page]").inner_text().strip().endswith("2")
    assert_accessible(page, "organisations, page 2")


def test_municipality_filter_with_checkboxes(visit, world):
    page = visit.page
    page.goto("/kommuner/?centrality=6")
    assert page.locator("fieldset.ds-fieldset legend").count() >= 1
    assert page.locator("fieldset.ds-fieldset input[type=checkbox][value='6']").is_checked()
    assert "Holtålen" in page.locator("#results").inner_text()
    assert_accessible(page, "municipalities, centrality 6")


# Language -------------------------------------------------------------------------------------------------


def test_language_switch_to_english_and_back(visit, world):
    page = visit.page
    page.goto("/kommuner/5026/")
    assert page.locator("html").get_attribute("lang") == "nb"
    page.click("form.kb-language button[value=en]")
    page.wait_for_load_state()
    assert page.url.endswith("/kommuner/5026/"), "the switch must return to the same page"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("form.kb-language button[value=nb]").get_attribute("lang") == "nb"
    assert_accessible(page, "municipality Holtålen, English")

    page.goto("/organisasjoner/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, "organisations, English")

    page.click("form.kb-language button[value=nb]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nb"


def test_language_switch_works_without_javascript(open_tab, world):
    page = open_tab(java_script_enabled=False).page
    page.goto("/regioner/")
    page.click("form.kb-language button[value=en]")
    page.wait_for_load_state()
    assert page.url.endswith("/regioner/")
    assert page.locator("html").get_attribute("lang") == "en"


# Small screens --------------------------------------------------------------------------------------------

SMALL_SCREEN_PAGES = ["/", "/organisasjoner/", "/kommuner/", "/regioner/trondelag-sor/", "/konto/logg-inn/"]


@pytest.mark.parametrize("path", SMALL_SCREEN_PAGES)
def test_small_screen_has_no_sideways_scrolling(open_tab, world, path):
    """WCAG 1.4.10 Reflow: at 320 CSS pixels the page itself must not scroll sideways (tables may)."""
    page = open_tab(viewport={"width": 320, "height": 640}).page
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px too wide at 320px"
    assert_accessible(page, f"{path} at 320px")


# More forms: a long checkbox group, a form with only required fields, password fields ------------------------


def test_region_form_with_a_checkbox_group(visit, world):
    page = visit.page
    log_in(page, world.users["platform_admin"].email)
    page.goto("/regioner/ny/")
    group = page.locator("fieldset.ds-fieldset:has(input[name=municipalities])")
    assert group.locator("legend").count() == 1
    assert group.locator(".ds-field input[type=checkbox] + label").count() > 300
    assert_accessible(page, "region form (new)")

    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    name = page.locator("#id_name")
    assert name.get_attribute("aria-invalid") == "true"
    assert "id_name_error" in (name.get_attribute("aria-describedby") or "")
    assert page.locator(".ds-error-summary a[href='#id_name']").count() == 1
    assert_accessible(page, "region form with errors")

    page.goto("/regioner/trondelag-sor/endre/")
    assert_accessible(page, "region form (reference region, fields locked)")


def test_add_person_form_with_errors(visit, world):
    page = visit.page
    log_in(page, world.users["holtalen_admin"].email)
    page.goto(f"/organisasjoner/{world.holtalen.pk}/personer/ny/")
    assert_accessible(page, "add person form")
    page.fill("#id_email", "ny.person@example.no")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    full_name = page.locator("#id_full_name")
    assert full_name.get_attribute("aria-invalid") == "true"
    assert full_name.get_attribute("aria-describedby").split() == ["id_full_name_helptext", "id_full_name_error"]
    assert_accessible(page, "add person form with an error")


def test_password_change_form(visit, world):
    page = visit.page
    log_in(page, world.users["outsider"].email)
    page.goto("/konto/passord/")
    assert page.locator("input[type=password]").count() == 3
    assert page.locator(".kb-optional").count() == 0
    assert_accessible(page, "password change form")


def test_small_screen_logged_in_pages(open_tab, world):
    """Reflow also for pages with people tables, action buttons and change history."""
    page = open_tab(viewport={"width": 320, "height": 640}).page
    log_in(page, world.users["holtalen_admin"].email)
    page.goto(f"/organisasjoner/{world.holtalen.pk}/endre/")
    page.fill("#id_website", "https://www.holtalen.kommune.no/tjenester/opplaering-og-kompetanseutvikling")
    page.fill("#id_description", "Kommunen i Gauldalen med " + "kompetansebehov " * 20)
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    for path in [
        world.holtalen.get_absolute_url(),
        f"/organisasjoner/{world.holtalen.pk}/historikk/",
        f"/organisasjoner/{world.holtalen.pk}/endre/",
        "/konto/min-side/",
    ]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px too wide at 320px"
        assert_accessible(page, f"{path} at 320px, logged in")
