import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.organisations.models import Membership, Organisation
from tests.factories import MembershipFactory


def form_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "provider_kind": organisation.provider_kind,
        "org_number": organisation.org_number or "",
        "municipality": organisation.municipality_id,
        "parent": organisation.parent_id or "",
        "represented_by": organisation.represented_by_id or "",
        "description": organisation.description,
        "website": organisation.website,
        "email": organisation.email,
        "phone": organisation.phone,
        "is_active": "on" if organisation.is_active else "",
        "version": organisation.version,
    }
    data.update(changes)
    return data


def test_wrong_check_digit_is_refused_with_a_clear_message(world, client_for):
    client = client_for("holtalen_admin")
    url = reverse("organisations:update", args=[world.holtalen.pk])
    response = client.post(url, form_data(world.holtalen, org_number="974760674"))
    assert response.status_code == 200
    assert "check digit is wrong" in response.content.decode() or "kontrollsifferet" in response.content.decode()
    world.holtalen.refresh_from_db()
    assert world.holtalen.org_number != "974760674"


def test_org_number_is_stored_compact_and_shown_grouped(world, client_for):
    client = client_for("holtalen_admin")
    client.post(
        reverse("organisations:update", args=[world.holtalen.pk]), form_data(world.holtalen, org_number="974 760 673")
    )
    world.holtalen.refresh_from_db()
    assert world.holtalen.org_number == "974760673"
    page = client.get(world.holtalen.get_absolute_url()).content.decode()
    assert "974\xa0760\xa0673" in page or "974 760 673" in page


def test_duplicate_org_number_names_the_other_organisation(world, client_for):
    client = client_for("platform_admin")
    response = client.post(
        reverse("organisations:update", args=[world.roros.pk]),
        form_data(world.roros, org_number=world.holtalen.org_number),
    )
    assert "Holtålen kommune" in response.content.decode()
    world.roros.refresh_from_db()
    assert world.roros.org_number != world.holtalen.org_number


def test_update_is_recorded_with_who_and_what(world, client_for):
    client = client_for("holtalen_admin")
    response = client.post(
        reverse("organisations:update", args=[world.holtalen.pk]), form_data(world.holtalen, phone="72 41 50 00")
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="organisations.organisation.changed")
    assert entry.actor == world.users["holtalen_admin"]
    assert entry.changes["phone"]["new"] == "72 41 50 00"
    history = client.get(reverse("organisations:history", args=[world.holtalen.pk])).content.decode()
    assert "72 41 50 00" in history


def test_second_editor_gets_a_conflict_and_sees_the_other_change(world, client_for):
    stale = form_data(world.holtalen)
    first = client_for("holtalen_admin").post(
        reverse("organisations:update", args=[world.holtalen.pk]), {**stale, "name": "Holtålen kommune (ny)"}
    )
    assert first.status_code == 302
    second = client_for("secretariat_sor").post(
        reverse("organisations:update", args=[world.holtalen.pk]), {**stale, "phone": "12345678"}
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "Holtålen kommune (ny)" in page
    world.holtalen.refresh_from_db()
    assert world.holtalen.name == "Holtålen kommune (ny)"
    assert world.holtalen.phone == ""
    assert second.context["form"].data["version"] == world.holtalen.version
    third = client_for("secretariat_sor").post(
        reverse("organisations:update", args=[world.holtalen.pk]), second.context["form"].data
    )
    assert third.status_code == 302
    world.holtalen.refresh_from_db()
    assert world.holtalen.phone == "12345678"


def test_html_in_text_fields_is_shown_as_text(world, client_for):
    client = client_for("holtalen_admin")
    client.post(
        reverse("organisations:update", args=[world.holtalen.pk]),
        form_data(world.holtalen, description="<script>alert('x')</script>"),
    )
    page = client.get(world.holtalen.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_secretariat_registers_a_company_in_its_region(world, client_for):
    client = client_for("secretariat_sor")
    response = client.post(
        reverse("organisations:create"),
        {
            "name": "Gauldal Bygg AS",
            "kind": "company",
            "org_number": "",
            "municipality": world.council.municipality_id,
            "represented_by": world.garden.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    company = Organisation.objects.get(name="Gauldal Bygg AS")
    assert company.represented_by == world.garden
    assert AuditEntry.objects.filter(action="organisations.organisation.created", object_id=str(company.pk)).exists()


def test_secretariat_cannot_register_outside_its_region(world, client_for):
    response = client_for("secretariat_sor").post(
        reverse("organisations:create"),
        {
            "name": "Bergen Bygg AS",
            "kind": "company",
            "municipality": world.oslo_company.municipality_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Bergen Bygg AS").exists()


def test_org_admin_adds_department_of_own_organisation(world, client_for):
    response = client_for("holtalen_admin").post(
        reverse("organisations:create"),
        {
            "name": "Holtålen kommune, oppvekst",
            "kind": "municipality",
            "municipality": world.holtalen.municipality_id,
            "parent": world.holtalen.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Holtålen kommune, oppvekst").parent == world.holtalen


def test_education_provider_needs_provider_type(world, client_for):
    response = client_for("platform_admin").post(
        reverse("organisations:update", args=[world.ntnu.pk]), form_data(world.ntnu, provider_kind="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_only_business_gardens_represent_others(world, client_for):
    response = client_for("platform_admin").post(
        reverse("organisations:update", args=[world.company.pk]),
        form_data(world.company, represented_by=world.holtalen.pk),
    )
    assert response.status_code == 200
    world.company.refresh_from_db()
    assert world.company.represented_by == world.garden


def test_delete_is_refused_while_departments_exist(world, client_for):
    response = client_for("secretariat_sor").post(reverse("organisations:delete", args=[world.holtalen.pk]))
    assert response.status_code == 200
    assert Organisation.objects.filter(pk=world.holtalen.pk).exists()


def test_delete_records_history(world, client_for):
    response = client_for("secretariat_sor").post(reverse("organisations:delete", args=[world.homecare.pk]))
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=world.homecare.pk).exists()
    assert AuditEntry.objects.filter(
        action="organisations.organisation.deleted", object_id=str(world.homecare.pk)
    ).exists()


def test_adding_a_new_person_sends_an_invitation(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("holtalen_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:membership_add", args=[world.holtalen.pk]),
            {"email": "Ny.Person@Holtalen.example.no", "full_name": "Ny Person", "role": "contact"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="ny.person@holtalen.example.no")
    assert membership.role == "contact"
    assert len(mail.outbox) == 1
    assert "/konto/nytt-passord/" in mail.outbox[0].body


def test_adding_a_new_person_needs_a_name(world, client_for):
    response = client_for("holtalen_admin").post(
        reverse("organisations:membership_add", args=[world.holtalen.pk]),
        {"email": "ukjent@example.no", "full_name": "", "role": "member"},
    )
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors


def test_existing_person_is_not_added_twice(world, client_for):
    response = client_for("holtalen_admin").post(
        reverse("organisations:membership_add", args=[world.holtalen.pk]),
        {"email": world.users["holtalen_contact"].email, "role": "member"},
    )
    assert response.status_code == 200
    assert world.holtalen.memberships.filter(user=world.users["holtalen_contact"]).count() == 1


def test_last_administrator_cannot_be_removed(world, client_for):
    membership = world.users["holtalen_admin"].memberships.get()
    client = client_for("holtalen_admin")
    client.post(reverse("organisations:membership_remove", args=[world.holtalen.pk, membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(reverse("organisations:membership_role", args=[world.holtalen.pk, membership.pk]), {"role": "member"})
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_search_finds_by_name_and_org_number(world, client):
    by_name = client.get(reverse("organisations:list"), {"q": "sagbruk"}).context["page"].object_list
    assert [o.name for o in by_name] == ["Røros Sagbruk AS"]
    number = world.ntnu.org_number
    spaced = f"{number[:3]} {number[3:6]}"
    by_number = client.get(reverse("organisations:list"), {"q": spaced}).context["page"].object_list
    assert world.ntnu in by_number


def test_filter_by_region(world, client):
    page = client.get(reverse("organisations:list"), {"region": "trondelag-sor"}).context["page"]
    names = {o.name for o in page.object_list}
    assert "Holtålen kommune" in names
    assert "NTNU Videre" not in names
    assert "Oslo Konsult AS" not in names


def test_htmx_search_returns_only_the_results_and_announces_the_count(world, client):
    response = client.get(reverse("organisations:list"), {"q": "holt"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert "Holtålen kommune" in page
    assert 'id="result-count" role="status" hx-swap-oob="true"' in page


def test_htmx_history_restore_gets_the_whole_page(world, client):
    response = client.get(
        reverse("organisations:list"),
        {"q": "holt"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_long_lists_on_the_organisation_page_are_paginated(world, client_for):
    MembershipFactory.create_batch(55, organisation=world.holtalen)
    client = client_for("holtalen_admin")
    first = client.get(world.holtalen.get_absolute_url()).context["members"]
    assert (len(first.object_list), first.paginator.count) == (50, 57)
    second = client.get(world.holtalen.get_absolute_url(), {"people_page": 2}).context["members"]
    assert len(second.object_list) == 7


def test_members_are_hidden_from_people_outside(world, client_for):
    page = client_for("outsider").get(world.holtalen.get_absolute_url()).content.decode()
    assert world.users["holtalen_contact"].email not in page
    page = client_for("secretariat_sor").get(world.holtalen.get_absolute_url()).content.decode()
    assert world.users["holtalen_contact"].email in page


@pytest.mark.parametrize("number", ["000000000", "000 000 000", "123456785"])
def test_org_number_not_starting_with_8_or_9_is_refused(world, client_for, number):
    """Enhetsregisteret issues numbers from 8 and 9 only; these pass the MOD11 check but are not real."""
    client = client_for("holtalen_admin")
    response = client.post(
        reverse("organisations:update", args=[world.holtalen.pk]), form_data(world.holtalen, org_number=number)
    )
    assert response.status_code == 200
    assert "begynner med 8 eller 9" in response.content.decode()
    world.holtalen.refresh_from_db()
    assert world.holtalen.org_number != number.replace(" ", "")


def test_model_validation_refuses_org_number_not_starting_with_8_or_9(world):
    world.holtalen.org_number = "000000000"
    with pytest.raises(ValidationError) as error:
        world.holtalen.full_clean()
    assert "org_number" in error.value.message_dict
