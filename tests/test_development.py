"""Gap analysis and development requests (issue 4, part 5): services, life cycle moves, e-mail, validation,
pages and query counts."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.development import services
from kompetansebro.development.models import ProviderAnswer, RequestStatus
from kompetansebro.development.selectors import gap_groups, gap_needs
from kompetansebro.matching.models import MatchDecision
from kompetansebro.needs.models import NeedStatus
from kompetansebro.needs.services import need_change_status
from kompetansebro.offerings.services import offering_set_status
from kompetansebro.organisations.models import MembershipRole, OrganisationKind
from kompetansebro.transfer.exports import read_back
from tests.factories import MatchStateFactory, MembershipFactory, NeedFactory, OfferingFactory, OrganisationFactory

TODAY = timezone.localdate


def in_days(days: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=days)


def gap_need(organisation, *, status=NeedStatus.REGISTERED, score=0.1, actor=None, **fields):
    """A need without a good match, moved step by step to `status` through the needs services."""
    need = NeedFactory(organisation=organisation, **fields)
    if score is not None:
        MatchStateFactory(need=need, best_score=score)
    path = {
        NeedStatus.REGISTERED: [],
        NeedStatus.QUALIFIED: [NeedStatus.QUALIFIED],
        NeedStatus.PRESENTED: [NeedStatus.QUALIFIED, NeedStatus.PRESENTED],
        NeedStatus.IN_DIALOGUE: [NeedStatus.QUALIFIED, NeedStatus.PRESENTED, NeedStatus.IN_DIALOGUE],
        NeedStatus.FULFILLED: [
            NeedStatus.QUALIFIED,
            NeedStatus.PRESENTED,
            NeedStatus.IN_DIALOGUE,
            NeedStatus.OFFER_RUNNING,
            NeedStatus.FULFILLED,
        ],
    }[status]
    for step in path:
        need_change_status(actor=actor, need=need, to_status=step)
    need.refresh_from_db()
    return need


def create(world, needs, providers=None, **overrides):
    arguments = {
        "actor": world.users["secretariat_sor"],
        "region": world.region,
        "title": "Helsefagarbeidere i Holtålen",
        "description": "Fagbrev med samlinger i Holtålen og teori på nett.",
        "answer_deadline": in_days(14),
        "needs": needs,
        "providers": [world.ntnu] if providers is None else providers,
    }
    arguments.update(overrides)
    return services.request_create(**arguments)


def answer_of(request, provider):
    return ProviderAnswer.objects.select_related("request__created_by", "provider").get(
        request=request, provider=provider
    )


# ---- gap analysis -----------------------------------------------------------------------------------------


def test_gap_needs_are_open_needs_in_the_region_without_a_good_match(world):
    secretariat = world.users["secretariat_sor"]
    low = gap_need(world.holtalen, score=0.1)
    never_computed = gap_need(world.roros, score=None)
    gap_need(world.holtalen, score=5.0)  # a good match
    accepted = gap_need(world.holtalen, score=0.1)
    offering = OfferingFactory(provider=world.ntnu)
    MatchDecision.objects.create(need=accepted, offering=offering, decision="accepted", decided_by=secretariat)
    gap_need(world.holtalen, status=NeedStatus.FULFILLED)  # not open any more
    gap_need(world.oslo_company)  # another region
    found = set(gap_needs(secretariat, world.region))
    assert found == {low, never_computed}


def test_gap_groups_sum_persons_by_field_level_and_municipality(world):
    secretariat = world.users["secretariat_sor"]
    gap_need(world.holtalen, persons=3, level="fagbrev")
    gap_need(world.homecare, persons=4, level="fagbrev")
    gap_need(world.holtalen, persons=2, level="")
    gap_need(world.roros, persons=5, level="fagbrev")
    groups = gap_groups(gap_needs(secretariat, world.region))
    summary = {(g.municipality_name, g.level): (g.count, g.persons, g.centrality_class) for g in groups}
    holtalen_class = world.holtalen.municipality.centrality_class
    assert summary[("Holtålen", "fagbrev")] == (2, 7, holtalen_class)
    assert summary[("Holtålen", "")] == (1, 2, holtalen_class)
    assert summary[(world.roros.municipality.name, "fagbrev")][:2] == (1, 5)
    assert groups[0].persons == 7  # most persons first
    only_fagbrev = gap_groups(gap_needs(secretariat, world.region, {"level": "fagbrev"}))
    assert sum(g.count for g in only_fagbrev) == 3
    without_level = gap_groups(gap_needs(secretariat, world.region, {"level": "-"}))
    assert [g.persons for g in without_level] == [2]


def test_gap_page_shows_table_chart_and_filters(world, client_for):
    gap_need(world.holtalen, persons=3)
    gap_need(world.roros, persons=5, field=CompetenceField.objects.get(code="reiseliv-og-mat"))
    client = client_for("secretariat_sor")
    page = client.get(reverse("development:gap", args=[world.region.code])).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "Holtålen" in page and world.roros.municipality.name in page
    assert reverse("development:create", args=[world.region.code]) + "?field=helse-og-omsorg" in page
    filtered = client.get(reverse("development:gap", args=[world.region.code]), {"field": "reiseliv-og-mat"})
    assert [g.municipality_name for g in filtered.context["groups"]] == [world.roros.municipality.name]
    partial = client.get(
        reverse("development:gap", args=[world.region.code]), {"centrality": "6"}, HTTP_HX_REQUEST="true"
    )
    assert partial.templates[0].name == "development/_gap_results.html"


def test_gap_export_as_csv(world, client_for):
    gap_need(world.holtalen, persons=3)
    response = client_for("secretariat_sor").get(
        reverse("development:gap_export", args=[world.region.code, "csv"]), {"level": ""}
    )
    rows = read_back(b"".join(response.streaming_content))
    assert rows[0][:3] == ["field", "level", "municipality"]
    assert rows[1][2] == "Holtålen" and rows[1][6] == "3"


# ---- creating and sending ---------------------------------------------------------------------------------


def test_create_validates_deadline_providers_and_needs(world, english):
    need = gap_need(world.holtalen)
    with pytest.raises(ValidationError) as error:
        create(world, [need], providers=[], answer_deadline=in_days(-1))
    assert error.value.message_dict["answer_deadline"] == ["The deadline for answers cannot be in the past."]
    assert error.value.message_dict["providers"] == ["Choose at least one education provider to send the request to."]
    with pytest.raises(ValidationError) as error:
        create(world, [need], providers=[world.ntnu, world.holtalen])
    assert "Holtålen kommune" in error.value.message_dict["providers"][0]
    with pytest.raises(ValidationError) as error:
        create(world, [])
    assert error.value.message_dict["needs"] == ["Attach at least one competence need."]
    outside = gap_need(world.oslo_company)
    with pytest.raises(ValidationError) as error:
        create(world, [outside])
    assert outside.title in error.value.message_dict["needs"][0]


def test_validation_messages_are_norwegian_by_default(world):
    need = gap_need(world.holtalen)
    with pytest.raises(ValidationError) as error:
        create(world, [need], answer_deadline=in_days(-1))
    assert error.value.message_dict["answer_deadline"]  # the text itself comes from the lead's .po file


def test_send_emails_the_providers_members_and_moves_presented_needs(
    world, django_capture_on_commit_callbacks, english
):
    second = MembershipFactory(organisation=world.ntnu, role=MembershipRole.MEMBER, user__email="b@ntnu.example.no")
    presented = gap_need(world.holtalen, status=NeedStatus.PRESENTED)
    registered = gap_need(world.holtalen)
    request = create(world, [presented, registered])
    assert request.status == RequestStatus.DRAFT
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.request_send(actor=world.users["secretariat_sor"], request=request)
    assert moved == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT and request.sent_at
    presented.refresh_from_db()
    registered.refresh_from_db()
    assert presented.status == NeedStatus.IN_DIALOGUE
    assert registered.status == NeedStatus.REGISTERED  # never pushed through steps that did not happen
    change = presented.status_changes.last()
    assert change.changed_by == world.users["secretariat_sor"] and change.cause_object == request.title
    assert change.cause == "development request sent to the providers"
    assert sorted(message.to[0] for message in mail.outbox) == ["admin@ntnu.example.no", second.user.email]
    assert request.title in mail.outbox[0].subject
    assert request.get_absolute_url() in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="development.request.sent", object_id=str(request.pk)).exists()
    with pytest.raises(ValidationError):
        services.request_send(actor=world.users["secretariat_sor"], request=request)


def test_send_refuses_a_deadline_that_has_passed(world, english):
    request = create(world, [gap_need(world.holtalen)])
    request.answer_deadline = in_days(-1)
    request.save(update_fields=["answer_deadline"])
    with pytest.raises(ValidationError) as error:
        services.request_send(actor=world.users["secretariat_sor"], request=request)
    assert error.value.message_dict["answer_deadline"] == ["The deadline for answers cannot be in the past."]


# ---- answers ----------------------------------------------------------------------------------------------


def sent(world, needs, providers=None):
    request = create(world, needs, providers)
    services.request_send(actor=world.users["secretariat_sor"], request=request)
    request.refresh_from_db()
    return request


def test_answer_cannot_needs_a_reason_and_dates_for_new(world, english):
    request = sent(world, [gap_need(world.holtalen)])
    answer = answer_of(request, world.ntnu)
    with pytest.raises(ValidationError) as error:
        services.request_answer(actor=world.users["ntnu_admin"], answer=answer, kind="cannot", expected_version=1)
    assert error.value.message_dict["reason"] == ["Write why you cannot offer this."]
    with pytest.raises(ValidationError) as error:
        services.request_answer(actor=world.users["ntnu_admin"], answer=answer, kind="new", expected_version=1)
    assert error.value.message_dict["planned_start"] == ["Give the planned start."]
    with pytest.raises(ValidationError) as error:
        services.request_answer(
            actor=world.users["ntnu_admin"],
            answer=answer,
            kind="new",
            expected_version=1,
            planned_start=in_days(60),
            planned_end=in_days(30),
        )
    assert "planned_end" in error.value.message_dict


def test_answering_twice_without_reload_is_a_conflict(world, django_capture_on_commit_callbacks):
    request = sent(world, [gap_need(world.holtalen)])
    first = answer_of(request, world.ntnu)
    stale = answer_of(request, world.ntnu)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_answer(
            actor=world.users["ntnu_admin"], answer=first, kind="new", expected_version=1, planned_start=in_days(60)
        )
    with pytest.raises(ConcurrentEditError):
        services.request_answer(
            actor=world.users["ntnu_admin"], answer=stale, kind="cannot", reason="Ingen lærere", expected_version=1
        )
    first.refresh_from_db()
    assert first.kind == "new" and first.version == 2
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    assert mail.outbox[-1].to == [world.users["secretariat_sor"].email]


def test_request_is_answered_only_when_every_provider_has_answered(world):
    fagskole = OrganisationFactory(kind=OrganisationKind.EDUCATION_PROVIDER, provider_kind="vocational_college")
    request = sent(world, [gap_need(world.holtalen)], providers=[world.ntnu, fagskole])
    services.request_answer(
        actor=world.users["ntnu_admin"],
        answer=answer_of(request, world.ntnu),
        kind="cannot",
        reason="Vi har ikke kapasitet i år.",
        expected_version=1,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_DIALOGUE
    services.request_answer(
        actor=world.users["platform_admin"],
        answer=answer_of(request, fagskole),
        kind="adapt",
        expected_version=1,
        planned_start=in_days(30),
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED


def test_answer_page_conflict_shows_the_other_answer(world, client_for):
    request = sent(world, [gap_need(world.holtalen)])
    services.request_answer(
        actor=world.users["platform_admin"],
        answer=answer_of(request, world.ntnu),
        kind="new",
        expected_version=1,
        planned_start=in_days(60),
    )
    response = client_for("ntnu_admin").post(
        reverse("development:answer", args=[request.pk]),
        {"provider": world.ntnu.pk, "version": 1, "kind": "cannot", "reason": "Ingen lærere"},
    )
    assert response.status_code == 200
    assert response.context["conflict_differences"]
    assert response.context["answer_form"].data["version"] == 2
    assert answer_of(request, world.ntnu).kind == "new"


# ---- linking the offering ---------------------------------------------------------------------------------


def test_link_offering_moves_needs_forward(world):
    need = gap_need(world.holtalen, status=NeedStatus.PRESENTED)
    request = sent(world, [need])
    answer = answer_of(request, world.ntnu)
    services.request_answer(
        actor=world.users["ntnu_admin"], answer=answer, kind="new", expected_version=1, planned_start=in_days(60)
    )
    other = OfferingFactory()
    with pytest.raises(ValidationError):
        services.request_link_offering(actor=world.users["ntnu_admin"], answer=answer, offering=other)
    planned = OfferingFactory(provider=world.ntnu, status="planned")
    moved = services.request_link_offering(actor=world.users["secretariat_sor"], answer=answer, offering=planned)
    need.refresh_from_db()
    assert moved == 1 and need.status == NeedStatus.BEING_ADAPTED
    answer.refresh_from_db()
    assert answer.linked_offering == planned and answer.linked_by == world.users["secretariat_sor"]
    with pytest.raises(ValidationError):  # linked once: the link form is closed
        services.request_link_offering(
            actor=world.users["ntnu_admin"], answer=answer, offering=OfferingFactory(provider=world.ntnu)
        )
    offering_set_status(actor=world.users["ntnu_admin"], offering=planned, status="open")
    need.refresh_from_db()
    assert need.status == NeedStatus.OFFER_RUNNING


def test_cannot_answer_gets_no_offering_and_closed_requests_take_nothing(world):
    request = sent(world, [gap_need(world.holtalen)])
    answer = answer_of(request, world.ntnu)
    services.request_answer(
        actor=world.users["ntnu_admin"], answer=answer, kind="cannot", reason="Ingen kapasitet", expected_version=1
    )
    with pytest.raises(ValidationError):
        services.request_link_offering(
            actor=world.users["ntnu_admin"], answer=answer, offering=OfferingFactory(provider=world.ntnu)
        )
    services.request_close(actor=world.users["secretariat_sor"], request=request, reason="Ingen kan levere")
    answer = answer_of(request, world.ntnu)
    with pytest.raises(ValidationError):
        services.request_answer(
            actor=world.users["ntnu_admin"], answer=answer, kind="new", expected_version=2, planned_start=in_days(9)
        )
    with pytest.raises(ValidationError):
        services.request_close(actor=world.users["secretariat_sor"], request=request)


# ---- pages ------------------------------------------------------------------------------------------------


def test_create_from_a_gap_group_preselects_its_needs(world, client_for):
    group = [gap_need(world.holtalen, level="fagbrev"), gap_need(world.homecare, level="fagbrev")]
    other = gap_need(world.roros, level="fagbrev")
    client = client_for("secretariat_sor")
    url = (
        reverse("development:create", args=[world.region.code])
        + "?field=helse-og-omsorg&level=fagbrev&municipality=5026"
    )
    page = client.get(url)
    assert set(page.context["form"].initial["needs"]) == {need.pk for need in group}
    assert other not in page.context["form"].fields["needs"].queryset
    response = client.post(
        url,
        {
            "title": "Fagbrev helse Holtålen",
            "description": "Samlinger lokalt.",
            "wanted_level": "fagbrev",
            "wanted_delivery": ["nett", "samlingsbasert"],
            "answer_deadline": in_days(10).strftime("%d.%m.%Y"),
            "needs": [need.pk for need in group],
            "providers": [world.ntnu.pk],
        },
    )
    assert response.status_code == 302
    request = world.region.development_requests.get()
    assert set(request.needs.all()) == set(group)
    assert request.wanted_delivery == ["samlingsbasert", "nett"]
    detail = client.get(response["Location"]).content.decode()
    assert "Fagbrev helse Holtålen" in detail and 'action="/bestillinger/' in detail


def test_create_form_refuses_a_non_provider(world, client_for):
    need = gap_need(world.holtalen)
    response = client_for("secretariat_sor").post(
        reverse("development:create", args=[world.region.code]),
        {
            "title": "T",
            "description": "D",
            "answer_deadline": in_days(10).strftime("%d.%m.%Y"),
            "needs": [need.pk],
            "providers": [world.holtalen.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["providers"]


def test_need_page_shows_its_requests_and_answers(world, client_for):
    need = gap_need(world.holtalen)
    request = sent(world, [need])
    services.request_answer(
        actor=world.users["ntnu_admin"],
        answer=answer_of(request, world.ntnu),
        kind="new",
        expected_version=1,
        planned_start=in_days(60),
    )
    page = client_for("holtalen_contact").get(need.get_absolute_url()).content.decode()
    assert "development-requests-heading" not in page  # not the region's, not addressed to Holtålen
    page = client_for("secretariat_sor").get(need.get_absolute_url()).content.decode()
    assert request.title in page and "NTNU Videre" in page


def test_provider_sees_only_requests_addressed_to_it_once_sent(world, client_for):
    draft = create(world, [gap_need(world.holtalen)], title="Utkast")
    other_provider = OrganisationFactory(kind=OrganisationKind.EDUCATION_PROVIDER, provider_kind="private")
    sent(world, [gap_need(world.holtalen)], providers=[other_provider])
    mine = sent(world, [gap_need(world.holtalen)])
    listed = list(client_for("ntnu_admin").get(reverse("development:list")).context["requests"])
    assert listed == [mine]
    assert draft not in listed
    assert len(client_for("secretariat_sor").get(reverse("development:list")).context["requests"]) == 3


# ---- query counts -----------------------------------------------------------------------------------------


def _many(world, count):
    needs = [gap_need(world.holtalen if i % 2 else world.roros, persons=i + 1) for i in range(count)]
    for start in range(0, count, 3):
        request = sent(world, needs[start : start + 3])
        services.request_answer(
            actor=world.users["ntnu_admin"],
            answer=answer_of(request, world.ntnu),
            kind="new",
            expected_version=1,
            planned_start=in_days(30),
        )
    return request


@pytest.mark.parametrize("persona", ["secretariat_sor", "ntnu_admin"])
def test_pages_use_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries, persona):
    request = _many(world, 12)
    client = client_for(persona)
    urls = [reverse("development:list"), reverse("development:detail", args=[request.pk])]
    if persona == "secretariat_sor":
        urls += [
            reverse("development:gap", args=[world.region.code]),
            reverse("development:create", args=[world.region.code]),
        ]
    for url in urls:
        with django_assert_max_num_queries(18):
            assert client.get(url).status_code == 200


# ---- demo -------------------------------------------------------------------------------------------------


def test_demo_development_request_is_sent_and_answered_once(reference_data):
    from kompetansebro.demo.trondelag_sor import REGION_CODE, load_trondelag_sor
    from kompetansebro.demo.trondelag_sor_development import TITLE, load_development
    from kompetansebro.development.models import DevelopmentRequest
    from kompetansebro.geography.models import Region
    from kompetansebro.organisations.models import Organisation

    assert load_trondelag_sor().requests_created == 1, "the demo loads the request"
    region = Region.objects.get(code=REGION_CODE)
    organisations = {
        "thyf": Organisation.objects.get(name="Trøndelag høyere yrkesfagskole"),
        "ntnu-videre": Organisation.objects.get(name="NTNU Videre"),
    }
    assert not load_development(organisations=organisations, region=region)
    assert load_trondelag_sor().requests_created == 0
    request = DevelopmentRequest.objects.get(title=TITLE)
    assert request.status == RequestStatus.IN_DIALOGUE
    assert [answer.kind for answer in request.answers.order_by("provider__name")] == ["", "new"]
