"""Life cycles that advance on evidence (issue 12 item 5): a provider's answer, a linked offering, an offering
that starts and an accepted match move the request and its needs, each move in the status history with its
cause; closing a mapping round stamps nothing, the secretariat confirms its needs all at once or one by one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompetansebro.audit.display import change_rows
from kompetansebro.audit.models import AuditEntry
from kompetansebro.development import services
from kompetansebro.development.models import RequestStatus
from kompetansebro.mapping import services as mapping_services
from kompetansebro.matching.services import match_accept
from kompetansebro.needs.models import NeedStatus
from kompetansebro.needs.services import need_advance, need_change_status
from kompetansebro.offerings.services import offering_set_status
from tests.factories import NeedFactory, OfferingFactory, OrganisationFactory
from tests.test_development import answer_of, gap_need, in_days, sent
from tests.test_mapping import need_data, open_round

ANSWERED = "a provider's answer to the development request"
LINKED = "an offering linked to the development request"
STARTED = "the linked offering opened or started"
ACCEPTED = "an offering accepted as a match"
CONFIRMED = "confirmed after the mapping round"


def moves(need) -> list[tuple[str, str, str]]:
    """The need's status history after registration: (from, to, cause)."""
    return [(c.from_status, c.to_status, c.cause) for c in need.status_changes.exclude(from_status="")]


def answer(world, request, kind="new", **values):
    values.setdefault("planned_start", in_days(60) if kind != "cannot" else None)
    return services.request_answer(
        actor=world.users["ntnu_admin"],
        answer=answer_of(request, world.ntnu),
        kind=kind,
        expected_version=1,
        **values,
    )


def second_provider():
    return OrganisationFactory(kind="education_provider", provider_kind="vocational_college")


# ---- a provider's answer -------------------------------------------------------------------------------------


def test_an_answer_moves_the_request_and_walks_its_needs_to_in_dialogue(world):
    qualified = gap_need(world.holtalen, status=NeedStatus.QUALIFIED)
    registered = gap_need(world.holtalen)
    fulfilled = gap_need(world.holtalen, status=NeedStatus.FULFILLED)
    request = sent(world, [qualified, registered, fulfilled], providers=[world.ntnu, second_provider()])
    assert request.status == RequestStatus.SENT
    answer(world, request, kind="adapt")
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_DIALOGUE
    for need in (qualified, registered, fulfilled):
        need.refresh_from_db()
    assert qualified.status == NeedStatus.IN_DIALOGUE
    assert moves(qualified)[-2:] == [
        ("qualified", "presented", ANSWERED),
        ("presented", "in_dialogue", ANSWERED),
    ]
    change = qualified.status_changes.last()
    assert change.changed_by == world.users["ntnu_admin"]
    assert change.cause_object == f"{request.title} (NTNU Videre)"
    assert registered.status == NeedStatus.REGISTERED  # unreviewed: a provider cannot qualify it
    assert fulfilled.status == NeedStatus.FULFILLED  # never out of a final state
    entry = AuditEntry.objects.filter(action="needs.need.status_changed", object_id=str(qualified.pk)).latest("pk")
    assert entry.changes["cause"] == {"old": None, "new": change.cause_object, "label": ANSWERED}
    assert entry.data["cause"] == ANSWERED
    answered = AuditEntry.objects.get(action="development.request.answered")
    assert answered.changes["status"]["new"] == "in_dialogue" and answered.data["needs_moved"] == 1


def test_a_cannot_answer_moves_the_request_but_not_the_needs(world):
    need = gap_need(world.holtalen, status=NeedStatus.QUALIFIED)
    request = sent(world, [need], providers=[world.ntnu, second_provider()])
    answer(world, request, kind="cannot", reason="Ingen lærere i år")
    request.refresh_from_db()
    need.refresh_from_db()
    assert request.status == RequestStatus.IN_DIALOGUE
    assert need.status == NeedStatus.QUALIFIED


def test_the_history_shows_the_cause_in_bokmal(world, client_for):
    need = gap_need(world.holtalen, status=NeedStatus.QUALIFIED)
    request = sent(world, [need])
    answer(world, request)
    page = client_for("secretariat_sor").get(need.get_absolute_url()).content.decode()
    assert f"Svar fra en tilbyder på bestillingen: {request.title} (NTNU Videre)" in page
    entry = AuditEntry.objects.filter(action="needs.need.status_changed", object_id=str(need.pk)).latest("pk")
    assert ("Svar fra en tilbyder på bestillingen", "–", f"{request.title} (NTNU Videre)") in change_rows(entry)


# ---- linking the offering ------------------------------------------------------------------------------------


def test_linking_a_planned_offering_moves_the_needs_and_closes_the_link_form(world, client_for):
    need = gap_need(world.holtalen, status=NeedStatus.PRESENTED)
    request = sent(world, [need])
    answer(world, request)
    client = client_for("ntnu_admin")
    link_url = reverse("development:link_offering", args=[request.pk])
    assert link_url in client.get(request.get_absolute_url()).content.decode()
    planned = OfferingFactory(provider=world.ntnu, status="planned", title="Vann og avløp for voksne")
    response = client.post(link_url, {"answer": answer_of(request, world.ntnu).pk, "offering": planned.pk})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.BEING_ADAPTED
    assert moves(need)[-1] == ("in_dialogue", "being_adapted", LINKED)
    assert need.status_changes.last().cause_object == f"Vann og avløp for voksne ({request.title})"
    assert link_url not in client.get(request.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        services.request_link_offering(
            actor=world.users["ntnu_admin"], answer=answer_of(request, world.ntnu), offering=planned
        )
    # the offering opens for applications: the needs have an offer running
    offering_set_status(actor=world.users["ntnu_admin"], offering=planned, status="open")
    need.refresh_from_db()
    assert need.status == NeedStatus.OFFER_RUNNING
    assert moves(need)[-1] == ("being_adapted", "offer_running", STARTED)


def test_linking_a_running_offering_goes_straight_to_offer_running(world):
    need = gap_need(world.holtalen, status=NeedStatus.QUALIFIED)
    request = sent(world, [need])
    answer(world, request, kind="adapt")
    running = OfferingFactory(provider=world.ntnu, status="running")
    moved = services.request_link_offering(
        actor=world.users["secretariat_sor"], answer=answer_of(request, world.ntnu), offering=running
    )
    need.refresh_from_db()
    assert moved == 1 and need.status == NeedStatus.OFFER_RUNNING
    assert moves(need)[-1] == ("in_dialogue", "offer_running", LINKED)


def test_evidence_never_moves_a_need_back(world):
    need = gap_need(world.holtalen, status=NeedStatus.IN_DIALOGUE)
    need_advance(actor=None, need=need, to_status=NeedStatus.OFFER_RUNNING, cause=STARTED)
    request = sent(world, [need])
    answer(world, request)
    planned = OfferingFactory(provider=world.ntnu, status="planned")
    assert (
        services.request_link_offering(
            actor=world.users["ntnu_admin"], answer=answer_of(request, world.ntnu), offering=planned
        )
        == 0
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.OFFER_RUNNING
    closed = gap_need(world.holtalen)
    need_change_status(actor=None, need=closed, to_status=NeedStatus.CLOSED, reason="Dekket")
    admin = world.users["platform_admin"]
    assert need_advance(actor=admin, need=closed, to_status=NeedStatus.IN_DIALOGUE, cause=ACCEPTED) == 0


# ---- an accepted match -------------------------------------------------------------------------------------


def test_an_accepted_match_moves_the_need(world):
    offering = OfferingFactory(provider=world.ntnu, title="Helsefagarbeider for voksne")
    need = gap_need(world.holtalen, status=NeedStatus.QUALIFIED)
    match_accept(need=need, offering=offering, actor=world.users["holtalen_admin"])
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_DIALOGUE
    assert moves(need)[-2:] == [("qualified", "presented", ACCEPTED), ("presented", "in_dialogue", ACCEPTED)]
    assert need.status_changes.last().cause_object == "Helsefagarbeider for voksne"
    unreviewed = NeedFactory(organisation=world.holtalen)
    match_accept(need=unreviewed, offering=offering, actor=world.users["holtalen_admin"])
    unreviewed.refresh_from_db()
    assert unreviewed.status == NeedStatus.REGISTERED


# ---- closing a mapping round and confirming its needs ----------------------------------------------------------


def round_with_needs(world):
    mapping_round = open_round(world)
    needs = [
        mapping_services.round_register_need(
            actor=world.users["holtalen_contact"],
            round=mapping_round,
            organisation=world.holtalen,
            data=need_data(title=title),
        )
        for title in ("Helsefagarbeidere", "Sykepleiere", "Tømrere")
    ]
    return mapping_round, needs


def test_closing_a_round_stamps_no_need(world):
    mapping_round, needs = round_with_needs(world)
    mapping_services.round_close(actor=world.users["secretariat_sor"], round=mapping_round)
    for need in needs:
        need.refresh_from_db()
        assert need.status == NeedStatus.REGISTERED
        assert moves(need) == []


def test_the_secretariat_confirms_one_then_all(world, client_for):
    mapping_round, (first, second, third) = round_with_needs(world)
    client = client_for("secretariat_sor")
    url = reverse("mapping:confirm_needs", args=[mapping_round.pk])
    mapping_services.round_close(actor=world.users["secretariat_sor"], round=mapping_round)
    page = client.get(url).content.decode()
    assert all(need.title in page for need in (first, second, third))
    client.post(url, {"need": second.pk})
    for need in (first, second, third):
        need.refresh_from_db()
    assert [first.status, second.status, third.status] == ["registered", "qualified", "registered"]
    change = second.status_changes.last()
    assert (change.cause, change.cause_object) == (CONFIRMED, mapping_round.title)
    assert change.changed_by == world.users["secretariat_sor"]
    response = client.post(url, {"all": "1"}, follow=True)
    assert "2 behov er bekreftet som kvalitetssikret." in response.content.decode()
    for need in (first, third):
        need.refresh_from_db()
        assert need.status == NeedStatus.QUALIFIED
    assert len(moves(second)) == 1  # confirmed once
    assert "Ingen behov i runden venter på gjennomgang." in client.get(url).content.decode()
    entries = AuditEntry.objects.filter(action="mapping.round.needs_confirmed").order_by("pk")
    assert [entry.data["needs"] for entry in entries] == [[second.pk], sorted([first.pk, third.pk])]


def test_confirming_needs_of_an_open_round_is_refused(world, client_for, english):
    mapping_round, (need, *_) = round_with_needs(world)
    with pytest.raises(ValidationError, match="Close the round"):
        mapping_services.round_confirm_needs(actor=world.users["secretariat_sor"], round=mapping_round)
    url = reverse("mapping:confirm_needs", args=[mapping_round.pk])
    assert client_for("secretariat_sor").post(url, {"all": "1"}).status_code == 403
    response = client_for("platform_admin").post(url, {"all": "1"}, follow=True)
    assert "Close the round before you confirm its needs." in response.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.REGISTERED


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("secretariat_sor", 302), ("holtalen_contact", 403), ("county_observer", 404), ("outsider", 404)],
)
def test_only_the_rounds_secretariat_confirms(world, client_for, persona, status_code):
    mapping_round, (need, *_) = round_with_needs(world)
    mapping_services.round_close(actor=world.users["secretariat_sor"], round=mapping_round)
    response = client_for(persona).post(reverse("mapping:confirm_needs", args=[mapping_round.pk]), {"all": "1"})
    assert response.status_code == status_code
    need.refresh_from_db()
    assert need.status == (NeedStatus.QUALIFIED if status_code == 302 else NeedStatus.REGISTERED)


def test_the_closed_round_links_to_the_review(world, client_for):
    mapping_round, _needs = round_with_needs(world)
    mapping_services.round_close(actor=world.users["secretariat_sor"], round=mapping_round)
    review = reverse("mapping:confirm_needs", args=[mapping_round.pk])
    assert review in client_for("secretariat_sor").get(mapping_round.get_absolute_url()).content.decode()
    assert review not in client_for("holtalen_contact").get(mapping_round.get_absolute_url()).content.decode()
