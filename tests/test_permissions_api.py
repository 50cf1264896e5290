"""Every API endpoint and API page × every persona: the same rules as the site, as HTTP statuses.

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed (2xx, or the redirect after a form), U = authentication required (401), F = forbidden
(403), N = not found (404: what the caller may not see is never revealed), L = sent to the login page.
Callers use their session (CSRF is checked in tests/test_api.py); a personal token gives the same answers.
The needs belong to Holtålen kommune; the offerings to NTNU Videre (ntnu_admin is a member).
"""

import json

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from kompetansebro.api.services import token_create
from tests.conftest import PERSONAS
from tests.factories import NeedFactory, OfferingFactory

ALL = "O O O O O O O O O"
NOBODY = "N N N N N N N N N"


def need(visibility):
    return lambda w: NeedFactory(organisation=w.holtalen, visibility=visibility)


def offering(status):
    return lambda w: OfferingFactory(provider=w.ntnu, status=status, external_id="EVU-1")


def offering_body(w):
    return {"title": "Tilbud", "description": "Beskrivelse", "field": "helse-og-omsorg", "level": "kurs"}


def need_body(w):
    return {"organisation": w.holtalen.pk, "title": "Behov", "description": "Beskrivelse", "field": "helse-og-omsorg"}


def ntnu_token(w):
    token, _secret = token_create(actor=None, user=w.users["ntnu_admin"], name="Kurssystem")
    return token


# (url name, method, URL from the world and the object, object maker, body maker, expectations by persona)
MATRIX = [
    ("api:v1:list_needs", "get", lambda w, o: "/api/v1/needs?q=helse&status=registered", None, None, ALL),
    ("api:v1:read_need", "get", lambda w, o: f"/api/v1/needs/{o.pk}", need("public"), None, ALL),
    ("api:v1:read_need", "get", lambda w, o: f"/api/v1/needs/{o.pk}", need("region"), None, "N N N O O N O O O"),
    (
        "api:v1:read_need",
        "get",
        lambda w, o: f"/api/v1/needs/{o.pk}",
        need("organisation"),
        None,
        "N N N O O N N N O",
    ),
    ("api:v1:create_need", "post", lambda w, o: "/api/v1/needs", None, need_body, "U F F O O F O F O"),
    (
        "api:v1:update_need",
        "patch",
        lambda w, o: f"/api/v1/needs/{o.pk}",
        need("public"),
        lambda w: {"persons": 2},
        "U F F O O F O F O",
    ),
    (
        "api:v1:update_need",
        "patch",
        lambda w, o: f"/api/v1/needs/{o.pk}",
        need("region"),
        lambda w: {"persons": 2},
        "U N N O O N O F O",
    ),
    (
        "api:v1:update_need",
        "patch",
        lambda w, o: f"/api/v1/needs/{o.pk}",
        need("organisation"),
        lambda w: {"persons": 2},
        "U N N O O N N N O",
    ),
    (
        "api:v1:change_need_status",
        "post",
        lambda w, o: f"/api/v1/needs/{o.pk}/status",
        need("region"),
        lambda w: {"status": "closed", "reason": "Løst"},
        "U N N O O N O F O",
    ),
    (
        "api:v1:change_need_status",
        "post",
        lambda w, o: f"/api/v1/needs/{o.pk}/status",
        need("public"),
        lambda w: {"status": "qualified"},
        "U F F F F F O F O",
    ),
    ("api:v1:list_offerings", "get", lambda w, o: "/api/v1/offerings?municipality=5026&level=kurs", None, None, ALL),
    ("api:v1:read_offering", "get", lambda w, o: f"/api/v1/offerings/{o.pk}", offering("open"), None, ALL),
    (
        "api:v1:read_offering",
        "get",
        lambda w, o: f"/api/v1/offerings/{o.pk}",
        offering("planned"),
        None,
        "N N N N N O O N O",
    ),
    (
        "api:v1:create_offering",
        "post",
        lambda w, o: "/api/v1/offerings",
        None,
        lambda w: {**offering_body(w), "provider": w.ntnu.pk},
        "U F F F F O F F O",
    ),
    (
        "api:v1:update_offering",
        "patch",
        lambda w, o: f"/api/v1/offerings/{o.pk}",
        offering("open"),
        lambda w: {"capacity": 20},
        "U F F F F O F F O",
    ),
    (
        "api:v1:update_offering",
        "patch",
        lambda w, o: f"/api/v1/offerings/{o.pk}",
        offering("planned"),
        lambda w: {"capacity": 20},
        "U N N N N O F N O",
    ),
    (
        "api:v1:upsert_offering",
        "put",
        lambda w, o: f"/api/v1/offerings/by-external-id/EVU-1?provider={w.ntnu.pk}",
        offering("open"),
        offering_body,
        "U F F F F O F F O",
    ),
    (
        "api:v1:upsert_offering",
        "put",
        lambda w, o: f"/api/v1/offerings/by-external-id/NY-1?provider={w.ntnu.pk}",
        None,
        offering_body,
        "U F F F F O F F O",
    ),
    ("api:v1:list_fields", "get", lambda w, o: "/api/v1/fields", None, None, ALL),
    ("api:v1:list_municipalities", "get", lambda w, o: "/api/v1/municipalities?county=50", None, None, ALL),
    ("api:v1:me", "get", lambda w, o: "/api/v1/me", None, None, ALL),
    ("api:v1:openapi-json", "get", lambda w, o: "/api/openapi.json", None, None, ALL),
    ("api:v1:api-root", "get", lambda w, o: "/api/", None, None, NOBODY),
    ("api:docs", "get", lambda w, o: reverse("api:docs"), None, None, ALL),
    ("api:not_found", "get", lambda w, o: "/api/v1/finnes-ikke", None, None, NOBODY),
    ("api:tokens", "get", lambda w, o: reverse("api:tokens"), None, None, "L O O O O O O O O"),
    ("api:tokens", "post", lambda w, o: reverse("api:tokens"), None, lambda w: {"name": "Ny"}, "L O O O O O O O O"),
    (
        "api:token_revoke",
        "post",
        lambda w, o: reverse("api:token_revoke", args=[o.pk]),
        ntnu_token,
        lambda w: {},
        "L N N N N O N N N",
    ),
]

CASES = [
    pytest.param(row, persona, row[-1].split()[index], id=f"{row[0]}-{number}-{persona}")
    for number, row in enumerate(MATRIX)
    for index, persona in enumerate(PERSONAS)
]


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302) and "logg-inn" in response["Location"]:
        return "L"
    if status in (200, 201, 302):
        return "O"
    return {401: "U", 403: "F", 404: "N"}.get(status, f"status {status}: {response.content[:200]!r}")


@pytest.mark.parametrize(("row", "persona", "expected"), CASES)
def test_api_permission_matrix(world, client_for, row, persona, expected):
    _name, method, url_of, make, body_of, _expected = row
    obj = make(world) if make else None
    url = url_of(world, obj)
    client = client_for(persona)
    if method == "get":
        response = client.get(url)
    elif url.startswith("/api/v1/"):
        headers = {"HTTP_IF_MATCH": f'"{obj.version}"'} if method == "patch" else {}
        response = getattr(client, method)(url, json.dumps(body_of(world)), content_type="application/json", **headers)
    else:
        response = client.post(url, body_of(world))
    assert outcome(response) == expected


def test_a_token_gives_the_same_answers_as_the_session(world):
    """Spot check: the matrix runs with sessions; a token of the same person is judged alike."""
    for persona, expected in [("outsider", 404), ("holtalen_contact", 200), ("county_observer", 403)]:
        target = NeedFactory(organisation=world.holtalen, visibility="region")
        _token, secret = token_create(actor=None, user=world.users[persona], name="t")
        response = Client().patch(
            f"/api/v1/needs/{target.pk}",
            json.dumps({"persons": 2}),
            content_type="application/json",
            HTTP_IF_MATCH='"1"',
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == expected, (persona, response.content)


def test_matrix_covers_every_view():
    """A new API URL or endpoint without a row in the matrix fails here."""
    _prefix, api_resolver = get_resolver().namespace_dict["api"]
    names = {f"api:{key}" for key in api_resolver.reverse_dict if isinstance(key, str)}
    _prefix, v1_resolver = api_resolver.namespace_dict["v1"]
    names |= {f"api:v1:{key}" for key in v1_resolver.reverse_dict if isinstance(key, str)}
    covered = {name for name, *_ in MATRIX}
    assert names - covered == set()


def test_matrix_covers_every_operation():
    """Each method of each path in the OpenAPI document has a row."""
    schema = Client().get("/api/openapi.json").json()
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    covered = set()
    for name, method, *_ in MATRIX:
        if name.startswith("api:v1:") and name not in {"api:v1:openapi-json", "api:v1:api-root"}:
            covered |= {
                (method, path)
                for path, item in schema["paths"].items()
                for m, op in item.items()
                if m == method and op["operationId"].endswith("_" + name.split(":")[-1])
            }
    assert operations - covered == set()
