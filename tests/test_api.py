"""The REST API (/api/v1/): tokens, reading with the same rules as the site, writing with versions,
errors as JSON of one shape and never a 500, and the OpenAPI document and reference page."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kompetansebro.api.models import ApiToken, hash_secret
from kompetansebro.api.services import token_create
from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.needs.services import need_register

JSON = "application/json"


def field(code=None):
    return CompetenceField.objects.get(code=code) if code else CompetenceField.objects.order_by("pk").first()


def make_need(world, organisation=None, *, actor="holtalen_admin", **data):
    values = {"title": "Helsefagarbeidere", "description": "Fagbrev for assistenter", "field": field()}
    values.update(data)
    return need_register(actor=world.users[actor], organisation=organisation or world.holtalen, data=values)


def bearer(world, persona) -> dict:
    _token, secret = token_create(actor=world.users[persona], user=world.users[persona], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type=JSON, **headers)


def patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type=JSON, **headers)


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], dict)
    for messages in body["errors"].values():
        assert isinstance(messages, list) and all(isinstance(message, str) for message in messages)
    return body


# --- Personal tokens -------------------------------------------------------------------------------------


def test_token_is_shown_once_and_only_its_hash_is_stored(world, client_for):
    client = client_for("ntnu_admin")
    response = client.post(reverse("api:tokens"), {"name": "Kurssystem"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("kb_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=world.users["ntnu_admin"])
    assert token.secret_hash == hash_secret(secret) and secret not in (token.secret_hash, token.prefix)
    assert secret.startswith(token.prefix)
    assert "no-store" in response["Cache-Control"]
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "Kurssystem" in listing and token.prefix in listing and secret not in listing
    assert AuditEntry.objects.filter(action="api.token.created", object_id=str(token.pk)).exists()


def test_token_form_errors_are_shown(world, client_for):
    client = client_for("ntnu_admin")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(reverse("api:tokens"), {"name": "", "expires_on": yesterday})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "expires_on"}
    assert not ApiToken.objects.exists()


def test_token_works_until_revoked(world, client_for):
    client = client_for("ntnu_admin")
    response = client.post(reverse("api:tokens"), {"name": "Kurssystem"})
    header = {"HTTP_AUTHORIZATION": f"Bearer {response.context['secret']}"}
    me = Client().get("/api/v1/me", **header).json()
    assert me["authenticated"] and me["authenticated_by"] == "token" and me["email"] == "admin@ntnu.example.no"
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    revoke = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert revoke.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api.token.revoked", object_id=str(token.pk)).exists()
    body = assert_error_shape(Client().get("/api/v1/me", **header), 401)
    assert "revoked" in body["detail"] or "tilbake" in body["detail"]


def test_expired_and_unknown_tokens_and_bad_headers_are_401(world):
    token, secret = token_create(actor=None, user=world.users["outsider"], name="kort", expires_at=None)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = Client()
    for value in [
        f"Bearer {secret}",
        "Bearer kb_unknown",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer " + "x" * 5000,
    ]:
        response = client.get("/api/v1/needs", HTTP_AUTHORIZATION=value)
        assert_error_shape(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_a_deactivated_person_is_401(world):
    headers = bearer(world, "outsider")
    world.users["outsider"].is_active = False
    world.users["outsider"].save()
    assert_error_shape(Client().get("/api/v1/me", **headers), 401)


def test_a_person_cannot_revoke_someone_elses_token(world, client_for):
    token, _secret = token_create(actor=None, user=world.users["ntnu_admin"], name="NTNU")
    response = client_for("outsider").post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client_for("outsider").get(reverse("api:tokens")).content.decode().count(token.prefix) == 0


def test_token_pages_need_login(world, client_for):
    response = client_for("anonymous").get(reverse("api:tokens"))
    assert response.status_code == 302 and "logg-inn" in response["Location"]


# --- Authentication by session ---------------------------------------------------------------------------


def test_session_callers_need_csrf_for_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["holtalen_admin"], backend="django.contrib.auth.backends.ModelBackend")
    body = {"organisation": world.holtalen.pk, "title": "Ny", "description": "Beskrivelse", "field": field().code}
    assert_error_shape(post(client, "/api/v1/needs", body), 403)
    assert client.get("/api/v1/me").json()["authenticated_by"] == "session"
    client.get(reverse("api:tokens"))
    csrf = client.cookies["csrftoken"].value
    response = post(client, "/api/v1/needs", body, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content


def test_token_callers_need_no_csrf(world):
    client = Client(enforce_csrf_checks=True)
    body = {"organisation": world.holtalen.pk, "title": "Ny", "description": "Beskrivelse", "field": field().code}
    response = post(client, "/api/v1/needs", body, **bearer(world, "holtalen_admin"))
    assert response.status_code == 201, response.content


# --- Needs: reading ---------------------------------------------------------------------------------------


def test_anonymous_callers_see_only_public_needs_anonymised(world):
    public = make_need(world, visibility="public", external_id="HR-1", contact_person=world.users["holtalen_contact"])
    make_need(world, visibility="region", title="Bare regionen")
    make_need(world, visibility="organisation", title="Bare oss")
    body = Client().get("/api/v1/needs").json()
    assert body["count"] == 1
    [need] = body["results"]
    assert need["id"] == public.pk and need["anonymised"] is True
    assert need["organisation"] is None and need["contact_person"] is None and need["external_id"] is None
    assert need["registered_on_behalf_by"] is None
    assert need["municipality"] == "5026" and need["field"] == field().code
    detail = Client().get(f"/api/v1/needs/{public.pk}").json()
    assert detail["organisation"] is None and detail["contact_person"] is None and detail["external_id"] is None
    assert "Holtålen kommune" not in Client().get(f"/api/v1/needs/{public.pk}").content.decode()


def test_members_see_their_needs_in_full(world):
    need = make_need(
        world, visibility="organisation", external_id="HR-1", contact_person=world.users["holtalen_contact"]
    )
    body = Client().get(f"/api/v1/needs/{need.pk}", **bearer(world, "holtalen_contact")).json()
    assert body["anonymised"] is False
    assert body["organisation"] == {"id": world.holtalen.pk, "name": "Holtålen kommune"}
    assert body["external_id"] == "HR-1" and body["contact_person"]["email"] == "kontakt@holtalen.example.no"
    assert_error_shape(Client().get(f"/api/v1/needs/{need.pk}", **bearer(world, "ntnu_admin")), 404)


def test_need_list_filters_match_the_site(world):
    health = field("helse-og-omsorg")
    other = CompetenceField.objects.exclude(pk=health.pk).first()
    a = make_need(world, visibility="public", field=health, title="Demensomsorg", level="fagbrev", urgency="high")
    b = make_need(world, world.roros, actor="secretariat_sor", visibility="public", field=other, title="Sveising")
    headers = bearer(world, "secretariat_sor")

    def ids(query):
        response = Client().get(f"/api/v1/needs?{query}", **headers)
        assert response.status_code == 200, response.content
        return [need["id"] for need in response.json()["results"]]

    assert set(ids("")) == {a.pk, b.pk}
    assert ids(f"field={health.code}") == [a.pk]
    assert ids("q=demens") == [a.pk]
    assert ids("municipality=5025") == [b.pk]
    assert ids("level=fagbrev&urgency=high") == [a.pk]
    assert ids("region=trondelag-sor") == [b.pk, a.pk]
    assert ids("status=registered&status=closed") == [b.pk, a.pk]
    assert ids("status=closed") == []
    assert ids(f"organisation={world.roros.pk}") == [b.pk]
    body = assert_error_shape(Client().get("/api/v1/needs?field=finnes-ikke&municipality=9999"), 422)
    assert set(body["errors"]) == {"field", "municipality"}


def test_pagination_with_limit_offset_and_count(world):
    created = [make_need(world, visibility="public", title=f"Behov {n}") for n in range(5)]
    first = Client().get("/api/v1/needs?limit=2").json()
    assert first["count"] == 5 and first["limit"] == 2 and first["offset"] == 0 and first["previous"] is None
    assert [need["id"] for need in first["results"]] == [created[4].pk, created[3].pk]
    second = Client().get(first["next"]).json()
    assert [need["id"] for need in second["results"]] == [created[2].pk, created[1].pk]
    last = Client().get("/api/v1/needs?limit=2&offset=4").json()
    assert len(last["results"]) == 1 and last["next"] is None and "offset=2" in last["previous"]
    assert Client().get("/api/v1/needs?offset=100").json()["results"] == []
    for query in ["limit=0", "limit=201", "offset=-1", "limit=abc"]:
        assert_error_shape(Client().get(f"/api/v1/needs?{query}"), 422)


def test_need_list_queries_do_not_grow_with_the_data(world, django_assert_max_num_queries):
    for n in range(12):
        make_need(world, visibility="public", title=f"Behov {n}", tags=["a", f"t{n}"])
    client = Client()
    headers = bearer(world, "secretariat_sor")
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/needs?limit=50", **headers)
    assert response.json()["count"] == 12


# --- Needs: writing ---------------------------------------------------------------------------------------


def test_create_a_need(world):
    body = {
        "organisation": world.holtalen.pk,
        "title": "Velferdsteknologi",
        "description": "Opplæring for hjemmetjenesten",
        "field": "helse-og-omsorg",
        "tags": ["Velferdsteknologi", " demens "],
        "level": "kurs",
        "persons": 12,
        "delivery": ["nett", "i_bedrift"],
        "wanted_start": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "contact_person": "KONTAKT@holtalen.example.no",
        "visibility": "public",
        "external_id": "HR-7",
    }
    response = post(Client(), "/api/v1/needs", body, **bearer(world, "holtalen_admin"))
    assert response.status_code == 201, response.content
    need = CompetenceNeed.objects.get()
    assert response["ETag"] == '"1"'
    assert response["Location"].endswith(f"/api/v1/needs/{need.pk}")
    created = response.json()
    assert created["tags"] == ["demens", "velferdsteknologi"]
    assert created["delivery"] == ["nett", "i_bedrift"] and created["persons"] == 12
    assert need.wants_online and need.wants_workplace and not need.wants_local_gatherings
    assert need.contact_person == world.users["holtalen_contact"] and need.municipality.number == "5026"
    assert AuditEntry.objects.filter(action="needs.need.created", object_id=str(need.pk)).exists()


def test_create_answers_field_messages(world):
    body = {
        "organisation": world.holtalen.pk,
        "title": "",
        "description": "x",
        "field": "finnes-ikke",
        "persons": -3,
        "level": "doktorgrad",
        "municipality": "9999",
        "delivery": ["teleportering"],
        "wanted_start": "22.11.2026",
        "shoe_size": 44,
    }
    body_errors = assert_error_shape(post(Client(), "/api/v1/needs", body, **bearer(world, "holtalen_admin")), 422)
    assert {"title", "persons", "level", "delivery", "wanted_start", "shoe_size"} <= set(body_errors["errors"])
    # Codes are checked once the shapes are right.
    body.update(title="Tittel", persons=3, level="kurs", delivery=["nett"], wanted_start="2000-01-01")
    del body["shoe_size"]
    body_errors = assert_error_shape(post(Client(), "/api/v1/needs", body, **bearer(world, "holtalen_admin")), 422)
    assert set(body_errors["errors"]) == {"field", "municipality", "wanted_start"}
    assert not CompetenceNeed.objects.exists()


def test_create_for_someone_else_is_forbidden(world):
    body = {"organisation": world.ntnu.pk, "title": "T", "description": "D", "field": field().code}
    assert_error_shape(post(Client(), "/api/v1/needs", body, **bearer(world, "holtalen_admin")), 403)
    assert_error_shape(post(Client(), "/api/v1/needs", body), 401)
    body["organisation"] = 999999
    assert_error_shape(post(Client(), "/api/v1/needs", body, **bearer(world, "holtalen_admin")), 422)


def test_business_garden_registers_on_behalf_of_a_company(world):
    from tests.factories import MembershipFactory

    garden_contact = MembershipFactory(organisation=world.garden, role="contact").user
    _token, secret = token_create(actor=None, user=garden_contact, name="hage")
    body = {"organisation": world.company.pk, "title": "Truckførerbevis", "description": "D", "field": field().code}
    response = post(Client(), "/api/v1/needs", body, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201, response.content
    assert response.json()["registered_on_behalf_by"] == {"id": world.garden.pk, "name": world.garden.name}


def test_update_with_versions_and_conflict(world):
    need = make_need(world)
    url = f"/api/v1/needs/{need.pk}"
    headers = bearer(world, "holtalen_admin")
    read = Client().get(url, **headers)
    assert read["ETag"] == '"1"'
    first = patch(Client(), url, {"persons": 4, "tags": ["ny"]}, HTTP_IF_MATCH=read["ETag"], **headers)
    assert first.status_code == 200, first.content
    assert first["ETag"] == '"2"' and first.json()["persons"] == 4 and first.json()["tags"] == ["ny"]
    # Someone else still holds version 1: conflict, with the current need and its ETag.
    stale = patch(Client(), url, {"persons": 9}, HTTP_IF_MATCH='"1"', **headers)
    body = assert_error_shape(stale, 409)
    assert stale["ETag"] == '"2"' and body["current"]["version"] == 2 and body["current"]["persons"] == 4
    assert CompetenceNeed.objects.get().persons == 4
    # The version may also be sent in the body; weak ETags are accepted.
    assert patch(Client(), url, {"persons": 5, "version": 2}, **headers).status_code == 200
    assert patch(Client(), url, {"persons": 6}, HTTP_IF_MATCH='W/"3"', **headers).status_code == 200
    assert_error_shape(patch(Client(), url, {"persons": 7}, **headers), 428)
    assert_error_shape(patch(Client(), url, {"persons": 7, "version": 1}, HTTP_IF_MATCH='"4"', **headers), 422)
    assert_error_shape(patch(Client(), url, {"persons": 7}, HTTP_IF_MATCH="abc", **headers), 422)
    assert AuditEntry.objects.filter(action="needs.need.changed", object_id=str(need.pk)).count() == 3


def test_update_validation_and_permissions(world):
    need = make_need(world, visibility="public")
    url = f"/api/v1/needs/{need.pk}"
    admin = bearer(world, "holtalen_admin")
    body = assert_error_shape(patch(Client(), url, {"persons": 0, "field": "x"}, HTTP_IF_MATCH='"1"', **admin), 422)
    assert set(body["errors"]) == {"persons"}
    body = assert_error_shape(patch(Client(), url, {"field": "x", "title": None}, HTTP_IF_MATCH='"1"', **admin), 422)
    assert body["errors"] == {"title": ["Dette feltet kan ikke være null."]}
    assert_error_shape(patch(Client(), url, {"persons": 2}, HTTP_IF_MATCH='"1"'), 401)
    assert_error_shape(patch(Client(), url, {"persons": 2}, HTTP_IF_MATCH='"1"', **bearer(world, "ntnu_admin")), 403)
    assert_error_shape(patch(Client(), "/api/v1/needs/999999", {"persons": 2}, HTTP_IF_MATCH='"1"', **admin), 404)
    assert CompetenceNeed.objects.get().version == 1


def test_status_moves(world):
    need = make_need(world)
    url = f"/api/v1/needs/{need.pk}/status"
    owner, secretariat = bearer(world, "holtalen_admin"), bearer(world, "secretariat_sor")
    assert Client().get(f"/api/v1/needs/{need.pk}", **owner).json()["allowed_next_statuses"] == ["closed"]
    assert_error_shape(post(Client(), url, {"status": "qualified"}, **owner), 403)
    assert_error_shape(post(Client(), url, {"status": "fulfilled"}, **secretariat), 422)
    assert_error_shape(post(Client(), url, {"status": "nonsense"}, **secretariat), 422)
    moved = post(Client(), url, {"status": "qualified"}, **secretariat)
    assert moved.status_code == 200 and moved.json()["status"] == "qualified" and moved["ETag"] == '"2"'
    assert_error_shape(post(Client(), url, {"status": "closed"}, HTTP_IF_MATCH='"1"', **owner), 409)
    body = assert_error_shape(post(Client(), url, {"status": "closed"}, **owner), 422)
    assert set(body["errors"]) == {"reason"}
    closed = post(Client(), url, {"status": "closed", "reason": "Løst internt"}, HTTP_IF_MATCH='"2"', **owner)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert need.status_changes.count() == 3


# --- Errors: never a 500 -----------------------------------------------------------------------------------

BAD_BODIES = [
    "{not json",
    "",
    "[]",
    '"text"',
    "null",
    "12",
    json.dumps({"organisation": "abc"}),
    json.dumps({"organisation": -1, "title": 5, "description": [], "field": {}}),
    json.dumps({"organisation": 10**30, "title": "t", "description": "d", "field": "helse-og-omsorg"}),
    json.dumps({"organisation": 1, "title": "t" * 100_000, "description": "d", "field": "helse-og-omsorg"}),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "x" * 10_000}),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "persons": 10**40}),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "persons": 2.5}),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "tags": "a,b"}),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "tags": ["x" * 500]}),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "tags": [None, 5]}),
    json.dumps(
        {"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "wanted_start": "2026-02-30"}
    ),
    json.dumps(
        {"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "wanted_start": "99999-01-01"}
    ),
    json.dumps(
        {"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "municipality": "05026"}
    ),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "municipality": 5026}),
    json.dumps({"organisation": 1, "title": "t\x00", "description": "d", "field": "helse-og-omsorg"}),
    json.dumps(
        {"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "contact_person": "@"}
    ),
    json.dumps({"organisation": 1, "title": "t", "description": "d", "field": "helse-og-omsorg", "visibility": "all"}),
]


@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_bad_bodies_never_give_500(world, body):
    headers = bearer(world, "platform_admin")
    need = make_need(world)
    for method, url in [
        ("post", "/api/v1/needs"),
        ("patch", f"/api/v1/needs/{need.pk}"),
        ("post", f"/api/v1/needs/{need.pk}/status"),
    ]:
        response = getattr(Client(), method)(
            url,
            body.replace('"organisation": 1', f'"organisation": {world.holtalen.pk}'),
            content_type=JSON,
            HTTP_IF_MATCH='"1"',
            **headers,
        )
        assert response.status_code in (400, 409, 422, 201, 200), (
            method,
            url,
            response.status_code,
            response.content[:300],
        )
        if response.status_code >= 400:
            assert_error_shape(response, response.status_code)


BAD_QUERIES = [
    "/api/v1/needs?limit=999999999999999999999",
    "/api/v1/needs?offset=abc",
    "/api/v1/needs?status=nonsense",
    "/api/v1/needs?field=" + "x" * 5000,
    "/api/v1/needs?municipality=abcd",
    "/api/v1/needs?organisation=-1",
    "/api/v1/needs?organisation=99999999999999999999999",
    "/api/v1/needs?combined_work_education=maybe",
    "/api/v1/needs?q=%00",
    "/api/v1/needs/99999999999999999999999",
    "/api/v1/needs/0",
    "/api/v1/needs/abc",
    "/api/v1/needs/1/nothing",
    "/api/v1/nothing",
    "/api/v1/municipalities?county=abc",
]


@pytest.mark.parametrize("url", BAD_QUERIES)
def test_bad_queries_never_give_500(world, url):
    response = Client().get(url)
    assert response.status_code in (200, 404, 422), response.content[:300]
    if response.status_code != 200:
        assert_error_shape(response, response.status_code)


@pytest.mark.parametrize("url", ["/api/v1/municipalities?q=%00", "/api/v1/municipalities?county=5%00"])
def test_null_characters_in_queries_are_422(world, url):
    """PostgreSQL refuses them with an error; found by bench/api_fuzz.py on PostgreSQL."""
    assert set(assert_error_shape(Client().get(url), 422)["errors"]) <= {"q", "county"}


def test_wrong_method_is_json_405(world):
    response = Client().delete("/api/v1/needs")
    body = assert_error_shape(response, 405)
    assert "GET" in response["Allow"] and body["detail"]


def test_messages_follow_accept_language(world):
    response = Client().get("/api/v1/needs?field=finnes-ikke", HTTP_ACCEPT_LANGUAGE="en")
    assert "Select a valid choice" in response.json()["errors"]["field"][0]
    response = Client().get("/api/v1/needs?field=finnes-ikke")
    assert "gyldig" in response.json()["errors"]["field"][0]


# --- Reference data, OpenAPI and the reference page ----------------------------------------------------


def test_fields_and_municipalities(world):
    fields = Client().get("/api/v1/fields").json()
    assert {"code", "name_nb", "name_en", "description"} <= set(fields[0])
    assert len(fields) == CompetenceField.objects.count()
    holtalen = Client().get("/api/v1/municipalities?q=holt").json()
    assert holtalen == [
        {
            "number": "5026",
            "name": "Holtålen",
            "county": {"number": "50", "name": "Trøndelag"},
            "centrality_class": 6,
            "population": holtalen[0]["population"],
        }
    ]
    assert all(m["county"]["number"] == "50" for m in Client().get("/api/v1/municipalities?county=50").json())


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_openapi_document_is_served_and_consistent(world):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and schema["info"] == {
        "title": "Kompetansebro API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    paths = schema["paths"]
    assert {"/api/v1/needs", "/api/v1/needs/{need_id}", "/api/v1/needs/{need_id}/status"} <= set(paths)
    assert {"/api/v1/fields", "/api/v1/municipalities"} <= set(paths)
    assert set(paths["/api/v1/needs/{need_id}"]) == {"get", "patch"}
    components = schema["components"]["schemas"]
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in components, ref
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert "bearer" in json.dumps(schema["components"].get("securitySchemes", {})).lower()


def test_reference_page_uses_only_our_own_origin(world):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kompetansebro API" in html and "/api/v1/needs/{need_id}" in html and "NeedIn" in html
    assert "curl" in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#", "mailto:")), url
    assert "cdn" not in html.lower() and "swagger" not in html.lower()
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


# --- Offerings ---------------------------------------------------------------------------------------------


def offering_body(**changes):
    body = {
        "title": "Velferdsteknologi i hjemmetjenesten",
        "description": "Samlinger i Holtålen og nettundervisning",
        "field": "helse-og-omsorg",
        "tags": ["Velferdsteknologi"],
        "level": "videreutdanning",
        "credits": "7.5",
        "credit_unit": "studiepoeng",
        "delivery": ["samlingsbasert"],
        "gathering_locations": ["5026"],
        "start_date": "2027-01-15",
        "application_deadline": "2026-12-01",
        "price": "4500.50",
        "capacity": 30,
        "link": "https://example.no/kurs",
        "status": "open",
    }
    body.update(changes)
    return body


def make_offering(world, **changes):
    body = offering_body(**changes)
    body["provider"] = world.ntnu.pk
    response = post(Client(), "/api/v1/offerings", body, **bearer(world, "ntnu_admin"))
    assert response.status_code == 201, response.content
    return response.json()


def test_create_and_read_an_offering(world):
    created = make_offering(world, external_id="EVU-1")
    assert created["provider"] == {"id": world.ntnu.pk, "name": "NTNU Videre"}
    assert created["price"] == "4500.50" and created["credits"] == "7.5" and created["tags"] == ["velferdsteknologi"]
    assert created["gathering_locations"] == ["5026"] and created["delivery"] == ["samlingsbasert"]
    assert created["start_date"] == "2027-01-15" and created["external_id"] == "EVU-1"
    read = Client().get(f"/api/v1/offerings/{created['id']}")
    assert read.status_code == 200 and read["ETag"] == '"1"' and read.json() == created
    assert AuditEntry.objects.filter(action="offerings.offering.created", object_id=str(created["id"])).exists()


def test_anonymous_callers_never_see_planned_offerings(world):
    planned = make_offering(world, status="planned", title="Kommer snart")
    public = make_offering(world, status="open")
    assert [o["id"] for o in Client().get("/api/v1/offerings").json()["results"]] == [public["id"]]
    assert Client().get("/api/v1/offerings?status=planned").json()["count"] == 0
    assert_error_shape(Client().get(f"/api/v1/offerings/{planned['id']}"), 404)
    member = Client().get("/api/v1/offerings?status=planned", **bearer(world, "ntnu_admin")).json()
    assert [o["id"] for o in member["results"]] == [planned["id"]]


def test_catalogue_filters(world):
    local = make_offering(world, title="Helsefagarbeider med samlinger", level="fagbrev", credits=None, credit_unit="")
    online = make_offering(
        world, title="Ledelse på nett", field="ledelse-og-administrasjon", delivery=["nett"], gathering_locations=[]
    )
    oslo = make_offering(world, title="Campus i Oslo", delivery=["campus"], gathering_locations=["0301"])
    closed = make_offering(world, title="Avsluttet", status="closed")

    def ids(query):
        response = Client().get(f"/api/v1/offerings?{query}")
        assert response.status_code == 200, response.content
        return {o["id"] for o in response.json()["results"]}

    assert ids("") == {local["id"], online["id"], oslo["id"]}
    assert ids("status=all") == {local["id"], online["id"], oslo["id"], closed["id"]}
    assert ids("q=helsefagarbeidere") == {local["id"]}
    assert ids("level=fagbrev") == {local["id"]}
    assert ids("delivery=nett&delivery=campus") == {online["id"], oslo["id"]}
    assert ids("field=ledelse-og-administrasjon") == {online["id"]}
    assert ids("municipality=5026") == {local["id"], online["id"]}
    assert ids(f"provider={world.ntnu.pk}") == {local["id"], online["id"], oslo["id"]}
    body = assert_error_shape(Client().get("/api/v1/offerings?field=finnes-ikke&municipality=9999"), 422)
    assert set(body["errors"]) == {"field", "municipality"}


def test_offering_validation_errors_are_field_messages(world):
    headers = bearer(world, "ntnu_admin")
    bad = offering_body(
        credits="-1", price="12.345", capacity=-5, level="doktor", delivery=["teleport"], start_date="2027-13-01"
    )
    body = assert_error_shape(post(Client(), "/api/v1/offerings", {**bad, "provider": world.ntnu.pk}, **headers), 422)
    assert {"credits", "price", "capacity", "level", "delivery", "start_date"} <= set(body["errors"])
    bad = offering_body(field="x", gathering_locations=["9999"], application_deadline="2027-02-01")
    body = assert_error_shape(post(Client(), "/api/v1/offerings", {**bad, "provider": world.ntnu.pk}, **headers), 422)
    assert set(body["errors"]) == {"field", "gathering_locations"}
    bad = offering_body(application_deadline="2027-02-01", credit_unit="", link="not a url")
    body = assert_error_shape(post(Client(), "/api/v1/offerings", {**bad, "provider": world.ntnu.pk}, **headers), 422)
    assert {"application_deadline", "credit_unit", "url"} <= set(body["errors"])


def test_offering_permissions(world):
    body = {**offering_body(), "provider": world.ntnu.pk}
    assert_error_shape(post(Client(), "/api/v1/offerings", body), 401)
    assert_error_shape(post(Client(), "/api/v1/offerings", body, **bearer(world, "holtalen_admin")), 403)
    assert_error_shape(
        post(Client(), "/api/v1/offerings", {**body, "provider": world.holtalen.pk}, **bearer(world, "platform_admin")),
        422,
    )
    created = make_offering(world)
    url = f"/api/v1/offerings/{created['id']}"
    assert_error_shape(patch(Client(), url, {"title": "X"}, HTTP_IF_MATCH='"1"', **bearer(world, "outsider")), 403)
    assert_error_shape(patch(Client(), url, {"title": "X"}, HTTP_IF_MATCH='"1"'), 401)


def test_offering_update_and_conflict(world):
    created = make_offering(world)
    url = f"/api/v1/offerings/{created['id']}"
    headers = bearer(world, "ntnu_admin")
    first = patch(
        Client(), url, {"status": "running", "price": None, "tags": ["a", "b"]}, HTTP_IF_MATCH='"1"', **headers
    )
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "running" and first.json()["price"] is None and first["ETag"] == '"2"'
    stale = patch(Client(), url, {"price": 4500}, HTTP_IF_MATCH='"1"', **headers)  # a field changed since 1
    body = assert_error_shape(stale, 409)
    assert body["current"]["status"] == "running" and stale["ETag"] == '"2"'
    assert_error_shape(patch(Client(), url, {"title": "Uten versjon"}, **headers), 428)


def test_course_system_upsert_by_external_id_is_idempotent(world):
    headers = bearer(world, "ntnu_admin")
    url = f"/api/v1/offerings/by-external-id/EVU-HELSE-101?provider={world.ntnu.pk}"
    body = offering_body(tags=["demens", "velferdsteknologi"], gathering_locations=["5026", "5025"])
    created = Client().put(url, json.dumps(body), content_type=JSON, **headers)
    assert created.status_code == 201, created.content
    assert created.json()["external_id"] == "EVU-HELSE-101" and created["ETag"] == '"1"'
    again = Client().put(url, json.dumps(body), content_type=JSON, **headers)
    assert again.status_code == 200 and again["ETag"] == '"1"' and again.json() == created.json()
    assert AuditEntry.objects.filter(object_id=str(created.json()["id"]), action__startswith="offerings.").count() == 1
    changed = Client().put(
        url, json.dumps({**body, "title": "Nytt navn", "status": "running"}), content_type=JSON, **headers
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Nytt navn" and changed["ETag"] == '"2"'
    # PUT replaces: what is left out takes its default.
    minimal = {key: body[key] for key in ("title", "description", "field", "level")}
    replaced = Client().put(url, json.dumps(minimal), content_type=JSON, **headers).json()
    assert replaced["price"] is None and replaced["tags"] == [] and replaced["status"] == "planned"
    from kompetansebro.offerings.models import Offering

    assert Offering.objects.filter(external_id="EVU-HELSE-101").count() == 1
    stale = Client().put(url, json.dumps(body), content_type=JSON, HTTP_IF_MATCH='"1"', **headers)
    assert_error_shape(stale, 409)
    assert_error_shape(Client().put(url, json.dumps(body), content_type=JSON, **bearer(world, "holtalen_admin")), 403)
    assert_error_shape(Client().put(url, json.dumps(body), content_type=JSON), 401)
    no_provider = "/api/v1/offerings/by-external-id/EVU-1"
    assert_error_shape(Client().put(no_provider, json.dumps(body), content_type=JSON, **headers), 422)
    too_long = f"/api/v1/offerings/by-external-id/{'x' * 101}?provider={world.ntnu.pk}"
    assert_error_shape(Client().put(too_long, json.dumps(body), content_type=JSON, **headers), 422)


BAD_OFFERING_BODIES = [
    {"price": "abc"},
    {"price": 10**20},
    {"price": -1},
    {"credits": "1e400"},
    {"credits": "NaN"},
    {"capacity": "many"},
    {"capacity": 10**12},
    {"gathering_locations": "5026"},
    {"gathering_locations": [5026]},
    {"gathering_locations": ["x" * 1000]},
    {"start_date": "2027-02-30"},
    {"start_date": 20270101},
    {"language": "klingon"},
    {"link": "javascript:alert(1)"},
    {"link": "h" * 5000},
    {"title": "x" * 100_000},
    {"tags": [["nested"]]},
    {"delivery": "nett"},
    {"status": None},
    {"unknown_field": 1},
]


@pytest.mark.parametrize("changes", BAD_OFFERING_BODIES, ids=range(len(BAD_OFFERING_BODIES)))
def test_bad_offering_bodies_never_give_500(world, changes):
    headers = bearer(world, "ntnu_admin")
    body = offering_body(**changes)
    response = post(Client(), "/api/v1/offerings", {**body, "provider": world.ntnu.pk}, **headers)
    assert_error_shape(response, 422)
    url = f"/api/v1/offerings/by-external-id/E-1?provider={world.ntnu.pk}"
    assert_error_shape(Client().put(url, json.dumps(body), content_type=JSON, **headers), 422)


# --- Null: refused with a field error where the column cannot hold it, and the schema says which may be null ---


def _patch_schema(name):
    return Client().get("/api/openapi.json").json()["components"]["schemas"][name]["properties"]


def _nullable(prop) -> bool:
    return prop.get("type") == "null" or any(option.get("type") == "null" for option in prop.get("anyOf", []))


NEED_NULLABLE = {"version", "municipality", "wanted_start", "contact_person"}
OFFERING_NULLABLE = {"version", "credits", "start_date", "application_deadline", "price", "capacity"}


@pytest.mark.parametrize(("schema", "nullable"), [("NeedPatch", NEED_NULLABLE), ("OfferingPatch", OFFERING_NULLABLE)])
def test_patch_schemas_say_which_fields_may_be_null(world, schema, nullable):
    properties = _patch_schema(schema)
    assert {name for name, prop in properties.items() if _nullable(prop)} == nullable
    assert all("default" not in prop for name, prop in properties.items() if name not in nullable)


def test_null_for_a_need_field_that_cannot_be_null_is_422(world):
    need = make_need(world)
    url = f"/api/v1/needs/{need.pk}"
    headers = bearer(world, "holtalen_admin")
    body = assert_error_shape(patch(Client(), url, {"level": None}, HTTP_IF_MATCH='"1"', **headers), 422)
    assert set(body["errors"]) == {"level"}
    for name in set(_patch_schema("NeedPatch")) - NEED_NULLABLE:
        response = patch(Client(), url, {name: None}, HTTP_IF_MATCH='"1"', **headers)
        assert set(assert_error_shape(response, 422)["errors"]) == {name}, name
    assert CompetenceNeed.objects.get().version == 1


def test_null_for_an_offering_field_that_cannot_be_null_is_422(world):
    offering = make_offering(world)
    url = f"/api/v1/offerings/{offering['id']}"
    headers = bearer(world, "ntnu_admin")
    for name in set(_patch_schema("OfferingPatch")) - OFFERING_NULLABLE:
        response = patch(Client(), url, {name: None}, HTTP_IF_MATCH='"1"', **headers)
        assert set(assert_error_shape(response, 422)["errors"]) == {name}, name
    assert Client().get(url, **headers).json()["version"] == 1
