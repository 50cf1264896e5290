"""Public needs show the public only their public text (issue 11 item 14): the internal title and description
identified the employer beside the municipality ("sagbruk … nær Røros"). The registering person writes the
public title and description separately and sees a preview of exactly what the public sees; left empty, the
public sees a neutral text, never the internal one."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.needs.public import SMALL_MUNICIPALITY_POPULATION
from tests.factories import NeedFactory
from tests.test_needs import form_data

pytestmark = pytest.mark.django_db

INTERNAL_TITLE = "Røros Sagbruk trenger truckførere"
INTERNAL_DESCRIPTION = "Sagbruket nær Røros skal sertifisere to truckførere før høsten."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def health(reference_data):
    return CompetenceField.objects.get(code="helse-og-omsorg")


@pytest.fixture
def english_client(client_for, settings):
    def make(persona):
        client = client_for(persona)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def sawmill_need(world, **extra):
    extra.setdefault("public_title", "Truckførere med sertifikat")
    extra.setdefault("public_description", "To ansatte trenger truckførerbevis.")
    return NeedFactory(
        organisation=world.company,
        title=INTERNAL_TITLE,
        description=INTERNAL_DESCRIPTION,
        visibility="public",
        level="kurs",
        **extra,
    )


def assert_no_internal_text(text: str, world) -> None:
    assert INTERNAL_TITLE not in text
    assert INTERNAL_DESCRIPTION not in text
    assert world.company.name not in text


def test_the_public_sees_only_the_public_text_on_every_page(world, english_client):
    need = sawmill_need(world)
    client = english_client("anonymous")
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Truckførere med sertifikat" in page and "To ansatte trenger truckførerbevis." in page
    assert_no_internal_text(page, world)
    listing = client.get(reverse("needs:list")).content.decode()
    assert "Truckførere med sertifikat" in listing
    assert_no_internal_text(listing, world)
    # those who see the need in full see the internal text and, beside it, what the public sees
    inside = english_client("secretariat_sor").get(need.get_absolute_url()).content.decode()
    assert INTERNAL_TITLE in inside and INTERNAL_DESCRIPTION in inside
    assert "What the public sees" in inside and "Truckførere med sertifikat" in inside


def test_empty_public_text_falls_back_to_a_neutral_text_not_the_internal_one(world, english_client):
    need = sawmill_need(world, public_title="", public_description="   ")
    page = english_client("anonymous").get(need.get_absolute_url()).content.decode()
    assert_no_internal_text(page, world)
    assert need.public_title_text == f"Competence in {need.field.name} (course)"
    assert need.public_description_text == f"3 persons need competence in {need.field.name}."
    assert need.public_title_text in page and need.public_description_text in page


def test_the_api_and_the_export_give_anonymous_callers_only_the_public_text(world):
    need = sawmill_need(world)
    body = Client().get(f"/api/v1/needs/{need.pk}").json()
    assert body["anonymised"] is True
    assert body["title"] == "Truckførere med sertifikat"
    assert body["description"] == "To ansatte trenger truckførerbevis."
    assert body["public_title"] is None and body["public_description"] is None
    assert_no_internal_text(str(body), world)
    listed = Client().get("/api/v1/needs").json()
    assert_no_internal_text(str(listed), world)
    exported = b"".join(Client().get(reverse("transfer:export", args=["behov", "csv"])).streaming_content)
    text = exported.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ","))
    assert any("Truckførere med sertifikat" in row for row in rows)
    assert_no_internal_text(text, world)


def test_the_search_finds_public_needs_by_their_public_text_only(world, english_client):
    need = sawmill_need(world)
    anonymous = english_client("anonymous")

    def found(client, query):
        return need.get_absolute_url() in client.get(reverse("needs:list"), {"q": query}).content.decode()

    assert not found(anonymous, "Sagbruk")
    assert found(anonymous, "truckførerbevis")
    assert found(english_client("secretariat_sor"), "Sagbruk")


def test_the_form_previews_what_the_public_sees_without_saving(world, english_client, health):
    client = english_client("holtalen_contact")
    url = reverse("needs:create") + f"?organisation={world.holtalen.pk}"
    empty = client.get(url).content.decode()
    assert 'id="public-preview"' in empty and "Update the preview" in empty
    data = form_data(
        world,
        health,
        visibility="public",
        public_title="Helsefagarbeidere med fagbrev",
        public_description="Fem assistenter vil ta fagbrev.",
        preview="1",
    )
    # without JavaScript: the Preview button returns the whole page with the preview, and saves nothing
    page = client.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and "Helsefagarbeidere med fagbrev" in html and "Fem assistenter vil ta fagbrev." in html
    # with htmx while typing: only the preview, the same text
    partial = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Helsefagarbeidere med fagbrev" in partial
    assert "Helsefagarbeidere i hjemmetjenesten" not in partial  # the internal title is not in the preview
    assert not CompetenceNeed.objects.exists()
    # saving keeps the public text, trimmed, in the history
    data.pop("preview")
    data["public_title"] = "  Helsefagarbeidere med fagbrev  "
    assert client.post(url, data).status_code == 302
    need = CompetenceNeed.objects.get()
    assert need.public_title == "Helsefagarbeidere med fagbrev"
    entry = AuditEntry.objects.get(action="needs.need.created", object_id=str(need.pk))
    assert entry.changes["public_title"]["new"] == "Helsefagarbeidere med fagbrev"


def test_the_preview_warns_when_the_municipality_is_small(world, english_client, health):
    client = english_client("holtalen_contact")
    url = reverse("needs:create") + f"?organisation={world.holtalen.pk}"
    holtalen = world.holtalen.municipality
    assert holtalen.population < SMALL_MUNICIPALITY_POPULATION
    partial = client.post(url, form_data(world, health, preview="1"), HTTP_HX_REQUEST="true").content.decode()
    assert f"people live in {holtalen.name}: the description can reveal the employer" in partial
    oslo = world.oslo_company.municipality
    assert oslo.population >= SMALL_MUNICIPALITY_POPULATION
    partial = client.post(
        url, form_data(world, health, preview="1", municipality=oslo.pk), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "the description can reveal the employer" not in partial


def test_the_edit_form_previews_the_stored_public_text(world, english_client):
    need = NeedFactory(organisation=world.holtalen, visibility="public", public_title="Sykepleiere i distriktet")
    page = english_client("holtalen_contact").get(reverse("needs:update", args=[need.pk])).content.decode()
    assert "Sykepleiere i distriktet" in page
    assert f"people live in {world.holtalen.municipality.name}" in page


def test_a_need_registered_in_a_mapping_round_gets_the_same_preview(world, english_client, health):
    from tests.test_mapping import open_round

    mapping_round = open_round(world)
    client = english_client("holtalen_contact")
    url = reverse("mapping:register_need", args=[mapping_round.pk]) + f"?organisation={world.holtalen.pk}"
    assert 'id="public-preview"' in client.get(url).content.decode()
    data = form_data(world, health, visibility="public", public_title="Helsefagarbeidere med fagbrev", preview="1")
    partial = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Helsefagarbeidere med fagbrev" in partial
    assert not CompetenceNeed.objects.exists()


def test_the_public_jsonl_export_carries_only_the_public_text(world):
    from kompetansebro.transfer.jsonl import export_needs

    sawmill_need(world)
    handle = io.StringIO()
    assert export_needs(handle) == 1
    exported = handle.getvalue()
    assert "Truckførere med sertifikat. To ansatte trenger truckførerbevis." in exported
    assert_no_internal_text(exported, world)
