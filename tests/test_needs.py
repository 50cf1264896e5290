"""Competence needs: registration, validation, life cycle, anonymisation, conflicts, history, lists."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.matching.services import rematch_need
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, NeedStatusChange, Visibility
from kompetansebro.needs.rules import allowed_next_statuses, organisations_user_may_register_for
from kompetansebro.needs.selectors import need_search, needs_visible_to
from kompetansebro.needs.services import need_change_status, need_register, need_update
from kompetansebro.organisations.models import MembershipRole
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, NeedFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English source strings, which stay valid when the translation changes."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for, settings):
    def make(persona):
        client = client_for(persona)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def health(reference_data):
    return CompetenceField.objects.get(code="helse-og-omsorg")


@pytest.fixture
def garden_admin(world):
    return MembershipFactory(
        organisation=world.garden, role=MembershipRole.ADMIN, user__email="leder@naeringshage.example.no"
    ).user


def form_data(world, health, **changes):
    data = {
        "organisation": world.holtalen.pk,
        "title": "Helsefagarbeidere i hjemmetjenesten",
        "description": "Fem assistenter skal ta fagbrev ved siden av jobb.",
        "field": health.pk,
        "tags": "Helsefagarbeider, fagbrev; Helsefagarbeider",
        "level": "fagbrev",
        "persons": "5",
        "municipality": "",
        "wants_local_gatherings": "on",
        "wants_workplace": "on",
        "combined_work_education": "on",
        "wanted_start": (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d.%m.%Y"),
        "urgency": "high",
        "contact_person": world.users["holtalen_contact"].pk,
        "visibility": "region",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def login(client, user):
    client.cookies["kompetansebro_language"] = "en"
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# Registration -------------------------------------------------------------------------------------------------


def test_contact_person_registers_a_need_for_the_organisation(world, client_for, health):
    client = client_for("holtalen_contact")
    response = client.post(reverse("needs:create") + f"?organisation={world.holtalen.pk}", form_data(world, health))
    need = CompetenceNeed.objects.get()
    assert response.status_code == 302
    assert response["Location"] == need.get_absolute_url()
    assert need.organisation == world.holtalen
    assert need.registered_on_behalf_by is None
    assert need.registered_by_region is None
    assert need.municipality == world.holtalen.municipality
    assert need.status == NeedStatus.REGISTERED
    assert need.created_by == world.users["holtalen_contact"]
    assert need.combined_work_education and need.wants_workplace and not need.wants_online
    assert sorted(tag.name for tag in need.tags.all()) == ["fagbrev", "helsefagarbeider"]
    change = need.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "registered", need.created_by)
    entry = AuditEntry.objects.get(action="needs.need.created")
    assert entry.changes["title"]["new"] == "Helsefagarbeidere i hjemmetjenesten"
    assert entry.changes["organisation"]["new"] == "Holtålen kommune"


def test_person_with_one_organisation_goes_straight_to_the_form(world, client_for):
    response = client_for("ntnu_admin").get(reverse("needs:create"))
    assert response.status_code == 200
    assert "The need of NTNU Videre." in response.content.decode()


def test_person_with_several_organisations_chooses_first(world, client_for):
    response = client_for("secretariat_sor").get(reverse("needs:create"))
    html = response.content.decode()
    assert "Which organisation has the need?" in html
    assert "Holtålen kommune" in html and "Oslo Konsult AS" not in html


def test_business_garden_registers_for_a_represented_company(world, health, garden_admin, client):
    login(client, garden_admin)
    assert set(organisations_user_may_register_for(garden_admin)) == {world.garden, world.company}
    data = form_data(world, health, organisation=world.company.pk, contact_person="", visibility="organisation")
    response = client.post(reverse("needs:create") + f"?organisation={world.company.pk}", data)
    assert response.status_code == 302
    need = CompetenceNeed.objects.get()
    assert need.organisation == world.company
    assert need.registered_on_behalf_by == world.garden
    assert need.municipality == world.company.municipality
    # The garden keeps access to what it registered, and the company sees its own need.
    assert client.get(reverse("needs:update", args=[need.pk])).status_code == 200
    assert world.users["company_member"].has_perm("needs.view_need", need)
    assert not world.users["secretariat_sor"].has_perm("needs.view_need", need)


def test_garden_cannot_register_for_a_company_it_does_not_represent(world, health, garden_admin, client):
    login(client, garden_admin)
    data = form_data(world, health, organisation=world.oslo_company.pk, contact_person="")
    response = client.post(reverse("needs:create") + f"?organisation={world.oslo_company.pk}", data)
    assert response.status_code == 200
    assert "You cannot register needs for that organisation." in response.content.decode()
    assert not CompetenceNeed.objects.exists()


def test_secretariat_registers_after_a_mapping_meeting(world, client_for, health):
    client = client_for("secretariat_sor")
    data = form_data(world, health, visibility="organisation")
    response = client.post(reverse("needs:create") + f"?organisation={world.holtalen.pk}", data)
    assert response.status_code == 302
    need = CompetenceNeed.objects.get()
    assert need.registered_by_region == world.region
    assert need.registered_on_behalf_by is None
    # The region that registered it sees it although it is for the organisation only; others in the county do not.
    assert world.users["secretariat_sor"].has_perm("needs.view_need", need)
    assert world.users["holtalen_contact"].has_perm("needs.view_need", need)
    assert not world.users["county_observer"].has_perm("needs.view_need", need)


def test_secretariat_cannot_register_outside_its_region(world, client_for, health):
    client = client_for("secretariat_sor")
    data = form_data(world, health, organisation=world.oslo_company.pk, contact_person="")
    client.post(reverse("needs:create") + f"?organisation={world.oslo_company.pk}", data)
    assert not CompetenceNeed.objects.exists()


def test_service_normalises_tags_and_defaults(world, health):
    actor = world.users["holtalen_admin"]
    need = need_register(
        actor=actor,
        organisation=world.homecare,
        data={"title": "Velferdsteknologi", "description": "Kurs", "field": health, "tags": [" Velferd ", "velferd"]},
    )
    assert [tag.name for tag in need.tags.all()] == ["velferd"]
    assert need.municipality == world.homecare.municipality
    assert need.visibility == Visibility.REGION and need.persons == 1


# Validation -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"persons": "0"}, "The number of persons must be at least 1."),
        ({"persons": "fem"}, "Write the number of persons as a whole number."),
        ({"title": ""}, "Give the need a short title."),
        ({"description": ""}, "Describe the need."),
        ({"field": ""}, "Choose the field of competence."),
        ({"wanted_start": "01.01.2020"}, "The wanted start cannot be in the past."),
        ({"wanted_start": "2027-13-45"}, "Write the date as dd.mm.yyyy, e.g. 15.08.2027."),
        ({"contact_person": "NTNU"}, "Choose one of the people registered in the organisation."),
    ],
)
def test_validation_messages(world, client_for, health, changes, message):
    if changes.get("contact_person") == "NTNU":
        changes = {"contact_person": world.users["ntnu_admin"].pk}
    client = client_for("holtalen_contact")
    response = client.post(
        reverse("needs:create") + f"?organisation={world.holtalen.pk}", form_data(world, health, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CompetenceNeed.objects.exists()


def test_service_refuses_zero_persons(world, health):
    with pytest.raises(ValidationError) as error:
        need_register(
            actor=None,
            organisation=world.holtalen,
            data={"title": "T", "description": "D", "field": health, "persons": 0},
        )
    assert error.value.message_dict["persons"] == ["The number of persons must be at least 1."]


def test_editing_an_old_need_keeps_a_wanted_start_in_the_past(world, client_for, health):
    need = NeedFactory(organisation=world.holtalen, wanted_start=datetime.date(2020, 1, 1))
    client = client_for("holtalen_contact")
    data = form_data(world, health, wanted_start="01.01.2020", version=need.version, organisation=None)
    response = client.post(reverse("needs:update", args=[need.pk]), data)
    assert response.status_code == 302


# Status moves ---------------------------------------------------------------------------------------------------


def status_need(world, status, **kwargs):
    return NeedFactory(organisation=world.holtalen, status=status, **kwargs)


@pytest.mark.parametrize(
    ("status", "persona", "expected"),
    [
        ("registered", "secretariat_sor", ["qualified", "closed"]),
        ("registered", "platform_admin", ["qualified", "closed"]),
        ("registered", "holtalen_contact", ["closed"]),
        ("registered", "holtalen_admin", ["closed"]),
        ("registered", "county_observer", []),
        ("registered", "company_member", []),
        ("registered", "anonymous", []),
        ("qualified", "holtalen_contact", ["closed"]),
        ("qualified", "secretariat_sor", ["presented", "registered", "closed"]),
        ("in_dialogue", "secretariat_sor", ["being_adapted", "offer_running", "closed"]),
        ("in_dialogue", "holtalen_contact", ["closed"]),
        ("offer_running", "holtalen_contact", ["fulfilled", "closed"]),
        ("closed", "holtalen_contact", ["registered"]),
        ("closed", "secretariat_sor", ["registered"]),
        ("fulfilled", "secretariat_sor", []),
        ("fulfilled", "holtalen_contact", []),
    ],
)
def test_allowed_next_statuses_by_role(world, status, persona, expected):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else world.users[persona]
    need = status_need(world, status)
    assert [str(value) for value in allowed_next_statuses(user, need)] == expected
    assert user.has_perm("needs.change_status", need) == bool(expected)


def test_garden_admin_may_withdraw_what_it_registered(world, garden_admin):
    need = NeedFactory(organisation=world.company, registered_on_behalf_by=world.garden, status="offer_running")
    assert allowed_next_statuses(garden_admin, need) == ["fulfilled", "closed"]
    assert allowed_next_statuses(world.users["company_member"], need) == []


def test_owner_cannot_make_a_secretariat_move(world, client_for):
    need = status_need(world, "registered")
    response = client_for("holtalen_contact").post(
        reverse("needs:change_status", args=[need.pk]), {"to_status": "qualified"}
    )
    assert response.status_code == 200
    assert "You cannot move the need to that status." in response.content.decode()
    need.refresh_from_db()
    assert need.status == "registered"


def test_closing_needs_a_reason(world, client_for):
    need = status_need(world, "registered")
    client = client_for("holtalen_contact")
    response = client.post(reverse("needs:change_status", args=[need.pk]), {"to_status": "closed", "reason": "  "})
    assert "Write why the need is closed." in response.content.decode()
    need.refresh_from_db()
    assert need.status == "registered"
    with pytest.raises(ValidationError) as error:
        need_change_status(actor=world.users["holtalen_contact"], need=need, to_status="closed")
    assert error.value.message_dict == {"reason": ["Write why the need is closed."]}


def test_service_refuses_a_move_outside_the_life_cycle(world):
    need = status_need(world, "registered")
    with pytest.raises(ValidationError) as error:
        need_change_status(actor=world.users["secretariat_sor"], need=need, to_status="fulfilled")
    assert "cannot be moved" in error.value.message_dict["to_status"][0]


def test_full_status_history(world, client_for):
    need = need_register(
        actor=world.users["holtalen_contact"],
        organisation=world.holtalen,
        data={"title": "Ledelse", "description": "Lederutdanning", "field": CompetenceField.objects.first()},
    )
    secretariat = client_for("secretariat_sor")
    url = reverse("needs:change_status", args=[need.pk])
    for to_status in ["qualified", "presented", "in_dialogue", "offer_running"]:
        assert secretariat.post(url, {"to_status": to_status}).status_code == 302
    contact = client_for("holtalen_contact")
    assert contact.post(url, {"to_status": "closed", "reason": "Fant et tilbud i nabokommunen."}).status_code == 302
    assert contact.post(url, {"to_status": "registered"}).status_code == 302
    changes = list(NeedStatusChange.objects.filter(need=need).values_list("from_status", "to_status", "changed_by"))
    secretariat_id, contact_id = world.users["secretariat_sor"].pk, world.users["holtalen_contact"].pk
    assert changes == [
        ("", "registered", contact_id),
        ("registered", "qualified", secretariat_id),
        ("qualified", "presented", secretariat_id),
        ("presented", "in_dialogue", secretariat_id),
        ("in_dialogue", "offer_running", secretariat_id),
        ("offer_running", "closed", contact_id),
        ("closed", "registered", contact_id),
    ]
    need.refresh_from_db()
    assert need.status == "registered" and need.version == 7
    html = contact.get(need.get_absolute_url()).content.decode()
    assert "Fant et tilbud i nabokommunen." in html
    assert world.users["secretariat_sor"].get_full_name() in html
    assert "Offer running" in html
    entry = AuditEntry.objects.filter(action="needs.need.status_changed").order_by("pk")[4]
    assert entry.changes["reason"]["new"] == "Fant et tilbud i nabokommunen."


# Anonymisation --------------------------------------------------------------------------------------------------


@pytest.fixture
def public_need(world):
    return NeedFactory(
        organisation=world.holtalen,
        visibility=Visibility.PUBLIC_ANONYMISED,
        contact_person=world.users["holtalen_contact"],
        external_id="HOLT-2026-7",
        title="Demensteamet ved Holtålen helsetun",
        public_title="Sykepleiere med videreutdanning i demens",
    )


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "ntnu_admin", "company_member"])
def test_public_need_is_anonymised_for_outsiders(world, client_for, public_need, persona):
    client = client_for(persona)
    for url in [public_need.get_absolute_url(), reverse("needs:list"), reverse("needs:list") + "?q=demens"]:
        html = client.get(url).content.decode()
        assert "Sykepleiere med videreutdanning i demens" in html
        assert "Holtålen kommune" not in html
        assert "Holtålen helsetun" not in html  # the internal title: the public sees the public one
        assert "HOLT-2026-7" not in html
        assert world.users["holtalen_contact"].email not in html
        assert world.users["holtalen_contact"].get_full_name() not in html
    html = client.get(public_need.get_absolute_url()).content.decode()
    assert "Holtålen" in html  # the municipality is shown
    assert "anonymised" in client.get(reverse("needs:list")).content.decode()


def test_public_need_shows_its_organisation_to_insiders(world, client_for, public_need):
    for persona in ["holtalen_contact", "secretariat_sor", "county_observer", "platform_admin"]:
        assert "Holtålen kommune" in client_for(persona).get(public_need.get_absolute_url()).content.decode()


def test_organisation_filter_does_not_reveal_whose_public_needs_they_are(world, client_for, public_need):
    url = reverse("needs:list") + f"?organisation={world.holtalen.pk}"
    assert "0 needs found" in client_for("anonymous").get(url).content.decode()
    assert "1 need found" in client_for("secretariat_sor").get(url).content.decode()


# Concurrent edits and history -----------------------------------------------------------------------------------


def test_second_save_gets_a_conflict_and_sees_the_other_change(world, client_for, health):
    need = NeedFactory(organisation=world.holtalen, title="Opprinnelig tittel", field=health)
    url = reverse("needs:update", args=[need.pk])
    first, second = client_for("holtalen_contact"), client_for("secretariat_sor")
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    base = form_data(world, health, organisation=None, title="Opprinnelig tittel", version="1")
    assert first.post(url, {**base, "title": "Tittel fra kontaktpersonen"}).status_code == 302
    response = second.post(url, {**base, "persons": "12"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in html
    assert "Tittel fra kontaktpersonen" in html
    need.refresh_from_db()
    assert (need.title, need.persons, need.version) == ("Tittel fra kontaktpersonen", 5, 2)
    # Saving again (the form now carries the stored version) keeps the second person's values.
    assert 'name="version" value="2"' in html
    assert second.post(url, {**base, "persons": "12", "version": "2"}).status_code == 302
    need.refresh_from_db()
    assert (need.title, need.persons, need.version) == ("Opprinnelig tittel", 12, 3)


def test_service_refuses_a_stale_version(world, health):
    need = NeedFactory(organisation=world.holtalen)
    need_update(actor=None, need=need, data={"title": "Ny"}, expected_version=1)
    with pytest.raises(ConcurrentEditError):
        need_update(
            actor=None, need=CompetenceNeed.objects.get(pk=need.pk), data={"title": "Eldre"}, expected_version=1
        )


def test_changes_are_in_the_history(world, client_for, health):
    need = need_register(
        actor=world.users["holtalen_contact"],
        organisation=world.holtalen,
        data={"title": "Første", "description": "D", "field": health, "tags": "a, b"},
    )
    need_update(
        actor=world.users["secretariat_sor"],
        need=need,
        data={"title": "Andre", "tags": ["b", "c"], "persons": 4},
        expected_version=1,
    )
    entry = AuditEntry.objects.get(action="needs.need.changed")
    assert entry.actor == world.users["secretariat_sor"]
    assert entry.changes["title"] == {"old": "Første", "new": "Andre", "model": "needs.competenceneed"}
    assert entry.changes["tags"]["old"] == ["a", "b"] and entry.changes["tags"]["new"] == ["b", "c"]
    assert entry.changes["persons"]["new"] == 4
    html = client_for("holtalen_admin").get(reverse("needs:history", args=[need.pk])).content.decode()
    assert "Andre" in html and "Første" in html


# Lists and visibility -------------------------------------------------------------------------------------------


def test_organisation_only_need_never_appears_in_another_organisations_list(world, client_for):
    NeedFactory(organisation=world.holtalen, title="Hemmelig behov", visibility=Visibility.ORGANISATION)
    for persona in PERSONAS:
        html = client_for(persona).get(reverse("needs:list")).content.decode()
        sees = persona in {"holtalen_contact", "holtalen_admin", "platform_admin"}
        assert ("Hemmelig behov" in html) == sees, persona


def test_department_needs_are_visible_to_the_parent_organisation(world, client_for):
    NeedFactory(organisation=world.homecare, title="Behov i hjemmetjenesten", visibility=Visibility.ORGANISATION)
    assert "Behov i hjemmetjenesten" in client_for("holtalen_contact").get(reverse("needs:list")).content.decode()


def test_list_selector_matches_the_view_rule(world, garden_admin):
    from django.contrib.auth.models import AnonymousUser

    needs = [
        NeedFactory(organisation=organisation, visibility=visibility, **extra)
        for organisation in [world.holtalen, world.homecare, world.company, world.ntnu, world.oslo_company]
        for visibility in Visibility.values
        for extra in [{}, {"registered_by_region": world.region}, {"registered_on_behalf_by": world.garden}]
    ]
    users = [AnonymousUser(), garden_admin, *world.users.values()]
    for user in users:
        visible = set(needs_visible_to(user).values_list("pk", flat=True))
        assert visible == {need.pk for need in needs if user.has_perm("needs.view_need", need)}, user
        identity = set(need_search(user=user, filters={}).filter(visibility="public").values_list("pk", flat=True))
        assert identity <= visible


def test_need_search_filters(world, health):
    other_field = CompetenceField.objects.exclude(pk=health.pk).first()
    wanted = need_register(
        actor=None,
        organisation=world.holtalen,
        data={
            "title": "Fagbrev",
            "description": "Kveldskurs",
            "field": health,
            "tags": "Demensomsorg",
            "level": "fagbrev",
            "urgency": "high",
            "combined_work_education": True,
        },
    )
    NeedFactory(organisation=world.roros, field=other_field, title="Annet", status="qualified")
    NeedFactory(organisation=world.ntnu, field=health, title="Trondheim")
    user = world.users["platform_admin"]

    def titles(**filters):
        return {need.title for need in need_search(user=user, filters=filters)}

    assert titles(q="demens") == {"Fagbrev"}
    assert titles(q="kveldskurs") == {"Fagbrev"}
    assert titles(status=["registered", "qualified"]) == {"Fagbrev", "Annet", "Trondheim"}
    assert titles(status=["qualified"]) == {"Annet"}
    assert titles(field=health.code) == {"Fagbrev", "Trondheim"}
    assert titles(level="fagbrev", urgency="high", combined_work_education=True) == {"Fagbrev"}
    assert titles(municipality="5026") == {"Fagbrev"}
    assert titles(region="trondelag-sor") == {"Fagbrev", "Annet"}
    assert titles(organisation=world.roros.pk) == {"Annet"}
    assert wanted in need_search(user=user, filters={"q": "DEMENS"})


def test_list_filters_by_get_and_htmx_partial(world, client_for, health):
    NeedFactory(organisation=world.holtalen, title="Demensomsorg", status="qualified")
    NeedFactory(organisation=world.holtalen, title="Sveising")
    client = client_for("secretariat_sor")
    html = client.get(reverse("needs:list") + "?status=qualified").content.decode()
    assert "Demensomsorg" in html and "Sveising" not in html and "1 need found" in html
    partial = client.get(reverse("needs:list") + "?q=sveis", HTTP_HX_REQUEST="true").content.decode()
    assert "Sveising" in partial and "<html" not in partial
    assert 'role="status"' in partial and 'hx-swap-oob="true"' in partial


# Query counts ---------------------------------------------------------------------------------------------------


@pytest.fixture
def many_needs(world, health):
    organisations = [world.holtalen, world.homecare, world.roros, world.company, world.ntnu]
    for index in range(45):
        need = NeedFactory(
            organisation=organisations[index % len(organisations)],
            visibility=Visibility.values[index % 3],
            contact_person=world.users["holtalen_contact"],
            registered_on_behalf_by=world.garden if index % 4 == 0 else None,
        )
        need.tags.set([])
        NeedStatusChange.objects.create(need=need, to_status="registered", changed_by=world.users["holtalen_contact"])
        NeedStatusChange.objects.create(
            need=need, from_status="registered", to_status="qualified", changed_by=world.users["secretariat_sor"]
        )
    for _ in range(10):
        MembershipFactory(organisation=world.holtalen, user=UserFactory())
    OrganisationFactory.create_batch(5, municipality=world.holtalen.municipality)


@pytest.mark.parametrize("persona", ["anonymous", "holtalen_contact", "secretariat_sor", "platform_admin"])
@pytest.mark.parametrize(
    "url_of",
    [
        lambda w, need: reverse("needs:list"),
        lambda w, need: reverse("needs:list") + "?q=behov&status=registered&status=qualified&region=trondelag-sor",
        lambda w, need: reverse("needs:list") + "?page=2",
        lambda w, need: need.get_absolute_url(),
        lambda w, need: reverse("needs:history", args=[need.pk]),
        lambda w, need: reverse("needs:update", args=[need.pk]),
    ],
)
def test_pages_use_a_fixed_number_of_queries(
    world, client_for, many_needs, django_assert_max_num_queries, url_of, persona
):
    need = CompetenceNeed.objects.filter(organisation=world.holtalen, visibility="public").first()
    # The first view of a need computes its suggested offerings (counted in test_matching_app); this
    # counts the page as people see it afterwards.
    rematch_need(need)
    client = client_for(persona)
    with django_assert_max_num_queries(15):
        response = client.get(url_of(world, need))
    assert response.status_code in (200, 302)
