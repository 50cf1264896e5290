"""The start page ("Min side", issue 12 items 1 and 2): each person's work items from every app, overdue
first, in a fixed number of queries, and the menu links by role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kompetansebro.core.work import WorkItem, register_work_source, work_items
from kompetansebro.development.models import DevelopmentRequest, ProviderAnswer, RequestStatus
from kompetansebro.forums.models import MemberRole, Minutes, MinutesStatus
from kompetansebro.geography.models import Region
from kompetansebro.grants.eligibility import eligible_recipients
from kompetansebro.grants.models import Payment, PaymentStatus
from kompetansebro.mapping.models import MappingRound, RoundInvitation
from kompetansebro.matching.models import MatchDecision, MatchSuggestion
from kompetansebro.needs.models import NeedStatusChange
from kompetansebro.projects.models import StatusReport
from tests.factories import NeedFactory, OfferingFactory, OrganisationFactory
from tests.forum_factories import FollowUpTaskFactory, ForumMembershipFactory, MeetingFactory
from tests.grant_factories import (
    AllocationFactory,
    GrantRoundFactory,
    GrantSchemeFactory,
    PriorityListFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

START = reverse("core:start")
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def mapping_round(world, *, deadline, organisations, title="Behov før forumet i mars"):
    mapping_round = MappingRound.objects.create(region=world.region, title=title, opens_on=days(-7), deadline=deadline)
    for organisation in organisations:
        RoundInvitation.objects.create(round=mapping_round, organisation=organisation)
    return mapping_round


def development_request(world, *, deadline, providers, title="Helsefagarbeidere i Holtålen"):
    request = DevelopmentRequest.objects.create(
        region=world.region, title=title, answer_deadline=deadline, status=RequestStatus.SENT
    )
    for provider in providers:
        ProviderAnswer.objects.create(request=request, provider=provider)
    return request


def status_report(project, *, due_on, title="Statusrapport"):
    return StatusReport.objects.create(
        project=project,
        title=title,
        period_start=due_on - datetime.timedelta(days=200),
        period_end=due_on - datetime.timedelta(days=45),
        due_on=due_on,
    )


def titles(user):
    return [item.title for item in work_items(user, TODAY)]


def test_a_municipality_contact_sees_the_rounds_of_its_organisation_only(world, client_for):
    mine = mapping_round(world, deadline=days(21), organisations=[world.holtalen], title="Runde for Holtålen")
    mapping_round(world, deadline=days(21), organisations=[world.roros], title="Runde for Røros")
    html = client_for("holtalen_contact").get(START).content.decode()
    assert "Runde for Holtålen" in html
    assert reverse("mapping:detail", args=[mine.pk]) in html
    assert "Kartleggingsrunde å svare på" in html
    assert "Runde for Røros" not in html
    # An answered invitation waits no more.
    RoundInvitation.objects.filter(round=mine).update(answered_at=timezone.now())
    assert "Runde for Holtålen" not in client_for("holtalen_contact").get(START).content.decode()


def test_a_provider_sees_the_requests_it_has_not_answered(world, client_for):
    request = development_request(world, deadline=days(10), providers=[world.ntnu])
    development_request(world, deadline=days(10), providers=[OrganisationFactory()], title="Til en annen tilbyder")
    html = client_for("ntnu_admin").get(START).content.decode()
    assert "Helsefagarbeidere i Holtålen" in html
    assert reverse("development:detail", args=[request.pk]) in html
    assert "Til en annen tilbyder" not in html
    ProviderAnswer.objects.filter(request=request).update(answered_at=timezone.now(), kind="new")
    assert "Helsefagarbeidere i Holtålen" not in client_for("ntnu_admin").get(START).content.decode()


def test_a_project_leader_sees_reports_due_and_tasks_and_draft_minutes(world):
    leader = world.users["holtalen_admin"]
    project = ProjectFactory(leader=leader, owner=world.holtalen, region=world.region)
    report = status_report(project, due_on=days(5))
    status_report(ProjectFactory(region=world.region), due_on=days(5), title="Andres rapport")
    task = FollowUpTaskFactory(responsible_person=None, responsible_organisation=world.holtalen, title="Orienter")
    FollowUpTaskFactory(title="Andres oppgave")
    seat = ForumMembershipFactory(person=leader, role=MemberRole.CHAIR)
    draft = Minutes.objects.create(meeting=MeetingFactory(forum=seat.forum, title="Møte i mai"))
    Minutes.objects.create(meeting=MeetingFactory(title="Et annet forums møte"), status=MinutesStatus.DRAFT)
    items = {item.title: item for item in work_items(leader, TODAY)}
    assert set(items) == {f"Statusrapport – {project.name}", "Orienter", "Møte i mai"}
    assert items[f"Statusrapport – {project.name}"].url == reverse(
        "projects:report_edit", args=[project.slug, report.pk]
    )
    assert items["Orienter"].url == reverse("forums:tasks", args=[task.forum.slug])
    assert items["Møte i mai"].url == reverse("forums:minutes", args=[seat.forum.slug, draft.meeting_id])


def test_eligible_recipients_see_the_open_grant_rounds_they_have_not_submitted_to(world):
    municipalities = GrantSchemeFactory(name="Kompetansemidler", eligible_kinds=["municipality"])
    in_region = GrantRoundFactory(scheme=municipalities, name="2027", region=world.region)
    elsewhere = Region.objects.exclude(municipalities=world.holtalen.municipality).first()
    GrantRoundFactory(scheme=municipalities, name="Andre steder", region=elsewhere)
    invited_scheme = GrantSchemeFactory(name="Bare inviterte", eligible_kinds=[])
    invited_scheme.invited_organisations.add(world.ntnu)
    invited = GrantRoundFactory(scheme=invited_scheme, name="Høst", region=world.region)
    submitted = GrantRoundFactory(scheme=municipalities, name="Levert", region=world.region)
    PriorityListFactory(round=submitted, submitter=world.holtalen, submitted_at=timezone.now())
    assert titles(world.users["holtalen_contact"]) == ["Kompetansemidler: 2027"]
    assert titles(world.users["ntnu_admin"]) == ["Bare inviterte: Høst"]
    assert titles(world.users["company_member"]) == []
    # The start page reads the same rule as the service.
    assert world.holtalen in eligible_recipients(in_region)
    assert world.ntnu in eligible_recipients(invited)
    assert world.ntnu not in eligible_recipients(in_region)


def test_round_managers_see_planned_payments_to_approve(world, client_for):
    scheme = GrantSchemeFactory(owner=world.holtalen)
    allocation = AllocationFactory(
        round=GrantRoundFactory(scheme=scheme, region=world.region), recipient=world.roros, purpose="Fagbrev"
    )
    payment = Payment.objects.create(allocation=allocation, amount=50000, due_on=days(10))
    Payment.objects.create(allocation=allocation, amount=10000, due_on=days(200))
    Payment.objects.create(allocation=allocation, amount=20000, due_on=days(-1), status=PaymentStatus.APPROVED)
    url = reverse("grants:payment_edit", args=[allocation.round_id, payment.pk])
    for persona in ("holtalen_admin", "secretariat_sor"):
        payments = [item.url for item in work_items(world.users[persona], TODAY) if "/utbetalinger/" in item.url]
        assert payments == [url], persona
    assert client_for("secretariat_sor").get(url).status_code == 200
    assert not [item for item in work_items(world.users["holtalen_contact"], TODAY) if "/utbetalinger/" in item.url]


def test_members_see_needs_that_changed_status_or_got_new_matches(world):
    contact = world.users["holtalen_contact"]
    moved = NeedFactory(organisation=world.holtalen, title="Flyttet av sekretariatet")
    NeedStatusChange.objects.create(
        need=moved, from_status="registered", to_status="qualified", changed_by=world.users["secretariat_sor"]
    )
    own_move = NeedFactory(organisation=world.holtalen, title="Flyttet selv")
    NeedStatusChange.objects.create(need=own_move, from_status="registered", to_status="qualified", changed_by=contact)
    old = NeedFactory(organisation=world.holtalen, title="Flyttet for lenge siden")
    change = NeedStatusChange.objects.create(need=old, from_status="registered", to_status="qualified")
    NeedStatusChange.objects.filter(pk=change.pk).update(changed_at=timezone.now() - datetime.timedelta(days=30))
    matched = NeedFactory(organisation=world.holtalen, title="Nye forslag")
    decided = NeedFactory(organisation=world.holtalen, title="Allerede vurdert")
    offering = OfferingFactory()
    for need in (matched, decided):
        MatchSuggestion.objects.create(need=need, offering=offering, rank=1, score=0.8, computed_at=timezone.now())
    MatchDecision.objects.create(need=decided, offering=offering, decision="rejected", reason="Passer ikke")
    items = {item.title: item for item in work_items(contact, TODAY)}
    assert set(items) == {"Flyttet av sekretariatet: kvalitetssikret", "Nye forslag"}
    assert items["Nye forslag"].url == reverse("needs:detail", args=[matched.pk])
    assert work_items(world.users["ntnu_admin"], TODAY) == []


def test_a_secretariat_sees_who_has_not_answered_and_overdue_reports_in_its_region(world, client_for):
    mapping_round(world, deadline=days(3), organisations=[world.holtalen, world.roros], title="Vårrunden")
    status_report(ProjectFactory(region=world.region, name="Helse i fjellregionen"), due_on=days(-4))
    status_report(ProjectFactory(region=world.region, name="Ikke forfalt ennå"), due_on=days(4))
    html = client_for("secretariat_sor").get(START).content.decode()
    assert "Venter på andre i regionen din" in html
    assert "2 organisasjoner har ikke svart på Vårrunden" in html
    assert "Helse i fjellregionen" in html
    assert "Ikke forfalt ennå" not in html
    # Others in the region are not the municipality's business.
    contact_html = client_for("holtalen_contact").get(START).content.decode()
    assert "Helse i fjellregionen" not in contact_html
    assert "Venter på andre" not in contact_html


def test_overdue_first_then_by_deadline_and_undated_last(world):
    leader = world.users["holtalen_admin"]
    seat = ForumMembershipFactory(person=leader, role=MemberRole.MEMBER)
    Minutes.objects.create(meeting=MeetingFactory(forum=seat.forum, title="Udatert"))
    mapping_round(world, deadline=days(30), organisations=[world.holtalen], title="Om en måned")
    FollowUpTaskFactory(responsible_person=leader, due_on=days(-2), title="Forfalt")
    mapping_round(world, deadline=days(2), organisations=[world.holtalen], title="Om to dager")
    FollowUpTaskFactory(responsible_person=leader, due_on=days(-10), title="Lenge forfalt")
    items = work_items(leader, TODAY)
    assert [item.title for item in items] == ["Lenge forfalt", "Forfalt", "Om to dager", "Om en måned", "Udatert"]
    assert [item.overdue for item in items] == [True, True, False, False, False]


def test_a_new_app_adds_its_items_through_the_registry(world, monkeypatch):
    monkeypatch.setattr("kompetansebro.core.work._sources", [])
    register_work_source(lambda user, today: [WorkItem(kind="Betaling", title="Godkjenn", url="/x/", deadline=today)])
    assert titles(world.users["outsider"]) == ["Godkjenn"]


def test_the_empty_state_says_what_the_person_can_do(world, client_for):
    html = client_for("holtalen_contact").get(START).content.decode()
    assert "Ingenting venter på deg akkurat nå" in html
    assert reverse("needs:create") in html
    assert reverse("offerings:catalogue") in html
    provider_html = client_for("ntnu_admin").get(START).content.decode()
    assert reverse("matching:provider", args=[world.ntnu.pk]) in provider_html


def test_anonymous_is_sent_to_log_in(client_for):
    response = client_for("anonymous").get(START)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_everyone_lands_on_the_start_page_after_logging_in(world, client):
    world.users["holtalen_contact"].set_password("et langt passord 123")
    world.users["holtalen_contact"].save()
    response = client.post(
        reverse("accounts:login"), {"username": "kontakt@holtalen.example.no", "password": "et langt passord 123"}
    )
    assert response.status_code == 302
    assert response.url == START


def test_the_menu_links_by_role(world, client_for):
    provider_html = client_for("ntnu_admin").get(reverse("core:home")).content.decode()
    assert f'href="{START}"' in provider_html
    assert f'href="{reverse("development:list")}"' in provider_html
    assert f'href="{reverse("matching:provider", args=[world.ntnu.pk])}"' in provider_html
    contact_html = client_for("holtalen_contact").get(reverse("core:home")).content.decode()
    assert f'href="{START}"' in contact_html
    assert f'href="{reverse("development:list")}"' not in contact_html
    assert "/kobling/tilbyder/" not in contact_html
    assert f'href="{START}"' not in client_for("anonymous").get(reverse("core:home")).content.decode()


def make_work(world, leader, n):
    """n items of every kind for the leader and the secretariat."""
    seat = ForumMembershipFactory(person=leader, role=MemberRole.CHAIR)
    for i in range(n):
        mapping_round(world, deadline=days(i - 2), organisations=[world.holtalen, world.roros], title=f"Runde {i}")
        development_request(world, deadline=days(i), providers=[world.holtalen], title=f"Bestilling {i}")
        status_report(ProjectFactory(leader=leader, region=world.region), due_on=days(i - 3))
        FollowUpTaskFactory(responsible_person=leader, forum=seat.forum, due_on=days(i))
        Minutes.objects.create(meeting=MeetingFactory(forum=seat.forum))
        grant_round = GrantRoundFactory(region=world.region, priority_deadline=days(i - 1))
        Payment.objects.create(allocation=AllocationFactory(round=grant_round), amount=1000, due_on=days(i))
        need = NeedFactory(organisation=world.holtalen)
        NeedStatusChange.objects.create(need=need, from_status="registered", to_status="qualified")
        MatchSuggestion.objects.create(
            need=need, offering=OfferingFactory(), rank=1, score=1, computed_at=timezone.now()
        )


@pytest.mark.parametrize("persona", ["holtalen_admin", "secretariat_sor"])
def test_the_query_count_does_not_grow_with_the_work(world, client_for, django_assert_max_num_queries, persona):
    leader = world.users["holtalen_admin"]
    make_work(world, leader, 1)
    client = client_for(persona)
    client.get(START)
    with django_assert_max_num_queries(25) as few:
        client.get(START)
    make_work(world, leader, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(START)
    assert response.content.decode().count("kb-work-item") >= 6
