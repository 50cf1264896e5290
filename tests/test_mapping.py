"""Mapping rounds (issue 3, part 3): open, invite, answer, remind, close, export."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField
from kompetansebro.mapping import services
from kompetansebro.mapping.models import MappingRound, RoundInvitation, RoundNeed, RoundStatus
from kompetansebro.mapping.selectors import default_invitees
from kompetansebro.needs.models import CompetenceNeed, NeedStatus
from kompetansebro.needs.services import need_change_status
from kompetansebro.organisations.models import MembershipRole
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the source language); pages too, through the language cookie."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    def make(persona):
        client = client_for(persona)
        client.cookies["kompetansebro_language"] = "en"
        return client

    return make


def open_round(world, **overrides):
    arguments = {
        "actor": world.users["secretariat_sor"],
        "region": world.region,
        "title": "Behov før forumet i mars",
        "description": "Registrer behovene innen fristen.",
        "deadline": timezone.localdate() + datetime.timedelta(days=14),
        "organisations": [world.holtalen, world.roros, world.company],
    }
    arguments.update(overrides)
    return services.round_open(**arguments)


def need_data(**overrides):
    data = {
        "title": "Helsefagarbeidere",
        "description": "Fem assistenter vil ta fagbrev.",
        "field": CompetenceField.objects.get(code="helse-og-omsorg"),
        "persons": 5,
        "level": "fagbrev",
        "wants_local_gatherings": True,
        "visibility": "region",
    }
    data.update(overrides)
    return data


def test_round_open_invites_the_organisations_and_logs(world):
    mapping_round = open_round(world)
    assert mapping_round.status == RoundStatus.OPEN
    assert mapping_round.opens_on == timezone.localdate()
    assert set(mapping_round.invitations.values_list("organisation__name", flat=True)) == {
        "Holtålen kommune",
        "Røros kommune",
        "Røros Sagbruk AS",
    }
    assert AuditEntry.objects.filter(action="mapping.round.opened", object_id=str(mapping_round.pk)).exists()


def test_default_invitees_are_top_level_demanders_in_the_region(world):
    names = set(default_invitees(world.region).values_list("name", flat=True))
    assert {"Holtålen kommune", "Røros kommune", "Rørosregionen Næringshage", "Røros Sagbruk AS"} <= names
    assert "Holtålen kommune, hjemmetjenesten" not in names  # departments answer through their organisation
    assert "Trøndelag Sør-Interkommunalt politisk råd" not in names
    assert "NTNU Videre" not in names and "Oslo Konsult AS" not in names


def test_round_open_refuses_past_deadline_outside_organisations_and_empty_title(world):
    with pytest.raises(ValidationError) as error:
        open_round(
            world,
            title=" ",
            deadline=timezone.localdate() - datetime.timedelta(days=1),
            organisations=[world.holtalen, world.oslo_company],
        )
    messages = error.value.message_dict
    assert messages["deadline"] == ["The deadline cannot be in the past."]
    assert messages["title"] == ["Give the round a title."]
    assert "Oslo Konsult AS" in messages["organisations"][0]
    with pytest.raises(ValidationError) as error:
        open_round(world, organisations=[])
    assert error.value.message_dict["organisations"] == ["Invite at least one organisation."]
    assert not MappingRound.objects.exists()


def test_register_need_in_round_links_it_and_marks_the_answer(world):
    mapping_round = open_round(world)
    need = services.round_register_need(
        actor=world.users["holtalen_contact"], round=mapping_round, organisation=world.holtalen, data=need_data()
    )
    assert RoundNeed.objects.get(need=need).round == mapping_round
    invitation = RoundInvitation.objects.get(round=mapping_round, organisation=world.holtalen)
    assert invitation.answered_at is not None
    assert need.status == NeedStatus.REGISTERED
    with pytest.raises(ValidationError):  # not invited
        services.round_register_need(
            actor=world.users["secretariat_sor"], round=mapping_round, organisation=world.garden, data=need_data()
        )
    with pytest.raises(ValidationError) as error:  # a need in a round is shared with the region
        services.round_register_need(
            actor=world.users["holtalen_contact"],
            round=mapping_round,
            organisation=world.holtalen,
            data=need_data(visibility="organisation"),
        )
    assert "visibility" in error.value.message_dict
    assert CompetenceNeed.objects.count() == 1


def test_register_need_through_the_page(world, client_for):
    mapping_round = open_round(world)
    client = client_for("holtalen_contact")
    url = reverse("mapping:register_need", args=[mapping_round.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'value="organisation"' not in page.content  # "the organisation only" is not offered
    field = CompetenceField.objects.get(code="helse-og-omsorg")
    response = client.post(
        url,
        {
            "organisation": world.holtalen.pk,
            "title": "Sykepleiere",
            "description": "Videreutdanning i demens.",
            "field": field.pk,
            "persons": "2",
            "urgency": "medium",
            "visibility": "region",
        },
    )
    assert response.status_code == 302
    need = CompetenceNeed.objects.get(title="Sykepleiere")
    assert need.mapping_round_link.round == mapping_round
    detail = client.get(reverse("mapping:detail", args=[mapping_round.pk]))
    assert "Sykepleiere" in detail.content.decode()


def test_register_need_page_shows_messages_beside_the_fields(world, client_for):
    mapping_round = open_round(world)
    response = client_for("holtalen_admin").post(
        reverse("mapping:register_need", args=[mapping_round.pk]),
        {"organisation": world.holtalen.pk, "title": "", "persons": "0", "visibility": "region", "urgency": "low"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give the need a short title." in content
    assert "The number of persons must be at least 1." in content
    assert not CompetenceNeed.objects.exists()


def test_mark_no_needs(world, client_for):
    mapping_round = open_round(world)
    invitation = RoundInvitation.objects.get(round=mapping_round, organisation=world.holtalen)
    response = client_for("holtalen_contact").post(
        reverse("mapping:no_needs", args=[mapping_round.pk]), {"invitation": invitation.pk, "note": "Ikke nå"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answered_at is not None and invitation.answer_note == "Ikke nå"
    other = RoundInvitation.objects.get(round=mapping_round, organisation=world.roros)
    client_for("holtalen_contact").post(reverse("mapping:no_needs", args=[mapping_round.pk]), {"invitation": other.pk})
    other.refresh_from_db()
    assert other.answered_at is None  # Holtålen cannot answer for Røros


def test_reminders_go_once_a_day_to_those_who_have_not_answered(world, django_capture_on_commit_callbacks):
    MembershipFactory(organisation=world.roros, role=MembershipRole.CONTACT, user__email="kontakt@roros.example.no")
    MembershipFactory(
        organisation=world.garden,
        role=MembershipRole.ADMIN,
        user__email="admin@naeringshage.example.no",
        user__language="en",
    )
    MembershipFactory(organisation=world.roros, role=MembershipRole.MEMBER, user__email="medlem@roros.example.no")
    mapping_round = open_round(world)
    services.round_mark_answered(
        actor=world.users["holtalen_contact"],
        invitation=RoundInvitation.objects.get(round=mapping_round, organisation=world.holtalen),
    )
    with django_capture_on_commit_callbacks(execute=True):
        count = services.round_send_reminders(actor=world.users["secretariat_sor"], round=mapping_round)
    assert count == 2  # Røros and the company (through its business garden); Holtålen has answered
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["admin@naeringshage.example.no", "kontakt@roros.example.no"]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["admin@naeringshage.example.no"].subject.startswith("Reminder:")
    assert "Røros Sagbruk AS" in by_recipient["admin@naeringshage.example.no"].body
    assert f"/kartlegging/{mapping_round.pk}/" in by_recipient["kontakt@roros.example.no"].body
    with django_capture_on_commit_callbacks(execute=True):
        again = services.round_send_reminders(actor=world.users["secretariat_sor"], round=mapping_round)
    assert again == 0
    assert len(mail.outbox) == 2
    invitation = RoundInvitation.objects.get(round=mapping_round, organisation=world.roros)
    assert invitation.reminder_count == 1
    RoundInvitation.objects.filter(pk=invitation.pk).update(
        last_reminded_at=timezone.now() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.round_send_reminders(actor=world.users["secretariat_sor"], round=mapping_round) == 1
    assert len(mail.outbox) == 3


def test_reminder_button(world, client_for):
    MembershipFactory(organisation=world.roros, role=MembershipRole.CONTACT)
    mapping_round = open_round(world)
    response = client_for("secretariat_sor").post(
        reverse("mapping:send_reminders", args=[mapping_round.pk]), follow=True
    )
    assert "Reminders sent to 2 organisations." in response.content.decode()


def test_command_sends_due_reminders_idempotently(world, django_capture_on_commit_callbacks):
    MembershipFactory(organisation=world.roros, role=MembershipRole.CONTACT)
    soon = open_round(world, deadline=timezone.localdate() + datetime.timedelta(days=3))
    later = open_round(world, deadline=timezone.localdate() + datetime.timedelta(days=30))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_round_reminders", "--days-before", "7", stdout=out)
    assert "1 open round(s) due" in out.getvalue()
    assert RoundInvitation.objects.filter(round=soon, reminder_count=1).count() == 2
    assert not RoundInvitation.objects.filter(round=later, reminder_count__gt=0).exists()
    sent = len(mail.outbox)
    assert sent == 3  # Holtålen: contact person and administrator; Røros: contact person
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_round_reminders", "--days-before", "7", stdout=io.StringIO())
    assert len(mail.outbox) == sent


def test_close_keeps_the_needs_as_they_are_and_leads_to_their_review(world, client_for):
    mapping_round = open_round(world)
    first = services.round_register_need(
        actor=world.users["holtalen_contact"], round=mapping_round, organisation=world.holtalen, data=need_data()
    )
    second = services.round_register_need(
        actor=world.users["secretariat_sor"],
        round=mapping_round,
        organisation=world.roros,
        data=need_data(title="Tømrere"),
    )
    services_need_closed = need_change_status(
        actor=world.users["secretariat_sor"], need=second, to_status=NeedStatus.CLOSED, reason="Dekket"
    )
    client = client_for("secretariat_sor")
    confirm = client.get(reverse("mapping:close", args=[mapping_round.pk]))
    assert "Yes, close the round" in confirm.content.decode()
    closed = client.post(reverse("mapping:close", args=[mapping_round.pk]))
    assert closed["Location"] == reverse("mapping:confirm_needs", args=[mapping_round.pk])
    mapping_round.refresh_from_db()
    assert mapping_round.status == RoundStatus.CLOSED and mapping_round.closed_at is not None
    first.refresh_from_db()
    assert first.status == NeedStatus.REGISTERED  # closing is no review: the secretariat confirms it
    services_need_closed.refresh_from_db()
    assert services_need_closed.status == NeedStatus.CLOSED
    with pytest.raises(ValidationError):
        services.round_register_need(
            actor=world.users["holtalen_contact"], round=mapping_round, organisation=world.holtalen, data=need_data()
        )


def test_export_xlsx_has_the_needs_and_the_answers(world, client_for):
    mapping_round = open_round(world)
    services.round_register_need(
        actor=world.users["holtalen_contact"],
        round=mapping_round,
        organisation=world.holtalen,
        data=need_data(wanted_start=timezone.localdate() + datetime.timedelta(days=60), wants_online=True),
    )
    response = client_for("secretariat_sor").get(reverse("mapping:export", args=[mapping_round.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    needs, answers = workbook.worksheets
    rows = list(needs.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Organisation",
        "Title",
        "Field of competence",
        "Wanted level",
        "Number of persons",
        "Municipality",
        "Centrality class",
    )
    assert rows[1][0] == "Holtålen kommune"
    assert rows[1][4] == 5
    assert rows[1][5] == "Holtålen"
    assert rows[1][6] == world.holtalen.municipality.centrality_class
    assert rows[1][7] == "Online, Local gatherings"
    assert len(rows) == 2
    answer_rows = {row[0]: row for row in answers.iter_rows(min_row=2, values_only=True)}
    assert answer_rows["Holtålen kommune"][2] == "Yes"
    assert answer_rows["Holtålen kommune"][4] == 1
    assert answer_rows["Røros kommune"][2] == "No"


def test_agenda_page_lists_needs_and_answers(world, client_for):
    mapping_round = open_round(world)
    services.round_register_need(
        actor=world.users["holtalen_contact"], round=mapping_round, organisation=world.holtalen, data=need_data()
    )
    content = client_for("secretariat_sor").get(reverse("mapping:agenda", args=[mapping_round.pk])).content.decode()
    assert "1. Helsefagarbeidere" in content
    assert "1 of 3 invited organisations answered, with 1 need." in content
    assert "kb-print-page" in content and "style=" not in content


def test_create_round_in_the_browser_form(world, client_for):
    client = client_for("secretariat_sor")
    page = client.get(reverse("mapping:create"))
    content = page.content.decode()
    assert "Holtålen kommune" in content and "Oslo Konsult AS" not in content
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d.%m.%Y")
    response = client.post(
        reverse("mapping:create") + f"?region={world.region.code}",
        {
            "region": world.region.code,
            "title": "Vårens kartlegging",
            "deadline": deadline,
            "organisations": [world.holtalen.pk, world.roros.pk],
        },
    )
    mapping_round = MappingRound.objects.get()
    assert response.status_code == 302 and response["Location"] == mapping_round.get_absolute_url()
    assert mapping_round.invitations.count() == 2
    past = client.post(
        reverse("mapping:create"),
        {"region": world.region.code, "title": "", "deadline": "01.01.2020", "organisations": [world.oslo_company.pk]},
    )
    content = past.content.decode()
    assert "The deadline cannot be in the past." in content
    assert "Give the round a title." in content
    assert "Choose organisations in the region." in content


def test_detail_shows_who_has_answered(world, client_for):
    mapping_round = open_round(world)
    services.round_mark_answered(
        actor=world.users["holtalen_contact"],
        invitation=RoundInvitation.objects.get(round=mapping_round, organisation=world.holtalen),
    )
    content = client_for("secretariat_sor").get(mapping_round.get_absolute_url()).content.decode()
    assert "1 answered, 2 not yet." in content
    own = client_for("holtalen_contact").get(mapping_round.get_absolute_url()).content.decode()
    assert "Røros kommune" not in own  # an invited organisation sees only its own answer
