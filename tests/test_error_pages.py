"""Error pages in production (DEBUG off): in Norwegian, in English when chosen, in the site's layout and with a
way onwards; the CSRF failure page says what to do; the API keeps answering JSON (issue 11 item 9)."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from kompetansebro.core import errors
from kompetansebro.urls import handler403, handler404, handler500


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _in(language: str, client: Client) -> Client:
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(response) -> str:
    return response.content.decode()


def test_the_handlers_are_ours():
    assert handler403 == "kompetansebro.core.errors.permission_denied"
    assert handler404 == "kompetansebro.core.errors.page_not_found"
    assert handler500 == "kompetansebro.core.errors.server_error"
    assert settings.CSRF_FAILURE_VIEW == "kompetansebro.core.errors.csrf_failure"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "onwards"),
    [("nb", "Vi fant ikke siden", "Forsiden"), ("en", "We could not find the page", "The front page")],
)
def test_404_in_the_layout_with_a_way_onwards(language, heading, onwards):
    response = _in(language, Client()).get("/finnes-ikke/", HTTP_REFERER="http://testserver/tilbud/")
    page = _page(response)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert heading in page and onwards in page
    assert 'class="kb-nav"' in page  # the site's menu
    assert 'href="http://testserver/tilbud/"' in page  # back where they came from
    assert "Not Found" not in page and "The requested resource was not found" not in page


@pytest.mark.django_db
def test_404_does_not_offer_a_way_back_to_another_site():
    page = _page(Client().get("/finnes-ikke/", HTTP_REFERER="https://evil.example/"))
    assert "evil.example" not in page


@pytest.mark.parametrize(
    ("language", "heading"), [("nb", "Du har ikke tilgang til dette"), ("en", "You do not have access to this")]
)
def test_403_in_the_layout(client_for, language, heading):
    client = _in(language, client_for("outsider"))
    response = client.get(reverse("projects:create"))
    page = _page(response)
    assert response.status_code == 403
    assert heading in page and 'class="kb-nav"' in page
    assert "403 Forbidden" not in page


@pytest.mark.parametrize(
    ("language", "heading", "onwards"),
    [("nb", "Noe gikk galt", "Forsiden"), ("en", "Something went wrong", "The front page")],
)
def test_500_in_the_layout_without_the_database(settings, language, heading, onwards):
    """No django_db mark: the page must render without touching the database (it may be what failed)."""
    settings.ROOT_URLCONF = "tests.error_urls"
    client = _in(language, Client(raise_request_exception=False))
    response = client.get("/feil/")
    page = _page(response)
    assert response.status_code == 500
    assert heading in page and onwards in page
    assert 'class="kb-header"' in page and f'lang="{language}"' in page
    assert "Server Error (500)" not in page


def test_500_renders_for_a_bare_request():
    request = RequestFactory().get("/")
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "Noe gikk galt" in _page(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/finnes-ikke", "/api/v1/finnes-ikke/", "/api/v2/needs"])
def test_unknown_api_paths_answer_json(path):
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Not found")


def test_an_api_error_outside_ninja_answers_json(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    response = Client(raise_request_exception=False).get("/api/feil/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_api_pages_for_people_keep_the_html_404(client_for):
    response = client_for("outsider").post(reverse("api:token_revoke", args=[999999]))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nb", ["Skjemaet kunne ikke sendes", "informasjonskapsler", "Forsiden"]),
        ("en", ["The form could not be sent", "cookies", "The front page"]),
    ],
)
def test_csrf_failure_explains_what_to_do(client_for, language, texts):
    client = _in(language, client_for("outsider"))
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("accounts:profile"), {"full_name": "X"}, HTTP_REFERER="http://testserver/konto/min-side/"
    )
    page = _page(response)
    assert response.status_code == 403
    for text in texts:
        assert text in page
    assert 'class="kb-nav"' in page
    assert "CSRF verification failed" not in page
