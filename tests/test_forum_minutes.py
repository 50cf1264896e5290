"""Notice, decisions, attendance, marking a meeting held and the minutes: services and pages."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kompetansebro.audit.models import AuditEntry
from kompetansebro.forums.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from kompetansebro.forums.services import decisions, minutes, notices
from tests.forum_factories import AgendaCaseFactory, ForumMembershipFactory, MeetingFactory
from tests.forum_minutes_helpers import CLOSED_BACKGROUND, CLOSED_TITLE, make_forum, make_meeting, move_to_past

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def forum(world):
    return make_forum(world)


@pytest.fixture
def manager(world):
    return world.users["secretariat_sor"]


@pytest.fixture
def meeting(forum):
    return make_meeting(forum)


def _send(manager, meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notices.notice_send(actor=manager, meeting=meeting)


def held_meeting(manager, meeting, django_capture_on_commit_callbacks):
    _send(manager, meeting, django_capture_on_commit_callbacks)
    move_to_past(meeting)
    minutes.meeting_mark_held(actor=manager, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


# ---- the notice ------------------------------------------------------------------------------------------


def test_notice_mails_every_current_member_once_with_pdf_and_invitation(
    world, forum, manager, meeting, django_capture_on_commit_callbacks
):
    ForumMembershipFactory(forum=forum, person=forum.member.person, role="observer")  # a second seat: still one e-mail
    ForumMembershipFactory(
        forum=forum,
        starts_on=timezone.localdate() - datetime.timedelta(days=400),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )  # seat ended: no e-mail
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = notices.notice_send(actor=manager, meeting=meeting)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert result.recipients == 3 and not result.updated
    assert sorted(message.to[0] for message in mail.outbox) == ["kari@example.no", "per@example.no", "vara@example.no"]
    message = mail.outbox[0]
    assert "Innkalling:" in message.subject and forum.name in message.subject
    assert meeting.open_case.label in message.body and "Kompetansebehov i helse og omsorg" in message.body
    assert CLOSED_TITLE not in message.body and "Exempt from public access" in message.body
    assert meeting.get_absolute_url() in message.body
    pdf_name, pdf, pdf_type = message.attachments[0]
    assert pdf_name.endswith(".pdf") and pdf.startswith(b"%PDF") and pdf_type == "application/pdf"
    invitation = message.attachments[1]
    assert invitation.get_content_type() == "text/calendar" and invitation.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(invitation.get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == str(meeting.uid) and event["SEQUENCE"] == 0
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTICE_SENT and meeting.notice_sent_at is not None
    assert AuditEntry.objects.filter(action="forums.meeting.notice_sent", object_id=str(meeting.pk)).count() == 1


def test_one_bad_address_does_not_stop_the_others(
    forum, manager, meeting, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    original = EmailMessage.send

    def send(self, *args, **kwargs):
        if self.to == ["kari@example.no"]:
            raise OSError("mail server refused the address")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send)
    _send(manager, meeting, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == ["per@example.no", "vara@example.no"]


def test_notice_refused_for_a_meeting_in_the_past(forum, manager, meeting, django_capture_on_commit_callbacks):
    move_to_past(meeting)
    with pytest.raises(ValidationError, match="starts in the past"):
        _send(manager, meeting, django_capture_on_commit_callbacks)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.notice_sent_at is None
    assert mail.outbox == []


def test_notice_refused_without_cases(forum, manager, django_capture_on_commit_callbacks):
    empty = MeetingFactory(forum=forum)
    with pytest.raises(ValidationError, match="no cases"):
        _send(manager, empty, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_second_notice_refused_unless_something_changed_then_sent_as_updated(
    forum, manager, meeting, django_capture_on_commit_callbacks
):
    _send(manager, meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="already been sent"):
        _send(manager, meeting, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    Meeting.objects.filter(pk=meeting.pk).update(place="Holtålen rådhus")
    meeting.refresh_from_db()
    result = _send(manager, meeting, django_capture_on_commit_callbacks)
    assert result.updated
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == 1
    assert len(mail.outbox) == 3 and mail.outbox[0].subject.startswith("Oppdatert innkalling")
    event = Calendar.from_ical(mail.outbox[0].attachments[1].get_payload(decode=True)).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and "Holtålen rådhus" in str(event["LOCATION"])


def test_notice_send_page_shows_the_refusal(client_for, forum, meeting):
    move_to_past(meeting)
    response = client_for("secretariat_sor").post(
        reverse("forums:notice_send", args=[forum.slug, meeting.pk]), follow=True
    )
    assert "starts in the past" in response.content.decode()


# ---- decisions -------------------------------------------------------------------------------------------


def test_decision_refused_before_the_notice_is_sent(manager, meeting):
    with pytest.raises(ValidationError, match="notice of the meeting has been sent"):
        decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True)
    assert not Decision.objects.exists()


def test_decision_as_recommended_copies_the_recommendation_and_amended_needs_text(
    manager, meeting, django_capture_on_commit_callbacks
):
    _send(manager, meeting, django_capture_on_commit_callbacks)
    decision = decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True)
    assert decision.text == meeting.open_case.recommendation
    with pytest.raises(ValidationError) as error:
        decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=False, text=" ")
    assert "text" in error.value.message_dict
    decision = decisions.decision_record(
        actor=manager,
        case=meeting.open_case,
        as_recommended=False,
        text="Forumet ber også Nord universitet om et tilbud.",
        votes_for=1,
        votes_against=1,
        dissent="Per Medlem stemte mot.",
    )
    assert Decision.objects.count() == 1 and not decision.as_recommended
    assert AuditEntry.objects.filter(action="forums.case.decision_changed").count() == 1


def test_votes_cannot_exceed_the_members_who_may_decide_nor_be_negative(
    manager, meeting, django_capture_on_commit_callbacks
):
    _send(manager, meeting, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:  # chair + member may decide; the deputy does not count
        decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True, votes_for=3)
    assert "votes_for" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True, votes_against=-1)
    assert "votes_against" in error.value.message_dict
    assert not Decision.objects.exists()


def test_decision_refused_after_the_minutes_are_approved(manager, meeting, django_capture_on_commit_callbacks):
    held_meeting(manager, meeting, django_capture_on_commit_callbacks)
    decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True)
    draft = minutes.minutes_draft(actor=manager, meeting=meeting)
    minutes.minutes_approve(actor=manager, minutes=draft)
    with pytest.raises(ValidationError, match="approved and locked"):
        decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=False, text="Noe annet.")
    assert Decision.objects.get().text == meeting.open_case.recommendation


def test_decision_page_saves_and_shows_errors_beside_the_field(
    client_for, forum, manager, meeting, django_capture_on_commit_callbacks
):
    _send(manager, meeting, django_capture_on_commit_callbacks)
    client = client_for("secretariat_sor")
    url = reverse("forums:decision_edit", args=[forum.slug, meeting.open_case.pk])
    response = client.post(url, {"as_recommended": "no", "text": "", "votes_for": "-2"})
    body = response.content.decode()
    assert response.status_code == 200 and "ds-error-summary" in body
    assert "Write the decision as it was adopted." in body and "cannot be negative" in body
    response = client.post(url, {"as_recommended": "yes", "votes_for": "2", "votes_against": "0"})
    assert response.status_code == 302
    assert Decision.objects.get().votes_for == 2


# ---- attendance and held ---------------------------------------------------------------------------------


def test_mark_held_refused_before_the_start(manager, meeting, django_capture_on_commit_callbacks):
    _send(manager, meeting, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="has not started"):
        minutes.meeting_mark_held(actor=manager, meeting=meeting)
    move_to_past(meeting)
    minutes.meeting_mark_held(actor=manager, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(ValidationError, match="already marked"):
        minutes.meeting_mark_held(actor=manager, meeting=meeting)


def test_attendance_with_a_deputy(client_for, forum, meeting):
    client = client_for("secretariat_sor")
    url = reverse("forums:attendance_edit", args=[forum.slug, meeting.pk])
    assert client.get(url).status_code == 200
    chair, member, deputy = forum.chair, forum.member, forum.deputy
    body = client.post(url, {}).content.decode()
    assert "ds-error-summary" in body and "Choose whether Kari Leder attended." in body
    response = client.post(url, {f"status_{chair.pk}": "present", f"status_{member.pk}": "deputy"})
    assert "Choose the deputy member who attended instead." in response.content.decode()
    assert not Attendance.objects.exists()
    response = client.post(
        url, {f"status_{chair.pk}": "present", f"status_{member.pk}": "deputy", f"deputy_{member.pk}": deputy.pk}
    )
    assert response.status_code == 302
    rows = {row.person_id: row for row in Attendance.objects.all()}
    assert rows[chair.person_id].status == AttendanceStatus.PRESENT
    assert rows[member.person_id].status == AttendanceStatus.APOLOGIES
    assert rows[deputy.person_id].status == AttendanceStatus.DEPUTY
    assert rows[deputy.person_id].deputy_for_id == member.person_id
    # the form reads back what was stored
    body = client.get(url).content.decode()
    assert f'value="{deputy.pk}" selected' in body
    assert AuditEntry.objects.filter(action="forums.meeting.attendance_recorded").count() == 1


# ---- minutes ---------------------------------------------------------------------------------------------


def test_minutes_draft_approve_lock_and_revise(manager, meeting, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="held"):
        minutes.minutes_draft(actor=manager, meeting=meeting)
    held_meeting(manager, meeting, django_capture_on_commit_callbacks)
    decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True)
    draft = minutes.minutes_draft(actor=manager, meeting=meeting)
    assert draft.number == 1 and draft.status == MinutesStatus.DRAFT
    assert [case["label"] for case in draft.content["cases"]] == [meeting.open_case.label, meeting.closed_case.label]
    assert draft.content["cases"][0]["decision"]["text"] == meeting.open_case.recommendation

    # a change after drafting: approval is refused until the draft is updated
    decisions.decision_record(actor=manager, case=meeting.closed_case, as_recommended=True)
    with pytest.raises(ValidationError, match="changed after this draft"):
        minutes.minutes_approve(actor=manager, minutes=draft)
    redrafted = minutes.minutes_draft(actor=manager, meeting=meeting)
    assert redrafted.pk == draft.pk and Minutes.objects.count() == 1
    approved = minutes.minutes_approve(actor=manager, minutes=redrafted)
    meeting.refresh_from_db()
    assert approved.is_locked and approved.approved_by == manager and approved.approved_at
    assert meeting.status == MeetingStatus.MINUTES_APPROVED

    # locked: no new draft, no second approval, no attendance change
    content = Minutes.objects.get().content
    with pytest.raises(ValidationError, match="approved and locked"):
        minutes.minutes_draft(actor=manager, meeting=meeting)
    with pytest.raises(ValidationError, match="already approved and locked"):
        minutes.minutes_approve(actor=manager, minutes=approved)
    with pytest.raises(ValidationError, match="approved and locked"):
        minutes.attendance_record(actor=manager, meeting=meeting, entries=[])
    assert Minutes.objects.get().content == content

    # revise: reason required; version 2 is a draft and version 1 stays
    with pytest.raises(ValidationError) as error:
        minutes.minutes_revise(actor=manager, meeting=meeting, reason="  ")
    assert "reason" in error.value.message_dict
    second = minutes.minutes_revise(actor=manager, meeting=meeting, reason="Feil i oppmøtet")
    assert second.number == 2 and second.status == MinutesStatus.DRAFT and second.change_reason == "Feil i oppmøtet"
    with pytest.raises(ValidationError, match="not approved yet"):
        minutes.minutes_revise(actor=manager, meeting=meeting, reason="En gang til")
    decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=False, text="Endret vedtak.")
    second = minutes.minutes_draft(actor=manager, meeting=meeting)
    minutes.minutes_approve(actor=manager, minutes=second)
    versions = list(Minutes.objects.order_by("number"))
    assert [(v.number, v.status) for v in versions] == [(1, "approved"), (2, "approved")]
    assert versions[0].content["cases"][0]["decision"]["text"] == meeting.open_case.recommendation
    assert versions[1].content["cases"][0]["decision"]["text"] == "Endret vedtak."
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"forums.minutes.drafted", "forums.minutes.redrafted", "forums.minutes.approved"} <= actions
    assert {"forums.minutes.revised", "forums.meeting.held", "forums.meeting.minutes_approved"} <= actions


def test_minutes_pages_version_list_and_public_view(
    client_for, forum, manager, meeting, django_capture_on_commit_callbacks
):
    held_meeting(manager, meeting, django_capture_on_commit_callbacks)
    decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True)
    decisions.decision_record(actor=manager, case=meeting.closed_case, as_recommended=True)
    secretariat, public = client_for("secretariat_sor"), client_for("anonymous")
    url = reverse("forums:minutes", args=[forum.slug, meeting.pk])

    assert secretariat.post(reverse("forums:minutes_draft", args=[forum.slug, meeting.pk])).status_code == 302
    body = public.get(url).content.decode()
    assert "not approved yet" in body and "Kompetansebehov" not in body  # drafts are for insiders
    assert public.get(url + "?versjon=1").status_code == 404
    assert "Draft, not approved" in secretariat.get(url).content.decode()

    secretariat.post(reverse("forums:minutes_approve", args=[forum.slug, meeting.pk]))
    response = secretariat.post(reverse("forums:minutes_revise", args=[forum.slug, meeting.pk]), {"reason": ""})
    assert "Give the reason for changing the approved minutes." in response.content.decode()
    assert Minutes.objects.count() == 1
    secretariat.post(reverse("forums:minutes_revise", args=[forum.slug, meeting.pk]), {"reason": "Skrivefeil"})
    body = secretariat.get(url + "?versjon=2").content.decode()
    assert "Version 2 — changed after approval: Skrivefeil" in body
    assert CLOSED_TITLE in body and CLOSED_BACKGROUND not in body  # the minutes hold decisions, not papers

    body = public.get(url).content.decode()
    assert "Kompetansebehov i helse og omsorg" in body and "Version 1" in body
    assert "Skrivefeil" not in body  # version 2 is still a draft
    assert CLOSED_TITLE not in body and "Saken tas til orientering" not in body
    assert "Exempt from public access" in body and "Offentleglova § 13" in body


def test_locked_minutes_refusals_are_shown(client_for, forum, manager, meeting, django_capture_on_commit_callbacks):
    held_meeting(manager, meeting, django_capture_on_commit_callbacks)
    minutes.minutes_approve(actor=manager, minutes=minutes.minutes_draft(actor=manager, meeting=meeting))
    client = client_for("secretariat_sor")
    response = client.post(reverse("forums:minutes_draft", args=[forum.slug, meeting.pk]), follow=True)
    assert "approved and locked" in response.content.decode()
    response = client.post(
        reverse("forums:decision_edit", args=[forum.slug, meeting.open_case.pk]), {"as_recommended": "yes"}
    )
    assert "approved and locked" in response.content.decode()
    assert not Decision.objects.exists()


def test_meeting_section_buttons_follow_the_status(
    client_for, forum, manager, meeting, django_capture_on_commit_callbacks
):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    def section(user):
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string(
            "forums/_meeting_minutes_section.html", {"forum": forum, "meeting": meeting, "user": user}, request
        )

    html = section(manager)
    assert "Send the notice" in html and "Mark the meeting as held" not in html
    assert "Send the notice" not in section(forum.member.person)  # members see the status and the links
    held_meeting(manager, meeting, django_capture_on_commit_callbacks)
    html = section(manager)
    assert "Draft the minutes" in html and "Send the notice" not in html


def test_query_counts_do_not_grow(
    client_for, forum, manager, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def build(count):
        meeting = MeetingFactory(forum=forum)
        for _ in range(count):
            AgendaCaseFactory(meeting=meeting)
        _send(manager, meeting, django_capture_on_commit_callbacks)
        move_to_past(meeting)
        minutes.meeting_mark_held(actor=manager, meeting=meeting)
        for case in meeting.cases.all():
            decisions.decision_record(actor=manager, case=case, as_recommended=True)
        minutes.minutes_draft(actor=manager, meeting=meeting)
        return meeting

    client = client_for("secretariat_sor")
    small, large = build(1), build(12)
    for name, limit in (("minutes", 14), ("notice", 12), ("attendance_edit", 12)):
        for meeting in (small, large):
            with django_assert_max_num_queries(limit):
                assert client.get(reverse(f"forums:{name}", args=[forum.slug, meeting.pk])).status_code == 200
