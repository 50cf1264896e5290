"""Keeping offerings: validation, conflicts, history, search words, and who may do it."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField
from kompetansebro.geography.models import Municipality
from kompetansebro.offerings import services
from kompetansebro.offerings.models import Offering
from kompetansebro.offerings.rules import providers_user_may_edit
from kompetansebro.offerings.selectors import offering_search
from tests.factories import OfferingFactory

pytestmark = pytest.mark.usefixtures("english")

CREATE = reverse("offerings:create")


def helse():
    return CompetenceField.objects.get(code="helse-og-omsorg")


def form_data(world, **changes):
    data = {
        "provider": world.ntnu.pk,
        "title": "Helsefagarbeider – fagbrev på nett",
        "description": "For assistenter i helse- og omsorgstjenesten som vil ta fagbrev mens de jobber.",
        "field": helse().pk,
        "tags": "Praksiskandidat, eldreomsorg",
        "level": "fagbrev",
        "credits": "",
        "credit_unit": "",
        "delivery_online": "on",
        "delivery_gatherings": "on",
        "gathering_locations": [Municipality.objects.get(number="5025").pk],
        "continuous_admission": "on",
        "start_date": "2027-01-15",
        "application_deadline": "2026-12-01",
        "price": "0",
        "capacity": "30",
        "language": "nb",
        "url": "videre.ntnu.no/helsefag",
        "status": "open",
        "external_id": "HFA-1",
    }
    data.update(changes)
    return data


def test_provider_member_registers_an_offering(world, client_for):
    response = client_for("ntnu_admin").post(CREATE, form_data(world))
    offering = Offering.objects.get()
    assert response.status_code == 302 and response["Location"] == offering.get_absolute_url()
    assert offering.provider == world.ntnu
    assert offering.url == "https://videre.ntnu.no/helsefag"
    assert sorted(offering.tags.values_list("name", flat=True)) == ["eldreomsorg", "praksiskandidat"]
    assert [m.number for m in offering.gathering_locations.all()] == ["5025"]
    assert " røros " in offering.search_text and " ntnu " in offering.search_text
    entry = AuditEntry.objects.get(action="offerings.offering.created")
    assert entry.actor == world.users["ntnu_admin"]
    assert entry.changes["title"]["new"] == "Helsefagarbeider – fagbrev på nett"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"credits": "7.5"}, "credit_unit", "study points or vocational college points"),
        ({"credit_unit": "studiepoeng"}, "credits", "Write the number of credits"),
        ({"application_deadline": "2027-02-01"}, "application_deadline", "on or before the start date"),
        ({"price": "-100"}, "price", "cannot be negative"),
        ({"title": ""}, "title", ""),
    ],
)
def test_invalid_offering_gets_messages_beside_the_fields(world, client_for, changes, field, message):
    response = client_for("ntnu_admin").post(CREATE, form_data(world, **changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Offering.objects.exists()


def test_credits_in_norwegian_decimal_notation(world, client_for):
    client = client_for("ntnu_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.post(CREATE, form_data(world, credits="7,5", credit_unit="studiepoeng"))
    assert Offering.objects.get().credits == Decimal("7.5")


def test_external_id_is_unique_per_provider(world, client_for):
    OfferingFactory(provider=world.ntnu, external_id="HFA-1")
    response = client_for("ntnu_admin").post(CREATE, form_data(world))
    assert "already has an offering with the external id HFA-1" in str(response.context["form"].errors)


def test_provider_must_be_an_education_provider(world):
    with pytest.raises(ValidationError) as error:
        services.offering_create(
            actor=world.users["platform_admin"],
            provider=world.holtalen,
            data={"title": "Kurs", "description": "x", "field": helse(), "level": "kurs"},
        )
    assert "provider" in error.value.message_dict


def test_service_accepts_import_values(world):
    """The import passes text: tags as a string, the field by code, numbers with a decimal comma."""
    offering = services.offering_create(
        actor=None,
        provider=world.ntnu,
        data={
            "title": "Velferdsteknologi",
            "description": "Digitale verktøy i hjemmetjenesten.",
            "field": "helse-og-omsorg",
            "level": "videreutdanning",
            "credits": "7,5",
            "credit_unit": "studiepoeng",
            "price": "12500",
            "tags": "Velferdsteknologi; digitalisering",
            "gathering_locations": [Municipality.objects.get(number="5026")],
            "start_date": date(2027, 1, 10),
        },
    )
    assert offering.credits == Decimal("7.5") and offering.price == Decimal("12500")
    assert offering.status == "planned"
    assert sorted(offering.tags.values_list("name", flat=True)) == ["digitalisering", "velferdsteknologi"]


def test_only_own_providers_can_be_chosen(world, client_for):
    other = OfferingFactory().provider
    response = client_for("ntnu_admin").post(CREATE, form_data(world, provider=other.pk))
    assert "provider" in response.context["form"].errors
    assert list(providers_user_may_edit(world.users["ntnu_admin"])) == [world.ntnu]
    assert not providers_user_may_edit(world.users["holtalen_admin"]).exists()


def test_edit_updates_search_text_and_history(world, client_for):
    client = client_for("ntnu_admin")
    client.post(CREATE, form_data(world))
    offering = Offering.objects.get()
    response = client.post(
        reverse("offerings:update", args=[offering.pk]),
        form_data(world, title="Tømrerfaget for voksne", tags="", version=offering.version, provider=""),
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.version == 2
    assert " tømrerfag " in offering.search_text and " helsefagarbeider " not in offering.search_text
    assert not offering.tags.exists()
    assert titles(world, q="tømrere") == {"Tømrerfaget for voksne"}
    entry = AuditEntry.objects.get(action="offerings.offering.changed")
    assert entry.changes["title"] == {
        "old": "Helsefagarbeider – fagbrev på nett",
        "new": "Tømrerfaget for voksne",
        "model": "offerings.offering",
    }
    assert entry.changes["tags"]["new"] == []
    history = client.get(reverse("offerings:history", args=[offering.pk])).content.decode()
    assert "Tømrerfaget for voksne" in history and "Helsefagarbeider" in history


def titles(world, **filters):
    return {o.title for o in offering_search(user=world.users["outsider"], filters=filters)}


def test_second_editor_gets_a_conflict_and_sees_the_other_change(world, client_for):
    client_for("ntnu_admin").post(CREATE, form_data(world))
    offering = Offering.objects.get()
    url = reverse("offerings:update", args=[offering.pk])
    first, second = client_for("ntnu_admin"), client_for("platform_admin")
    assert first.post(url, form_data(world, title="Første versjon", version=1)).status_code == 302
    response = second.post(url, form_data(world, title="Andre versjon", version=1))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this" in content or "Noen andre" in content
    assert "Første versjon" in content and "Andre versjon" in content
    assert [d["label"] for d in response.context["conflict_differences"]] == ["Title"]
    offering.refresh_from_db()
    assert offering.title == "Første versjon"
    # Saving again keeps the second editor's values, on purpose.
    again = response.context["form"].data
    assert second.post(url, again).status_code == 302
    offering.refresh_from_db()
    assert offering.title == "Andre versjon" and offering.version == 3


def test_status_change_is_recorded_and_bumps_the_version(world, client_for):
    offering = OfferingFactory(provider=world.ntnu, status="planned")
    client = client_for("ntnu_admin")
    response = client.post(reverse("offerings:status", args=[offering.pk]), {"status": "open"})
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.status == "open" and offering.version == 2
    entry = AuditEntry.objects.get(action="offerings.offering.status_changed")
    assert entry.changes["status"]["old"] == "planned" and entry.changes["status"]["new"] == "open"
    assert "Offering registered" not in client.get(reverse("offerings:history", args=[offering.pk])).content.decode()


def test_delete_asks_first_and_records_history(world, client_for):
    offering = OfferingFactory(provider=world.ntnu, title="Sveisekurs")
    client = client_for("ntnu_admin")
    url = reverse("offerings:delete", args=[offering.pk])
    assert "Sveisekurs" in client.get(url).content.decode()
    assert Offering.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("offerings:mine")
    assert not Offering.objects.exists()
    entry = AuditEntry.objects.get(action="offerings.offering.deleted")
    assert entry.changes["title"]["old"] == "Sveisekurs" and entry.changes["title"]["new"] is None


def test_our_offerings_lists_planned_and_closed_of_own_providers_only(world, client_for):
    OfferingFactory(provider=world.ntnu, title="Planlagt tilbud", status="planned")
    OfferingFactory(provider=world.ntnu, title="Avsluttet tilbud", status="closed")
    OfferingFactory(title="Andres tilbud")
    content = client_for("ntnu_admin").get(reverse("offerings:mine")).content.decode()
    assert "Planlagt tilbud" in content and "Avsluttet tilbud" in content
    assert "Andres tilbud" not in content


def test_html_in_text_is_shown_as_text(world, client_for):
    offering = OfferingFactory(provider=world.ntnu, description="<script>alert(1)</script>")
    content = client_for("anonymous").get(offering.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content and "&lt;script&gt;" in content


def test_edit_form_shows_current_tags(world, client_for):
    client = client_for("ntnu_admin")
    client.post(CREATE, form_data(world))
    offering = Offering.objects.get()
    form = client.get(reverse("offerings:update", args=[offering.pk])).context["form"]
    assert form["tags"].value() == "eldreomsorg, praksiskandidat"
    assert "provider" not in form.fields
