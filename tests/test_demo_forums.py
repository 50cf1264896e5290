"""The demo's forums (kompetansebro/demo/forums.py): Kompetanseforum Trøndelag Sør with a past meeting that went
the whole way and an upcoming one with its notice sent, the council, its working group and the DEKOM forum."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kompetansebro.accounts.models import User
from kompetansebro.audit.models import AuditEntry
from kompetansebro.demo import forums as demo_forums
from kompetansebro.demo import trondelag_sor
from kompetansebro.forums.models import (
    AgendaCase,
    Attendance,
    AttendanceStatus,
    CaseAttachment,
    CaseKind,
    Decision,
    FollowUpTask,
    Forum,
    ForumKind,
    ForumMembership,
    Meeting,
    MeetingStatus,
    MemberRole,
    Minutes,
    MinutesStatus,
    Recurrence,
)
from kompetansebro.forums.services.attachments import detect_kind
from kompetansebro.forums.services.minutes import minutes_locked
from kompetansebro.forums.services.tasks import is_overdue
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, NeedStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    trondelag_sor.load_trondelag_sor()
    # The notices are e-mailed after the commit: run that too, so a notice the demo cannot render fails here.
    with django_capture_on_commit_callbacks(execute=True):
        result = demo_forums.load_forums()
    return result


def competence_forum() -> Forum:
    return Forum.objects.get(slug=demo_forums.COMPETENCE_FORUM)


def meetings() -> tuple[Meeting, Meeting]:
    past, upcoming = competence_forum().meetings.order_by("starts_at")
    return past, upcoming


def forum_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Forum,
            ForumMembership,
            Meeting,
            AgendaCase,
            CaseAttachment,
            Decision,
            Attendance,
            Minutes,
            FollowUpTask,
            User,
            NeedStatusChange,
            AuditEntry,
        )
    }


def test_forums_and_their_members(demo):
    assert demo.forums_created == 4 and demo.meetings_created == 2
    kinds = dict(Forum.objects.values_list("slug", "kind"))
    assert kinds == {
        demo_forums.COMPETENCE_FORUM: ForumKind.REGIONAL_COMPETENCE_FORUM,
        demo_forums.COUNCIL: ForumKind.COUNCIL,
        demo_forums.WORKING_GROUP: ForumKind.WORKING_GROUP,
        demo_forums.DEKOM: ForumKind.DEKOM_FORUM,
    }
    forum = competence_forum()
    assert forum.region.code == trondelag_sor.REGION_CODE and forum.is_public and forum.mandate
    assert forum.owner.name == "Trøndelag Sør-Interkommunalt politisk råd"
    seats = list(forum.memberships.select_related("person", "organisation"))
    roles = Counter(seat.role for seat in seats)
    assert roles[MemberRole.CHAIR] == roles[MemberRole.DEPUTY_CHAIR] == roles[MemberRole.OBSERVER] == 1
    assert roles[MemberRole.SECRETARIAT] == roles[MemberRole.DEPUTY] == 1 and roles[MemberRole.MEMBER] >= 9
    represented = {seat.organisation.name for seat in seats}
    assert {"NTNU Videre", "Trøndelag høyere yrkesfagskole", "Røros videregående skole"} <= represented
    assert {"Rørosregionen Næringshage", "Nasjonalparken Næringshage", "Trøndelag fylkeskommune"} <= represented
    observer = next(seat for seat in seats if seat.role == MemberRole.OBSERVER)
    assert observer.person.email == "henrik.aune@trondelagfylke.no" and not observer.may_decide
    # The history is kept: NAV's first representative left, the next one took the seat the day after.
    ended = [seat for seat in seats if seat.ends_on is not None]
    assert [seat.person.full_name for seat in ended] == ["Bjørn Sætre"]
    successor = next(seat for seat in seats if seat.person.full_name == "Nina Aasen")
    assert successor.starts_on == ended[0].ends_on + datetime.timedelta(days=1)
    assert AuditEntry.objects.filter(action="forums.membership.ended").count() == 1
    dekom = Forum.objects.get(slug=demo_forums.DEKOM)
    assert dekom.owner.name == "Statsforvalteren i Trøndelag" and dekom.memberships.count() == 5


def test_past_meeting_went_the_whole_way(demo):
    past, _upcoming = meetings()
    assert past.starts_at < timezone.now() - datetime.timedelta(days=30)
    assert timezone.localtime(past.starts_at).weekday() == 3  # a Thursday
    assert past.status == MeetingStatus.MINUTES_APPROVED
    assert past.notice_sent_at < past.starts_at
    cases = list(past.cases.order_by("position"))
    labels = [case.label for case in cases]
    year = timezone.localtime(past.starts_at).year % 100
    assert labels == [f"PS {n}/{year:02d}" for n in range(1, 5)] + [f"RS 1/{year:02d}"]
    closed = [case for case in cases if case.is_closed]
    assert len(closed) == 1 and closed[0].legal_basis.startswith("Offl. § 13 jf. fvl. § 13")
    assert all(case.archive_number for case in cases[2:])
    # Every case decided: one amended with votes and dissent, the rest as recommended.
    decisions = list(Decision.objects.filter(case__meeting=past))
    assert len(decisions) == len(cases)
    amended = [decision for decision in decisions if not decision.as_recommended]
    assert len(amended) == 1
    assert (amended[0].votes_for, amended[0].votes_against) == (9, 2) and amended[0].dissent
    assert all(d.text == d.case.recommendation for d in decisions if d.as_recommended)
    # Apologies, and a deputy attending in a member's place.
    attendance = {row.person.email: row for row in past.attendance.select_related("person", "deputy_for")}
    assert attendance[demo_forums.APOLOGIES].status == AttendanceStatus.APOLOGIES
    assert attendance[demo_forums.HOLTALEN_MEMBER].status == AttendanceStatus.APOLOGIES
    deputy = attendance[demo_forums.HOLTALEN_DEPUTY]
    assert deputy.status == AttendanceStatus.DEPUTY and deputy.deputy_for.email == demo_forums.HOLTALEN_MEMBER
    # Minutes approved and locked.
    minutes = past.minutes.get()
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_by is not None and minutes_locked(past)
    assert [case["label"] for case in minutes.content["cases"]] == labels
    # A case paper: a real PDF, stored and checked like an upload.
    attachment = CaseAttachment.objects.get(case__meeting=past)
    assert attachment.content_type == "application/pdf" and attachment.original_name.endswith(".pdf")
    with attachment.file.open("rb") as stored:
        assert detect_kind(stored).name == "PDF"
    assert not attachment.case.is_closed


def test_needs_presented_at_the_past_meeting_and_waiting_for_the_next(demo):
    past, upcoming = meetings()
    presented_case = past.cases.filter(needs__isnull=False).distinct().get()
    needs = list(presented_case.needs.all())
    assert len(needs) >= 2 and {need.status for need in needs} == {NeedStatus.PRESENTED}
    for need in needs:
        change = need.status_changes.last()
        assert change.to_status == NeedStatus.PRESENTED and presented_case.label in change.reason
    assert "Beste treff" in presented_case.facts or "Best matches" in presented_case.facts
    waiting_case = upcoming.cases.filter(needs__isnull=False).distinct().get()
    assert {need.status for need in waiting_case.needs.all()} == {NeedStatus.QUALIFIED}
    assert not set(waiting_case.needs.all()) & set(needs)
    # The rest of the demo keeps a need at every step of the life cycle, and each history in order.
    demo_needs = CompetenceNeed.objects.filter(external_id__startswith="demo-behov-")
    assert set(demo_needs.values_list("status", flat=True)) == set(NeedStatus.values)
    for need in demo_needs.prefetch_related("status_changes"):
        changes = list(need.status_changes.all())
        assert [c.from_status for c in changes[1:]] == [c.to_status for c in changes[:-1]], need.external_id
        assert changes[-1].to_status == need.status


def test_upcoming_meeting_has_its_agenda_and_notice(demo):
    _past, upcoming = meetings()
    assert upcoming.starts_at > timezone.now()
    assert upcoming.status == MeetingStatus.NOTICE_SENT and upcoming.notice_sent_at is not None
    assert upcoming.place and upcoming.video_link
    kinds = Counter(upcoming.cases.values_list("kind", flat=True))
    assert kinds[CaseKind.DECISION] >= 3 and kinds[CaseKind.INFORMATION] == 1
    assert not upcoming.minutes.exists() and not upcoming.attendance.exists()
    # Both notices went to every current member of the forum (the test's e-mail backend keeps them).
    members = competence_forum().memberships.filter(ends_on__isnull=True).count()
    notices = [message for message in mail.outbox if message.attachments]
    assert len(notices) == 2 * members
    assert {name for message in notices for name, *_rest in message.attachments if name.endswith(".pdf")}


def test_follow_up_tasks_from_the_decision(demo):
    tasks = {task.title: task for task in FollowUpTask.objects.filter(forum=competence_forum())}
    yearly = tasks["Prosjektleder orienterer rådet minst én gang per kalenderår"]
    reports = tasks["To skriftlige rapporter per kalenderår"]
    assert yearly.recurrence == Recurrence.YEARLY and not is_overdue(yearly)
    assert reports.recurrence == Recurrence.HALF_YEARLY and is_overdue(reports)
    assert yearly.case == reports.case and not yearly.case.decision.as_recommended
    done = [task for task in tasks.values() if task.done_at is not None]
    assert len(done) == 1 and done[0].done_by == done[0].responsible_person


def test_history_is_written_by_people_and_dated_when_it_happened(demo):
    entries = AuditEntry.objects.filter(action__startswith="forums.")
    assert entries.count() > 50 and not entries.filter(actor__isnull=True).exists()
    past, _upcoming = meetings()
    notice = entries.get(action="forums.meeting.notice_sent", object_id=str(past.pk))
    held = entries.get(action="forums.meeting.held", object_id=str(past.pk))
    assert notice.created_at < past.starts_at <= held.created_at
    forum = competence_forum()
    assert forum.created_at.date() <= forum.appointed_from + datetime.timedelta(days=1)


def test_the_demo_command_loads_the_forums_once():
    output = StringIO()
    call_command("demo", stdout=output)
    assert "4 forums" in output.getvalue()
    assert demo_forums.CHAIR in output.getvalue() and "Randi Moen" in output.getvalue()
    first = forum_counts()
    output = StringIO()
    call_command("demo", stdout=output)
    assert forum_counts() == first
    assert "0 forums" in output.getvalue() and "already there" in output.getvalue()
    chair = User.objects.get(email=demo_forums.CHAIR)
    assert chair.check_password(trondelag_sor.DEMO_PASSWORD)
    assert chair.forum_memberships.get(forum__slug=demo_forums.COMPETENCE_FORUM).role == MemberRole.CHAIR


def test_the_clock_is_set_back_only_inside():
    real = timezone.now()
    with demo_forums._clock(real - datetime.timedelta(days=10)):
        assert abs(timezone.now() - (real - datetime.timedelta(days=10))) < datetime.timedelta(seconds=5)
        assert timezone.localdate() <= (real - datetime.timedelta(days=9)).date()
    with pytest.raises(RuntimeError), demo_forums._clock(real - datetime.timedelta(days=10)):
        raise RuntimeError
    assert abs(timezone.now() - real) < datetime.timedelta(seconds=5)


@pytest.mark.parametrize(
    ("day", "later", "expected"),
    [
        (datetime.date(2026, 11, 23), True, datetime.date(2026, 11, 26)),
        (datetime.date(2026, 11, 23), False, datetime.date(2026, 11, 19)),
        (datetime.date(2026, 12, 21), True, datetime.date(2027, 1, 7)),
        (datetime.date(2027, 1, 2), False, datetime.date(2026, 12, 17)),
        (datetime.date(2026, 7, 10), True, datetime.date(2026, 8, 6)),
        (datetime.date(2026, 7, 10), False, datetime.date(2026, 6, 25)),
    ],
)
def test_meetings_are_on_thursdays_outside_the_holidays(day, later, expected):
    assert demo_forums._meeting_day(day, later=later) == expected
