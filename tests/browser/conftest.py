"""End-to-end tests in Debian's headless Chromium, driven by Playwright, checked with axe-core.

Run: .venv/bin/pytest tests/browser -p no:xdist -q   (needs /usr/bin/chromium and `npm ci && npm run build`)

Playwright never downloads a browser here: it drives the system Chromium. Every page the tests open is checked
for WCAG 2.1 A/AA violations with axe-core (bundled in axe-playwright-python), for requests to any other origin,
and for browser console errors (such as Content-Security-Policy violations).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DIST = Path(__file__).resolve().parents[2] / "kompetansebro" / "core" / "static" / "dist"
MISSING_CHROMIUM = (
    f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's Chromium (apt-get install -y chromium); "
    "Playwright must not download a browser of its own."
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# Filled as tests run and printed at the end: what axe found on which page.
AXE_LOG: list[tuple[str, str, int]] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    browser_items = [
        report
        for key in ("passed", "failed", "skipped", "error")
        for report in terminalreporter.stats.get(key, [])
        if "tests/browser/" in getattr(report, "nodeid", "")
    ]
    if not browser_items:
        return
    if not CHROMIUM.exists():
        terminalreporter.write_sep("!", MISSING_CHROMIUM, red=True, bold=True)
    if AXE_LOG:
        terminalreporter.write_sep("-", "axe-core (WCAG 2.1 A/AA) per page")
        for label, url, count in AXE_LOG:
            terminalreporter.write_line(f"{count:3d} violations  {label}  {url}")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(MISSING_CHROMIUM)
    if not (DIST / "designsystemet.css").exists() or not (DIST / "htmx.min.js").exists():
        pytest.fail(
            f"The front-end build is missing in {DIST}: run `npm ci --no-audit --no-fund && npm run build` first.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser tab on the live server that remembers every request and console error it saw."""

    def __init__(self, browser, live_server, **context_options):
        self.base_url = live_server.url
        options = {"locale": "nb-NO", "viewport": {"width": 1280, "height": 900}, **context_options}
        self.context = browser.new_context(base_url=self.base_url, **options)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: (
                self.console_errors.append(f"{message.text} ({self.page.url})") if message.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(f"{error} ({self.page.url})"))

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base_url + "/")]

    def check_and_close(self):
        self.context.close()
        foreign = self.foreign_requests()
        assert not foreign, "Requests left the site's own origin:\n" + "\n".join(foreign)
        assert not self.console_errors, "Errors in the browser console:\n" + "\n".join(self.console_errors)


@pytest.fixture
def visit(chromium, live_server, transactional_db):
    """visit.page: a fresh browser tab; after the test, no request may have gone to another origin and the
    console must be free of errors (CSP violations, JavaScript errors, failed loads)."""
    tab = Visit(chromium, live_server)
    yield tab
    tab.check_and_close()


@pytest.fixture
def open_tab(chromium, live_server, transactional_db):
    """open_tab(**context_options) for tests that need another viewport or JavaScript turned off."""
    tabs = []

    def make(**options):
        tab = Visit(chromium, live_server, **options)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.check_and_close()


def assert_accessible(page, label: str):
    """Run axe-core with the WCAG 2.1 A and AA rules on the page as it is now; fail with a readable report."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    AXE_LOG.append((label, page.url, results.violations_count))
    if results.violations_count:
        pytest.fail(f"axe-core on {label} ({page.url}):\n{results.generate_report()}", pytrace=False)


PASSWORD = "Passord-for-test-1"  # tests/factories.py UserFactory


def let_the_preview_settle(page):
    """A need form's public preview is fetched (htmx) half a second after the last key. Submitting while that
    request is pending races it, and the test database (SQLite in memory, shared cache) answers a write beside a
    read with "table is locked" at once, where a file database waits. So wait until the preview has caught up."""
    if page.locator("#public-preview").count() == 0:
        return
    page.wait_for_timeout(700)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def log_in(page, email: str, password: str = PASSWORD):
    page.goto("/konto/logg-inn/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form[action$='/konto/logg-ut/']").count() == 1, f"Not logged in as {email}: {page.url}"
