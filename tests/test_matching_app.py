"""Matching in the app: stored suggestions, incremental updates, accept/reject, the rematch command, the
need page's section and the provider page."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField
from kompetansebro.matching import engine_cache, services
from kompetansebro.matching.documents import need_document, need_documents, offering_document, offering_documents
from kompetansebro.matching.engine.reasons import Reason
from kompetansebro.matching.models import MatchDecision, MatchState, MatchSuggestion
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, Visibility
from kompetansebro.needs.services import need_change_status, need_register, need_update
from kompetansebro.offerings.models import Offering
from kompetansebro.offerings.services import offering_create, offering_delete, offering_set_status
from tests.factories import NeedFactory, OfferingFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _fresh_engine():
    """Each test sees its own catalogue: the process-wide engine is forgotten before and after."""
    engine_cache.reset()
    with translation.override("en"):
        yield
    engine_cache.reset()


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
def catalogue(world):
    """Three open NTNU offerings: two in health (one close to the need), one in another field."""
    return {
        "health": OfferingFactory(
            provider=world.ntnu,
            title="Helsefagarbeider for voksne",
            description="Fagbrev i helsearbeiderfaget ved siden av jobb, på nett.",
            level="fagbrev",
        ),
        "elderly": OfferingFactory(
            provider=world.ntnu,
            title="Demensomsorg",
            description="Videreutdanning om demens for sykepleiere.",
            level="videreutdanning",
        ),
        "tech": OfferingFactory(
            provider=world.ntnu,
            title="Varmepumper og kuldeteknikk",
            description="Kurs i F-gass for montører.",
            level="kurs",
            field=CompetenceField.objects.get(code="bygg-og-anlegg"),
        ),
    }


def need_of(world, **values):
    values.setdefault("organisation", world.holtalen)
    values.setdefault("description", "Vi trenger helsefagarbeidere med fagbrev i hjemmetjenesten.")
    values.setdefault("level", "fagbrev")
    return NeedFactory(**values)


def suggested(need) -> list[int]:
    return list(MatchSuggestion.objects.filter(need=need).order_by("rank").values_list("offering_id", flat=True))


# --- documents and reasons ---------------------------------------------------------------------------
def test_bulk_documents_equal_the_single_ones(world, catalogue):
    need = need_of(world)
    need.tags.create(name="helsefagarbeider")
    catalogue["health"].gathering_locations.set([world.holtalen.municipality])
    offerings = Offering.objects.order_by("pk")
    assert offering_documents() == [offering_document(offering) for offering in offerings]
    assert need_documents(CompetenceNeed.objects.filter(pk=need.pk)) == [need_document(need)]


def test_reasons_survive_json():
    reason = Reason("starts_in_time", ("a", "b"), level="fagbrev", when=datetime.date(2026, 8, 17))
    assert services.reason_from_json(services.reason_to_json(reason)) == reason


# --- one need --------------------------------------------------------------------------------------------
def test_rematch_need_stores_ranked_suggestions_and_the_state(world, catalogue):
    need = need_of(world)
    state = services.rematch_need(need)
    rows = list(MatchSuggestion.objects.filter(need=need).order_by("rank"))
    assert [row.rank for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0].offering == catalogue["health"]
    assert [row.score for row in rows] == sorted((row.score for row in rows), reverse=True)
    assert rows[0].reasons and all("code" in reason for reason in rows[0].reasons)
    stored = MatchState.objects.get(need=need)
    assert not stored.stale
    assert stored.best_score == rows[0].score == state.best_score


def test_rejected_offerings_are_not_suggested(world, catalogue):
    need = need_of(world)
    MatchDecision.objects.create(need=need, offering=catalogue["health"], decision="rejected", reason="For dyrt")
    services.rematch_need(need)
    assert catalogue["health"].pk not in suggested(need)


def test_a_closed_need_loses_its_suggestions(world, catalogue):
    need = need_of(world)
    services.rematch_need(need)
    need.status = NeedStatus.CLOSED
    services.rematch_need(need)
    assert suggested(need) == []
    assert MatchState.objects.get(need=need).best_score is None


# --- hooks ----------------------------------------------------------------------------------------------
def test_registering_changing_and_closing_a_need_rematch_it(
    world, catalogue, health, django_capture_on_commit_callbacks
):
    actor = world.users["holtalen_admin"]
    data = {
        "title": "Helsefagarbeidere",
        "description": "Vi trenger helsefagarbeidere med fagbrev.",
        "field": health,
        "level": "fagbrev",
        "persons": 4,
    }
    with django_capture_on_commit_callbacks(execute=True):
        need = need_register(actor=actor, organisation=world.holtalen, data=data)
    assert suggested(need)[0] == catalogue["health"].pk
    with django_capture_on_commit_callbacks(execute=True):
        need_update(
            actor=actor,
            need=need,
            data={"title": "Varmepumper", "description": "Montører trenger F-gass-kurs om varmepumper.", "level": ""},
            expected_version=need.version,
        )
    assert suggested(need)[0] == catalogue["tech"].pk
    with django_capture_on_commit_callbacks(execute=True):
        need_change_status(actor=actor, need=need, to_status=NeedStatus.CLOSED, reason="Dekket")
    assert suggested(need) == []


def test_a_new_offering_marks_needs_of_its_field_stale_and_is_found(world, catalogue, health):
    same_field = need_of(world)
    other_field = need_of(world, field=CompetenceField.objects.get(code="bygg-og-anlegg"))
    for need in (same_field, other_field):
        services.rematch_need(need)
    new = offering_create(
        actor=world.users["ntnu_admin"],
        provider=world.ntnu,
        data={
            "title": "Helsefagarbeider i hjemmetjenesten",
            "description": "Fagbrev for helsefagarbeidere i hjemmetjenesten.",
            "field": health,
            "level": "fagbrev",
            "delivery_online": True,
            "status": "open",
        },
    )
    assert MatchState.objects.get(need=same_field).stale
    assert not MatchState.objects.get(need=other_field).stale
    assert services.current_state(same_field).computed_at > MatchState.objects.get(need=other_field).computed_at
    assert new.pk in suggested(same_field)
    computed = MatchState.objects.get(need=same_field).computed_at
    assert services.current_state(same_field).computed_at == computed  # current: not computed again


def test_an_offering_leaving_the_catalogue_marks_its_needs_stale(world, catalogue):
    need = need_of(world, field=CompetenceField.objects.get(code="bygg-og-anlegg"))
    services.rematch_need(need)
    assert catalogue["health"].pk in suggested(need)  # in another field, but still among the few
    offering_set_status(actor=world.users["ntnu_admin"], offering=catalogue["health"], status="closed")
    assert MatchState.objects.get(need=need).stale
    services.current_state(need)
    assert catalogue["health"].pk not in suggested(need)
    offering_delete(actor=world.users["ntnu_admin"], offering=catalogue["elderly"])
    assert MatchState.objects.get(need=need).stale
    services.current_state(need)
    assert catalogue["elderly"].pk not in suggested(need)


def test_the_engine_follows_changes_made_by_other_processes(world, catalogue):
    engine = engine_cache.get_engine()
    assert {offering.id for offering in engine.offerings} == {str(o.pk) for o in catalogue.values()}
    # another process: straight to the database, no hook in this one
    Offering.objects.filter(pk=catalogue["tech"].pk).delete()
    added = OfferingFactory(provider=world.ntnu, title="Demensomsorg")
    engine = engine_cache.get_engine()
    assert {offering.id for offering in engine.offerings} == {
        str(catalogue["health"].pk),
        str(catalogue["elderly"].pk),
        str(added.pk),
    }


def test_the_engine_is_built_once_and_checked_with_one_query(world, catalogue, django_assert_num_queries):
    first = engine_cache.get_engine()
    with django_assert_num_queries(1):
        assert engine_cache.get_engine() is first


# --- decisions ------------------------------------------------------------------------------------------
def test_the_secretariat_accepts_and_the_need_walks_to_in_dialogue(
    world, catalogue, django_capture_on_commit_callbacks
):
    need = need_of(world)
    services.rematch_need(need)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_accept(need=need, offering=catalogue["health"], actor=world.users["secretariat_sor"])
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_DIALOGUE
    change = need.status_changes.get(to_status=NeedStatus.QUALIFIED)
    assert change.cause == "an offering accepted as a match"
    assert change.cause_object == "Helsefagarbeider for voksne"
    decision = MatchDecision.objects.get(need=need, offering=catalogue["health"])
    assert decision.decision == "accepted" and decision.decided_by == world.users["secretariat_sor"]
    entry = AuditEntry.objects.get(action="matching.match.accepted")
    assert entry.object_id == str(need.pk)
    assert entry.changes["offering"]["new"] == "Helsefagarbeider for voksne"
    assert catalogue["health"].pk in suggested(need)  # an accepted offering stays among the suggestions


def test_the_owner_accepts_but_may_not_qualify_the_need(world, catalogue):
    need = need_of(world)
    services.match_accept(need=need, offering=catalogue["health"], actor=world.users["holtalen_admin"])
    need.refresh_from_db()
    assert need.status == NeedStatus.REGISTERED
    assert MatchDecision.objects.filter(need=need, decision="accepted").exists()


def test_rejecting_needs_a_reason_and_stops_the_suggestion(world, catalogue, django_capture_on_commit_callbacks):
    need = need_of(world)
    services.rematch_need(need)
    with pytest.raises(ValidationError):
        services.match_reject(need=need, offering=catalogue["health"], actor=world.users["holtalen_admin"], reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.match_reject(
            need=need, offering=catalogue["health"], actor=world.users["holtalen_admin"], reason="Kun campus i Oslo"
        )
    assert catalogue["health"].pk not in suggested(need)
    assert MatchDecision.objects.get(need=need).reason == "Kun campus i Oslo"
    entry = AuditEntry.objects.get(action="matching.match.rejected")
    assert entry.changes["reason"]["new"] == "Kun campus i Oslo"


# --- many needs and the command ---------------------------------------------------------------------------
def test_rematch_command_full_stale_and_one(world, catalogue):
    needs = [need_of(world) for _ in range(3)]
    closed = need_of(world, status=NeedStatus.CLOSED)
    MatchSuggestion.objects.create(need=closed, offering=catalogue["tech"], rank=1, score=1, computed_at=timezone.now())
    MatchState.objects.create(need=closed, stale=False, best_score=1)
    out = _call("rematch")
    assert re.search(r"^3 needs rematched, \d+ suggestions stored, 1 needs no longer matchable cleared", out)
    assert " s" in out
    assert all(suggested(need) for need in needs)
    assert suggested(closed) == []
    MatchState.objects.filter(need=needs[0]).update(stale=True)
    assert _call("rematch", "--stale").startswith("1 needs rematched")
    assert _call("rematch", "--stale").startswith("0 needs rematched")
    assert _call("rematch", "--need", str(needs[1].pk)).startswith(f"Need {needs[1].pk}: best score")


@pytest.mark.django_db(transaction=True)
def test_the_full_rebuild_with_worker_processes(world, catalogue, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    needs = [need_of(world) for _ in range(5)]
    result = services.rematch_all(workers=2)
    assert result.needs == 5
    assert all(suggested(need)[0] == catalogue["health"].pk for need in needs)
    assert MatchState.objects.filter(stale=False).count() == 5


def _call(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- the need page --------------------------------------------------------------------------------------
def test_need_page_shows_suggestions_with_reasons_computing_stale_ones(world, catalogue, client_for):
    need = need_of(world)
    page = client_for("holtalen_contact").get(need.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Suitable offerings" in html
    assert "Helsefagarbeider for voksne" in html
    assert "NTNU Videre" in html
    assert "The level fits: trade certificate" in html
    assert "This offering fits" in html
    assert MatchState.objects.get(need=need).stale is False


def test_need_page_reasons_in_norwegian(world, catalogue, client):
    need = need_of(world, visibility=Visibility.PUBLIC_ANONYMISED)
    client.cookies["django_language"] = "nb"
    html = client.get(need.get_absolute_url()).content.decode()
    assert "Nivået passer: fagbrev" in html
    assert "matching/behov" not in html  # an anonymous visitor cannot decide


def test_planned_offerings_are_hidden_from_those_who_may_not_see_them(world, catalogue, client_for):
    Offering.objects.filter(pk=catalogue["health"].pk).update(status="planned")
    need = need_of(world, visibility=Visibility.PUBLIC_ANONYMISED)
    services.rematch_need(need)
    assert catalogue["health"].pk in suggested(need)
    assert "Helsefagarbeider for voksne" not in client_for("outsider").get(need.get_absolute_url()).content.decode()
    assert "Helsefagarbeider for voksne" in client_for("ntnu_admin").get(need.get_absolute_url()).content.decode()


def test_accept_and_reject_with_htmx_and_without(world, catalogue, client_for, django_capture_on_commit_callbacks):
    need = need_of(world)
    services.rematch_need(need)
    client = client_for("holtalen_admin")
    accept = reverse("matching:accept", args=[need.pk, catalogue["elderly"].pk])
    response = client.post(accept, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "matching/_need_matches.html"
    assert "is marked as fitting the need" in response.content.decode()
    reject = reverse("matching:reject", args=[need.pk, catalogue["health"].pk])
    prefix = f"reject-{catalogue['health'].pk}"
    response = client.post(reject, {f"{prefix}-reason": ""}, HTTP_HX_REQUEST="true")
    assert "Write why the offering does not fit." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reject, {f"{prefix}-reason": "Feil nivå"})
    assert response.status_code == 302 and response["Location"].endswith("#matches-heading")
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Feil nivå" in page
    assert "will no longer be suggested" in page
    assert catalogue["health"].pk not in suggested(need)


def test_accepting_with_htmx_reloads_the_page_when_the_status_moved(world, catalogue, client_for):
    need = need_of(world)
    response = client_for("secretariat_sor").post(
        reverse("matching:accept", args=[need.pk, catalogue["health"].pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == need.get_absolute_url()


def test_need_page_queries_do_not_grow_with_suggestions(world, client_for, django_assert_max_num_queries):
    def page_queries(offerings: int) -> int:
        OfferingFactory.create_batch(offerings, provider=world.ntnu, description="Fagbrev for helsefagarbeidere.")
        need = need_of(world)
        services.rematch_need(need)
        for offering in Offering.objects.all()[:3]:
            MatchDecision.objects.create(need=need, offering=offering, decision="rejected", reason="Nei")
        services.rematch_need(need)
        client = client_for("secretariat_sor")
        client.get(need.get_absolute_url())  # warm caches (content types, sessions)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(need.get_absolute_url()).status_code == 200
        return len(queries)

    few = page_queries(4)
    many = page_queries(12)
    assert many <= few
    need = CompetenceNeed.objects.latest("pk")
    client = client_for("secretariat_sor")
    with django_assert_max_num_queries(few):
        client.get(need.get_absolute_url())


# --- the provider page ----------------------------------------------------------------------------------
def test_provider_page_groups_needs_by_region_and_anonymises(world, catalogue, client_for):
    region_need = need_of(world, persons=4)
    public_need = need_of(world, organisation=world.roros, persons=6, visibility=Visibility.PUBLIC_ANONYMISED)
    hidden = need_of(world, visibility=Visibility.ORGANISATION)
    oslo = need_of(world, organisation=world.oslo_company, persons=2, visibility=Visibility.PUBLIC_ANONYMISED)
    for need in (region_need, public_need, hidden, oslo):
        services.rematch_need(need)
    html = client_for("ntnu_admin").get(reverse("matching:provider", args=[world.ntnu.pk])).content.decode()
    assert "2 competence needs for 8 persons" in html
    assert "Trøndelag Sør" in html and "Oslo" in html
    assert "Røros kommune" not in html and "not shown (public need)" in html
    assert hidden.title not in html and region_need.title not in html  # region needs: not for providers
    assert public_need.public_title_text in html and public_need.title not in html  # only the public text
    admin_html = client_for("platform_admin").get(reverse("matching:provider", args=[world.ntnu.pk])).content
    assert region_need.title in admin_html.decode() and "4 competence needs for 15 persons" in admin_html.decode()


def test_provider_page_queries_do_not_grow(world, client_for, django_assert_max_num_queries):
    client = client_for("platform_admin")
    url = reverse("matching:provider", args=[world.ntnu.pk])

    def queries_with(count: int) -> int:
        OfferingFactory.create_batch(2, provider=world.ntnu, description="Fagbrev for helsefagarbeidere.")
        for _ in range(count):
            organisation = OrganisationFactory(municipality=world.roros.municipality)
            services.rematch_need(need_of(world, organisation=organisation))
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = queries_with(2)
    assert queries_with(10) <= few
    with django_assert_max_num_queries(few):
        client.get(url)
