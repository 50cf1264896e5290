"""Follow-up tasks: creating (from a case), editing with optimistic locking, marking done with recurrence,
the task lists and sections, and the overdue notices of `send-task-reminders`."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command, get_commands
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.cli import main as cli_main
from kompetansebro.forums.models import FollowUpTask, MemberRole, Recurrence
from kompetansebro.forums.services import tasks as services
from kompetansebro.organisations.models import MembershipRole
from tests.factories import MembershipFactory, UserFactory
from tests.forum_factories import (
    AgendaCaseFactory,
    FollowUpTaskFactory,
    ForumFactory,
    ForumMembershipFactory,
    MeetingFactory,
)

D = datetime.date


def today():
    return timezone.localdate()


@pytest.fixture
def forum(world):
    """A public regional forum in Trøndelag Sør with a chair (Holtålen's contact person) and a secretary."""
    forum = ForumFactory(
        name="Regionalt kompetanseforum Trøndelag Sør", owner=world.council, region=world.region, slug="rkf-sor"
    )
    ForumMembershipFactory(forum=forum, person=world.users["holtalen_contact"], role=MemberRole.CHAIR)
    ForumMembershipFactory(
        forum=forum,
        person=UserFactory(full_name="Sara Sekretær", email="sekretar@example.no"),
        role=MemberRole.SECRETARIAT,
    )
    return forum


@pytest.fixture
def manager(world, client_for):
    return client_for("secretariat_sor")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(fn, *args, **kwargs): run fn and then its on-commit callbacks (the e-mails), as a real commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def overdue_task(forum, days=3, **kwargs):
    task = FollowUpTaskFactory(forum=forum, **kwargs)
    FollowUpTask.objects.filter(pk=task.pk).update(due_on=today() - datetime.timedelta(days=days))
    task.refresh_from_db()
    return task


# ---- recurrence arithmetic ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_on", "recurrence", "expected"),
    [
        (D(2027, 1, 31), Recurrence.MONTHLY, D(2027, 2, 28)),
        (D(2028, 1, 31), Recurrence.MONTHLY, D(2028, 2, 29)),
        (D(2027, 3, 31), Recurrence.MONTHLY, D(2027, 4, 30)),
        (D(2027, 12, 15), Recurrence.MONTHLY, D(2028, 1, 15)),
        (D(2027, 11, 30), Recurrence.QUARTERLY, D(2028, 2, 29)),
        (D(2027, 6, 30), Recurrence.HALF_YEARLY, D(2027, 12, 30)),
        (D(2027, 8, 31), Recurrence.HALF_YEARLY, D(2028, 2, 29)),
        (D(2027, 12, 31), Recurrence.YEARLY, D(2028, 12, 31)),
        (D(2028, 2, 29), Recurrence.YEARLY, D(2029, 2, 28)),
        (D(2027, 5, 10), Recurrence.NONE, None),
    ],
)
def test_next_due_date_is_counted_in_calendar_months(due_on, recurrence, expected):
    assert services.next_due_on(due_on, recurrence) == expected


# ---- create ---------------------------------------------------------------------------------------------------


def test_manager_creates_the_seed_000_tasks(world, forum, manager):
    due = today() + datetime.timedelta(days=200)
    response = manager.post(
        reverse("forums:task_create", args=[forum.slug]),
        {
            "title": "Prosjektleder orienterer rådet minst én gang per kalenderår",
            "responsible_person": world.users["holtalen_contact"].pk,
            "due_on": due.strftime("%d.%m.%Y"),
            "recurrence": Recurrence.YEARLY,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:tasks", args=[forum.slug])
    response = manager.post(
        reverse("forums:task_create", args=[forum.slug]),
        {
            "title": "To skriftlige rapporter per kalenderår",
            "description": "Statusrapport til rådet.",
            "responsible_organisation": world.holtalen.pk,
            "due_on": due.strftime("%d.%m.%Y"),
            "recurrence": Recurrence.HALF_YEARLY,
        },
    )
    assert response.status_code == 302
    yearly, half_yearly = FollowUpTask.objects.order_by("pk")
    assert (yearly.recurrence, yearly.responsible_person, yearly.due_on) == (
        Recurrence.YEARLY,
        world.users["holtalen_contact"],
        due,
    )
    assert (half_yearly.recurrence, half_yearly.responsible_organisation) == (Recurrence.HALF_YEARLY, world.holtalen)
    entry = AuditEntry.objects.get(action="forums.task.created", object_id=str(yearly.pk))
    assert entry.actor == world.users["secretariat_sor"]


def test_task_from_a_case_returns_to_the_meeting(world, forum, manager):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum))
    back = f"/fora/{forum.slug}/moter/{case.meeting_id}/#tasks-heading"
    url = reverse("forums:task_create", args=[forum.slug]) + "?" + urlencode({"case": case.pk, "next": back})
    assert manager.get(url).status_code == 200
    response = manager.post(
        url,
        {
            "title": "Send saken til kommunene",
            "responsible_organisation": world.council.pk,
            "due_on": (today() + datetime.timedelta(days=10)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert FollowUpTask.objects.get().case == case


def test_case_of_another_forum_or_a_bad_case_is_not_found(forum, manager):
    other_case = AgendaCaseFactory()
    url = reverse("forums:task_create", args=[forum.slug])
    assert manager.get(url + f"?case={other_case.pk}").status_code == 404
    assert manager.get(url + "?case=abc").status_code == 404


def test_offsite_next_is_ignored(world, forum, manager):
    response = manager.post(
        reverse("forums:task_create", args=[forum.slug]) + "?next=https://evil.example.com/",
        {
            "title": "Oppfølging",
            "responsible_organisation": world.council.pk,
            "due_on": (today() + datetime.timedelta(days=10)).strftime("%d.%m.%Y"),
        },
    )
    assert response["Location"] == reverse("forums:tasks", args=[forum.slug])


@pytest.mark.usefixtures("english")
def test_someone_must_be_responsible_and_the_due_date_not_past(forum, manager):
    response = manager.post(
        reverse("forums:task_create", args=[forum.slug]),
        {"title": "Oppfølging", "due_on": (today() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["responsible_person"] == ["Choose a responsible person or a responsible organisation (or both)."]
    assert form.errors["due_on"] == ["The due date cannot be in the past."]
    assert None not in form.errors
    assert "To continue, correct the following:" in response.content.decode()
    assert not FollowUpTask.objects.exists()


@pytest.mark.usefixtures("english")
def test_another_person_is_found_by_e_mail_address(world, forum, manager):
    url = reverse("forums:task_create", args=[forum.slug])
    data = {"title": "Oppfølging", "due_on": (today() + datetime.timedelta(days=3)).strftime("%d.%m.%Y")}
    response = manager.post(url, {**data, "responsible_email": "nobody@example.no"})
    assert response.context["form"].errors["responsible_email"] == [
        "Nobody with an active user account has the e-mail address nobody@example.no."
    ]
    response = manager.post(
        url,
        {
            **data,
            "responsible_email": "ADMIN@ntnu.example.no",
            "responsible_person": world.users["holtalen_contact"].pk,
        },
    )
    assert "not both" in response.context["form"].errors["responsible_email"][0]
    assert not FollowUpTask.objects.exists()
    response = manager.post(url, {**data, "responsible_email": "ADMIN@ntnu.example.no"})
    assert response.status_code == 302
    assert FollowUpTask.objects.get().responsible_person == world.users["ntnu_admin"]


def test_a_non_member_cannot_be_chosen_from_the_member_list(world, forum, manager):
    response = manager.post(
        reverse("forums:task_create", args=[forum.slug]),
        {
            "title": "Oppfølging",
            "responsible_person": world.users["outsider"].pk,
            "due_on": (today() + datetime.timedelta(days=3)).strftime("%d.%m.%Y"),
        },
    )
    assert "responsible_person" in response.context["form"].errors
    assert not FollowUpTask.objects.exists()


def test_service_refuses_what_the_form_would(world, forum):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=world.users["secretariat_sor"],
            forum=forum,
            title=" ",
            due_on=today() - datetime.timedelta(days=1),
            case=AgendaCaseFactory(),
        )
    assert set(error.value.message_dict) == {"title", "responsible_person", "due_on", "case"}
    assert not FollowUpTask.objects.exists()


# ---- edit -----------------------------------------------------------------------------------------------------


def _edit_data(task, **changes):
    data = {
        "title": task.title,
        "description": task.description,
        "responsible_person": task.responsible_person_id or "",
        "responsible_organisation": task.responsible_organisation_id or "",
        "due_on": task.due_on.strftime("%d.%m.%Y"),
        "recurrence": task.recurrence,
        "version": task.version,
    }
    data.update(changes)
    return data


@pytest.mark.usefixtures("english")
def test_edit_is_versioned_and_shows_the_conflict(world, forum, manager):
    task = FollowUpTaskFactory(forum=forum, responsible_person=world.users["holtalen_contact"])
    url = reverse("forums:task_edit", args=[forum.slug, task.pk])
    stale = _edit_data(task, title="Min tittel")
    services.task_update(
        actor=world.users["secretariat_sor"], task=task, data={"title": "Deres tittel"}, expected_version=task.version
    )
    response = manager.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in response.content.decode()
    assert response.context["conflict_differences"] == [
        {"label": "Task", "saved": "Deres tittel", "yours": "Min tittel"}
    ]
    task.refresh_from_db()
    assert task.title == "Deres tittel"
    response = manager.post(url, {**stale, "version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Min tittel"
    entry = AuditEntry.objects.filter(action="forums.task.changed", object_id=str(task.pk)).latest("created_at")
    assert entry.changes["title"] == {"old": "Deres tittel", "new": "Min tittel", "model": "forums.followuptask"}


@pytest.mark.usefixtures("english")
def test_an_unchanged_past_due_date_may_stay_a_changed_one_may_not(world, forum, manager):
    task = overdue_task(forum, responsible_person=world.users["holtalen_contact"])
    url = reverse("forums:task_edit", args=[forum.slug, task.pk])
    assert manager.post(url, _edit_data(task, title="Ny tittel")).status_code == 302
    task.refresh_from_db()
    response = manager.post(
        url, _edit_data(task, due_on=(task.due_on - datetime.timedelta(days=1)).strftime("%d.%m.%Y"))
    )
    assert response.context["form"].errors["due_on"] == ["The due date cannot be in the past."]


def test_a_done_task_cannot_be_edited(world, forum, manager):
    task = FollowUpTaskFactory(forum=forum)
    services.task_complete(actor=world.users["secretariat_sor"], task=task)
    task.refresh_from_db()
    response = manager.post(reverse("forums:task_edit", args=[forum.slug, task.pk]), _edit_data(task, title="X"))
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        services.task_update(actor=None, task=task, data={"title": "X"}, expected_version=task.version)
    task.refresh_from_db()
    assert task.title != "X"


# ---- done and recurrence --------------------------------------------------------------------------------------


def test_done_recurring_task_creates_the_next_from_the_due_date(world, forum):
    due = today() - datetime.timedelta(days=40)  # done late: the next is still counted from the due date
    task = FollowUpTaskFactory(
        forum=forum,
        title="Prosjektleder orienterer rådet minst én gang per kalenderår",
        recurrence=Recurrence.YEARLY,
        responsible_person=world.users["holtalen_contact"],
        responsible_organisation=world.holtalen,
        case=AgendaCaseFactory(meeting=MeetingFactory(forum=forum)),
    )
    FollowUpTask.objects.filter(pk=task.pk).update(due_on=due)
    task.refresh_from_db()
    following = services.task_complete(actor=world.users["holtalen_contact"], task=task)
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == world.users["holtalen_contact"]
    assert following.previous == task and task.next == following
    assert following.due_on == services.add_months(due, 12)
    assert following.done_at is None and following.overdue_notice_sent_at is None
    assert (following.title, following.recurrence, following.case, following.responsible_organisation) == (
        task.title,
        Recurrence.YEARLY,
        task.case,
        world.holtalen,
    )
    assert AuditEntry.objects.filter(action="forums.task.done", object_id=str(task.pk)).count() == 1
    assert AuditEntry.objects.filter(action="forums.task.created", object_id=str(following.pk)).count() == 1


def test_done_non_recurring_task_creates_nothing(world, forum):
    task = FollowUpTaskFactory(forum=forum)
    assert services.task_complete(actor=world.users["secretariat_sor"], task=task) is None
    assert FollowUpTask.objects.count() == 1


@pytest.mark.usefixtures("english")
def test_done_twice_gives_one_next_task_and_a_clear_message(world, forum, client_for):
    task = FollowUpTaskFactory(forum=forum, recurrence=Recurrence.HALF_YEARLY, responsible_organisation=world.holtalen)
    url = reverse("forums:task_done", args=[forum.slug, task.pk])
    client = client_for("holtalen_admin")  # responsible through the organisation, not a member of the forum
    first = client.post(url, follow=True)
    assert "is marked as done. The next round is due" in first.content.decode()
    second = client.post(url, follow=True)
    assert "was already marked as done on" in second.content.decode()
    assert "Nothing was changed." in second.content.decode()
    assert FollowUpTask.objects.count() == 2
    assert FollowUpTask.objects.filter(previous=task).count() == 1
    with pytest.raises(services.TaskAlreadyDone):
        services.task_complete(actor=world.users["secretariat_sor"], task=task)
    assert FollowUpTask.objects.count() == 2
    # Not a member: back to the overdue list, which they can see, rather than the forum's task list.
    assert first.redirect_chain[-1][0] == reverse("forums:tasks_overdue")


def test_done_returns_to_the_page_it_came_from(world, forum, manager):
    task = FollowUpTaskFactory(forum=forum)
    back = reverse("forums:tasks", args=[forum.slug]) + "?vis=overdue"
    response = manager.post(reverse("forums:task_done", args=[forum.slug, task.pk]), {"next": back})
    assert response["Location"] == back


# ---- lists and sections ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_task_list_puts_overdue_first_and_says_so(world, forum, client_for):
    later = FollowUpTaskFactory(forum=forum, title="Senere oppgave")
    late = overdue_task(forum, days=5, title="Forsinket oppgave")
    done = FollowUpTaskFactory(forum=forum, title="Ferdig oppgave")
    services.task_complete(actor=world.users["secretariat_sor"], task=done)
    client = client_for("holtalen_contact")
    url = reverse("forums:tasks", args=[forum.slug])
    response = client.get(url)
    assert [task.pk for task in response.context["page"]] == [late.pk, later.pk]
    html = response.content.decode()
    assert "Overdue" in html and "(5 days)" in html
    assert html.index("Forsinket oppgave") < html.index("Senere oppgave")
    assert "Ferdig oppgave" not in html
    assert "2 open tasks, of which 1 overdue." in html
    assert [task.pk for task in client.get(url, {"vis": "overdue"}).context["page"]] == [late.pk]
    assert [task.pk for task in client.get(url, {"vis": "done"}).context["page"]] == [done.pk]
    assert client.get(url, {"vis": "nonsense"}).context["view"] == "open"


def test_overdue_list_shows_what_the_person_manages_or_is_responsible_for(world, forum, client_for):
    private = ForumFactory(is_public=False, owner=world.ntnu)
    mine = overdue_task(private, responsible_person=world.users["outsider"])
    through_org = overdue_task(private, responsible_person=None, responsible_organisation=world.holtalen)
    in_managed_forum = overdue_task(forum)
    FollowUpTaskFactory(forum=forum)  # not overdue
    url = reverse("forums:tasks_overdue")
    assert [t.pk for t in client_for("outsider").get(url).context["page"]] == [mine.pk]
    assert {t.pk for t in client_for("holtalen_admin").get(url).context["page"]} == {through_org.pk}
    assert {t.pk for t in client_for("secretariat_sor").get(url).context["page"]} == {in_managed_forum.pk}
    assert {t.pk for t in client_for("ntnu_admin").get(url).context["page"]} == {mine.pk, through_org.pk}
    assert {t.pk for t in client_for("platform_admin").get(url).context["page"]} == {
        mine.pk,
        through_org.pk,
        in_managed_forum.pk,
    }
    assert list(client_for("company_member").get(url).context["page"]) == []


def _grow(forum, world, n):
    meeting = MeetingFactory(forum=forum)
    for _ in range(n):
        case = AgendaCaseFactory(meeting=meeting)
        overdue_task(forum, case=case, responsible_organisation=world.holtalen, recurrence=Recurrence.MONTHLY)
        FollowUpTaskFactory(forum=forum, case=case)
        done = FollowUpTaskFactory(forum=forum, responsible_person=UserFactory())
        services.task_complete(actor=world.users["secretariat_sor"], task=done)
    return meeting


@pytest.mark.parametrize("persona", ["secretariat_sor", "holtalen_contact", "platform_admin"])
def test_page_queries_do_not_grow_with_the_data(world, forum, client_for, persona, django_assert_max_num_queries):
    client = client_for(persona)
    urls = [
        reverse("forums:tasks", args=[forum.slug]),
        reverse("forums:tasks", args=[forum.slug]) + "?vis=done",
        reverse("forums:tasks_overdue"),
        reverse("forums:task_create", args=[forum.slug]),
    ]
    counts = {}
    for n in (1, 8):
        _grow(forum, world, n)
        for url in urls:
            with django_assert_max_num_queries(20) as captured:
                response = client.get(url)
            assert response.status_code in (200, 403)
            counts.setdefault(url, []).append(len(captured))
    for url, (small, large) in counts.items():
        assert large == small, url


SECTIONS = Template(
    '{% include "forums/_forum_tasks_section.html" %}{% include "forums/_meeting_tasks_section.html" %}'
)


def _render_sections(user, forum, meeting):
    request = RequestFactory().get(f"/fora/{forum.slug}/")
    request.user = user
    return SECTIONS.render(Context({"forum": forum, "meeting": meeting, "user": user, "request": request}))


@pytest.mark.usefixtures("english")
def test_sections_on_the_forum_and_meeting_pages(world, forum, django_assert_max_num_queries):
    meeting = _grow(forum, world, 3)
    other_meeting = MeetingFactory(forum=forum)
    FollowUpTaskFactory(
        forum=forum,
        case=AgendaCaseFactory(meeting=other_meeting),
        title="Fra et annet møte",
        due_on=today() + datetime.timedelta(days=1),
    )
    manager = world.users["secretariat_sor"]
    html = _render_sections(manager, forum, meeting)
    assert "7 open tasks, of which 3 overdue." in html
    assert html.count("<tr>") == 1 + 5 + 1 + 6  # forum: header + the next five; meeting: header + its six tasks
    assert "Fra et annet møte" in html  # among the forum's next five, not in the meeting's section
    assert html.count('class="kb-task__title">Fra et annet møte') == 1
    assert "New task from PS" in html
    member_html = _render_sections(world.users["holtalen_contact"], forum, meeting)
    assert "Follow-up tasks from this meeting" in member_html and "New task from PS" not in member_html
    assert _render_sections(world.users["company_member"], forum, meeting).strip() == ""
    counts = []
    for n in (1, 6):
        _grow(forum, world, n)
        fresh = type(manager).objects.get(pk=manager.pk)
        with django_assert_max_num_queries(12) as captured:
            _render_sections(fresh, forum, meeting)
        counts.append(len(captured))
    assert counts[0] == counts[1]


# ---- overdue notices ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_overdue_notice_is_sent_once_across_runs(world, forum, committed):
    person_task = overdue_task(forum, responsible_person=world.users["holtalen_contact"], title="Rapport 1")
    org_task = overdue_task(forum, responsible_person=None, responsible_organisation=world.holtalen, title="Rapport 2")
    FollowUpTaskFactory(forum=forum)  # due later
    due_today = FollowUpTaskFactory(forum=forum)
    FollowUpTask.objects.filter(pk=due_today.pk).update(due_on=today())  # due today is not overdue
    done = overdue_task(forum)
    services.task_complete(actor=None, task=done)
    MembershipFactory(organisation=world.holtalen, role=MembershipRole.MEMBER)  # plain members are not e-mailed

    out = io.StringIO()
    committed(call_command, "send_task_reminders", stdout=out)
    assert "2 overdue task(s) were notified with 5 e-mail(s)" in out.getvalue()
    subject = "Forfalt oppfølgingsoppgave i Regionalt kompetanseforum Trøndelag Sør: "
    assert sorted((message.subject, *message.to) for message in mail.outbox) == [
        (subject + "Rapport 1", "kontakt@holtalen.example.no"),
        (subject + "Rapport 1", "sekretar@example.no"),
        (subject + "Rapport 2", "admin@holtalen.example.no"),
        (subject + "Rapport 2", "kontakt@holtalen.example.no"),
        (subject + "Rapport 2", "sekretar@example.no"),
    ]
    assert len(mail.outbox) == 5
    assert "/fora/oppfolging/forfalte/" in mail.outbox[0].body
    for task in (person_task, org_task):
        task.refresh_from_db()
        assert task.overdue_notice_sent_at is not None
    assert AuditEntry.objects.filter(action="forums.task.overdue_notice_sent").count() == 2

    out = io.StringIO()
    committed(call_command, "send_task_reminders", stdout=out)
    assert "0 overdue task(s) were notified" in out.getvalue()
    assert len(mail.outbox) == 5


@pytest.mark.usefixtures("english")
def test_recipients_are_the_person_or_the_organisation_and_the_secretariat(world, forum, committed):
    person_task = overdue_task(forum, responsible_person=world.users["holtalen_contact"])
    org_task = overdue_task(forum, responsible_person=None, responsible_organisation=world.holtalen)
    both = overdue_task(forum, responsible_person=world.users["ntnu_admin"], responsible_organisation=world.holtalen)
    ended = UserFactory(email="tidligere@example.no")
    ForumMembershipFactory(
        forum=forum, person=ended, role=MemberRole.SECRETARIAT, ends_on=today() - datetime.timedelta(days=1)
    )
    run = services.tasks_send_overdue_notices(dry_run=True)
    emails = {notice.task.pk: [person.email for person in notice.recipients] for notice in run.notices}
    assert emails == {
        person_task.pk: ["kontakt@holtalen.example.no", "sekretar@example.no"],
        org_task.pk: ["admin@holtalen.example.no", "kontakt@holtalen.example.no", "sekretar@example.no"],
        both.pk: ["admin@ntnu.example.no", "sekretar@example.no"],
    }
    assert mail.outbox == []
    assert not FollowUpTask.objects.filter(overdue_notice_sent_at__isnull=False).exists()


def test_dry_run_sends_and_changes_nothing(world, forum, committed):
    task = overdue_task(forum, responsible_person=world.users["holtalen_contact"], title="Rapport")
    out = io.StringIO()
    committed(call_command, "send_task_reminders", "--dry-run", stdout=out)
    assert "Rapport" in out.getvalue() and "kontakt@holtalen.example.no" in out.getvalue()
    assert "1 overdue task(s) would be notified with 2 e-mail(s)" in out.getvalue()
    assert mail.outbox == []
    task.refresh_from_db()
    assert task.overdue_notice_sent_at is None


def test_a_task_without_anyone_to_notify_waits_for_a_later_run(world, committed):
    lonely_forum = ForumFactory()
    task = overdue_task(lonely_forum, responsible_person=None, responsible_organisation=world.oslo_company)
    out, err = io.StringIO(), io.StringIO()
    committed(call_command, "send_task_reminders", stdout=out, stderr=err)
    assert "Nobody to notify" in err.getvalue()
    task.refresh_from_db()
    assert task.overdue_notice_sent_at is None
    ForumMembershipFactory(forum=lonely_forum, role=MemberRole.SECRETARIAT)
    committed(call_command, "send_task_reminders", stdout=out, stderr=err)
    task.refresh_from_db()
    assert task.overdue_notice_sent_at is not None
    assert len(mail.outbox) == 1


def test_moving_the_due_date_resets_the_notice_so_a_later_overdue_is_notified_again(world, forum, manager, committed):
    task = overdue_task(forum, responsible_person=world.users["holtalen_contact"])
    committed(services.tasks_send_overdue_notices)
    assert len(mail.outbox) == 2
    task.refresh_from_db()
    new_due = today() + datetime.timedelta(days=7)
    response = manager.post(
        reverse("forums:task_edit", args=[forum.slug, task.pk]), _edit_data(task, due_on=new_due.strftime("%d.%m.%Y"))
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.overdue_notice_sent_at is None
    committed(services.tasks_send_overdue_notices)
    assert len(mail.outbox) == 2  # not overdue now
    committed(
        services.tasks_send_overdue_notices, today=new_due + datetime.timedelta(days=1)
    )  # a week later: late again
    committed(services.tasks_send_overdue_notices, today=new_due + datetime.timedelta(days=2))
    assert len(mail.outbox) == 4


def test_the_next_round_of_a_recurring_task_gets_its_own_notice(world, forum, committed):
    task = overdue_task(forum, responsible_person=world.users["holtalen_contact"], recurrence=Recurrence.MONTHLY)
    committed(services.tasks_send_overdue_notices)
    following = services.task_complete(actor=world.users["holtalen_contact"], task=task)
    assert following.overdue_notice_sent_at is None
    committed(services.tasks_send_overdue_notices, today=following.due_on + datetime.timedelta(days=1))
    following.refresh_from_db()
    assert following.overdue_notice_sent_at is not None
    assert len(mail.outbox) == 4


def test_the_console_script_runs_the_command(monkeypatch):
    """`kompetansebro send-task-reminders` (what cron runs) reaches this command. Not run through the script here:
    a management command run from argv closes the database connection, which ends the test's transaction."""
    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    cli_main(["send-task-reminders", "--dry-run"])
    assert seen == [["kompetansebro", "send_task_reminders", "--dry-run"]]
    assert get_commands()["send_task_reminders"] == "kompetansebro.forums"


@pytest.mark.usefixtures("english")
def test_the_forum_and_meeting_pages_show_the_sections(world, forum, manager, client_for):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum))
    FollowUpTaskFactory(forum=forum, case=case, title="Følg opp vedtaket")
    meeting_html = manager.get(case.meeting.get_absolute_url()).content.decode()
    assert "Følg opp vedtaket" in meeting_html
    assert reverse("forums:task_create", args=[forum.slug]) + f"?case={case.pk}&amp;next=" in meeting_html
    assert "Følg opp vedtaket" in manager.get(forum.get_absolute_url()).content.decode()
    outsider_html = client_for("company_member").get(forum.get_absolute_url()).content.decode()
    assert "Følg opp vedtaket" not in outsider_html
