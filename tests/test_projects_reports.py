"""Status reports: the schedule (two a year, due 15 August and 15 February, idempotent), filling in from the
scheme's questions with the economic report prefilled, submitting (required answers, read-only afterwards),
the project report as PDF, the project leader's yearly orientation as a forum follow-up task, and the
`send-project-reminders` command (exactly once across runs, nothing for submitted reports, the N-days
boundary)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.forums.models import FollowUpTask, Recurrence
from kompetansebro.grants.models import ReportQuestion
from kompetansebro.projects.models import ProjectStatus, ReportStatus, StatusReport
from kompetansebro.projects.services import reports as services
from tests.forum_factories import MeetingFactory
from tests.grant_factories import BudgetLineFactory, FinancingSourceFactory, GrantSchemeFactory, ProjectFactory
from tests.test_forums import forum_in

D = Decimal
DEKOM_QUESTIONS = [
    "Lokal forankring",
    "Unngå fragmentering",
    "Skolebasert tilnærming",
    "Elevenes stemme",
]


@pytest.fixture
def scheme(db):
    scheme = GrantSchemeFactory(name="DEKOM", requires_economic_report=True)
    for position, text in enumerate(DEKOM_QUESTIONS):
        ReportQuestion.objects.create(scheme=scheme, position=position, text=text)
    return scheme


@pytest.fixture
def project(world, scheme):
    return ProjectFactory(
        name="Utdanning i bedrift",
        owner=world.council,
        region=world.region,
        scheme=scheme,
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2028, 6, 30),
    )


def make_report(project, *, due_on, status=ReportStatus.DUE, **extra) -> StatusReport:
    return StatusReport.objects.create(
        project=project,
        title="Statusrapport",
        period_start=due_on - datetime.timedelta(days=200),
        period_end=due_on - datetime.timedelta(days=45),
        due_on=due_on,
        status=status,
        **extra,
    )


def answers_for(report, text="Svar"):
    return {str(q.pk): f"{text} {q.position}" for q in services.report_questions(report)}


# ---- the schedule ----------------------------------------------------------------------------------------------


def test_two_reports_a_year_due_15_august_and_15_february(world, project):
    created = services.report_schedule(actor=world.users["secretariat_sor"], project=project, year=2026)
    assert [(r.period_start, r.period_end, r.due_on) for r in created] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), datetime.date(2026, 8, 15)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31), datetime.date(2027, 2, 15)),
    ]
    assert all(r.status == ReportStatus.DUE for r in created)
    # scheduling the same year again creates nothing and records nothing
    assert services.report_schedule(actor=None, project=project, year=2026) == []
    assert StatusReport.objects.filter(project=project).count() == 2
    assert AuditEntry.objects.filter(action="projects.report.scheduled").count() == 1


def test_schedule_leaves_out_periods_outside_the_project(project):
    created = services.report_schedule(actor=None, project=project, year=2025)
    assert [r.period_start for r in created] == [datetime.date(2025, 7, 1)]  # the project starts 1 September
    assert services.report_schedule(actor=None, project=project, year=2029) == []


def test_schedule_is_configurable(project):
    yearly = services.report_schedule(actor=None, project=project, year=2027, per_year=1, due_day=1, months_after=1)
    assert [(r.period_start, r.period_end, r.due_on) for r in yearly] == [
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), datetime.date(2028, 1, 1))
    ]
    quarterly = services.report_schedule(actor=None, project=project, year=2026, per_year=4, due_day=31, months_after=1)
    assert [r.due_on for r in quarterly] == [
        datetime.date(2026, 4, 30),
        datetime.date(2026, 7, 31),
        datetime.date(2026, 10, 31),
        datetime.date(2027, 1, 31),
    ]
    with pytest.raises(ValidationError):
        services.report_schedule(actor=None, project=project, year=2026, per_year=3)


def test_no_reports_for_a_closed_project(project):
    project.status = ProjectStatus.CLOSED
    project.save()
    with pytest.raises(ValidationError):
        services.report_schedule(actor=None, project=project, year=2026)


def test_schedule_page_for_managers(client_for, project):
    response = client_for("secretariat_sor").post(
        reverse("projects:report_schedule", args=[project.slug]),
        {"year": "2026", "per_year": "2", "due_day": "15", "months_after": "2"},
    )
    assert response.status_code == 302
    assert StatusReport.objects.filter(project=project).count() == 2
    response = client_for("secretariat_sor").post(
        reverse("projects:report_schedule", args=[project.slug]), {"year": "tjue"}
    )
    assert response.status_code == 302
    assert StatusReport.objects.filter(project=project).count() == 2


# ---- filling in and submitting ---------------------------------------------------------------------------------


def test_fill_in_save_and_submit(world, project):
    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    services.report_update(
        actor=project.leader, report=report, answers={}, economic_report="", expected_version=report.version
    )
    with pytest.raises(ValidationError) as error:
        services.report_submit(actor=project.leader, report=report)
    assert set(error.value.error_dict) == {f"answer_{q.pk}" for q in services.report_questions(report)} | {
        "economic_report"
    }
    services.report_update(
        actor=project.leader,
        report=report,
        answers=answers_for(report),
        economic_report="Budsjett kr 600 000.",
        expected_version=report.version,
    )
    services.report_submit(actor=project.leader, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == project.leader
    assert [a.question for a in services.report_answers(report, [])] == DEKOM_QUESTIONS
    with pytest.raises(ValidationError):
        services.report_update(
            actor=None, report=report, answers={}, economic_report="x", expected_version=report.version
        )
    with pytest.raises(services.ReportAlreadySubmitted):
        services.report_submit(actor=None, report=report)
    changed = AuditEntry.objects.filter(action="projects.report.changed").last()
    assert any(change["object"].endswith("Lokal forankring") for change in changed.changes.values())
    assert AuditEntry.objects.filter(action="projects.report.submitted").count() == 1


def test_a_stale_save_is_refused(project):
    from kompetansebro.core.versioning import ConcurrentEditError

    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    version = report.version
    services.report_update(actor=None, report=report, answers={}, economic_report="A", expected_version=version)
    with pytest.raises(ConcurrentEditError):
        services.report_update(actor=None, report=report, answers={}, economic_report="B", expected_version=version)


def test_economic_report_is_not_required_when_the_scheme_does_not_ask(project, scheme):
    scheme.requires_economic_report = False
    scheme.save()
    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    services.report_update(
        actor=None, report=report, answers=answers_for(report), economic_report="", expected_version=report.version
    )
    services.report_submit(actor=None, report=report)
    assert report.status == ReportStatus.SUBMITTED


def test_economic_summary_counts_costs_until_the_periods_end(english, project):
    line = BudgetLineFactory(project=project, category="travel", description="Reise", amount=D("15000"))
    FinancingSourceFactory(project=project, amount=D("15000"))
    report = make_report(project, due_on=datetime.date(2026, 8, 15))  # period ends 1 July 2026
    line.actual_costs.create(incurred_on=datetime.date(2026, 6, 1), description="Tog", amount=D("1000"))
    line.actual_costs.create(incurred_on=datetime.date(2026, 12, 1), description="Senere", amount=D("5000"))
    text = services.economic_summary(report)
    assert "Budget kr\xa015\xa0000; actual costs until 01.07.2026: kr\xa01\xa0000." in text
    assert "- Reise: budget kr\xa015\xa0000, spent kr\xa01\xa0000" in text


def test_report_pages(client_for, project):
    report = make_report(project, due_on=timezone.localdate() + datetime.timedelta(days=30))
    client = client_for("secretariat_sor")
    page = client.get(reverse("projects:report", args=[project.slug, report.pk]))
    assert page.status_code == 200
    assert "Lokal forankring" in page.content.decode()
    edit = client.get(reverse("projects:report_edit", args=[project.slug, report.pk]))
    assert "Lokal forankring" in edit.content.decode()
    data = {f"answer_{key}": value for key, value in answers_for(report, "Forankret i rådet").items()}
    data.update({"economic_report": "Økonomi", "version": report.version})
    response = client.post(reverse("projects:report_edit", args=[project.slug, report.pk]), {**data, "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # read-only afterwards: the edit page sends back to the report
    assert client.get(reverse("projects:report_edit", args=[project.slug, report.pk])).status_code == 302


def test_submit_with_missing_answers_is_refused_with_a_message(client_for, project):
    report = make_report(project, due_on=timezone.localdate() + datetime.timedelta(days=30))
    response = client_for("secretariat_sor").post(
        reverse("projects:report_submit", args=[project.slug, report.pk]), follow=True
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


def test_project_page_lists_the_reports(client_for, project):
    make_report(project, due_on=timezone.localdate() - datetime.timedelta(days=1))
    content = client_for("secretariat_sor").get(project.get_absolute_url()).content.decode()
    assert 'id="project-reports-heading"' in content
    assert "Statusrapport" in content
    assert reverse("projects:report_schedule", args=[project.slug]) in content


def test_report_pdf(client_for, project):
    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    BudgetLineFactory(project=project)
    response = client_for("secretariat_sor").get(reverse("projects:report_pdf", args=[project.slug, report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_report_pdf_context_has_the_project_and_answers(project):
    from kompetansebro.projects.documents import report_context

    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    context = report_context(report)
    assert [answer.question for answer in context["answers"]] == DEKOM_QUESTIONS
    assert context["project"] == project


# ---- the orientation -------------------------------------------------------------------------------------------


def test_orientation_task_for_the_leader_at_a_meeting(english, world, project):
    forum = forum_in(world, slug="kompetanseforum-sor")
    starts_at = timezone.now() + datetime.timedelta(days=40)
    meeting = MeetingFactory(forum=forum, starts_at=starts_at)
    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    task = services.orientation_task_create(
        actor=world.users["secretariat_sor"], report=report, forum=forum, meeting=meeting
    )
    assert task.forum == forum
    assert task.responsible_person == project.leader
    assert task.recurrence == Recurrence.YEARLY
    assert task.due_on == timezone.localtime(starts_at).date()
    assert task.title == f"Project leader orients {forum.name} about {project.name}"  # nb: Prosjektleder orienterer …
    report.refresh_from_db()
    assert report.orientation_task == task
    with pytest.raises(ValidationError):
        services.orientation_task_create(actor=None, report=report, forum=forum, meeting=meeting)
    assert FollowUpTask.objects.filter(forum=forum).count() == 1


def test_orientation_needs_a_forum_of_the_project_and_a_leader(world, project):
    from tests.forum_factories import ForumFactory

    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    elsewhere = ForumFactory()
    with pytest.raises(ValidationError) as error:
        services.orientation_task_create(
            actor=None, report=report, forum=elsewhere, due_on=timezone.localdate() + datetime.timedelta(days=5)
        )
    assert "forum" in error.value.error_dict
    project.leader = None
    project.save()
    forum = forum_in(world, slug="kompetanseforum-sor")
    with pytest.raises(ValidationError):
        services.orientation_task_create(
            actor=None, report=report, forum=forum, due_on=timezone.localdate() + datetime.timedelta(days=5)
        )


def test_orientation_page(client_for, world, project):
    forum = forum_in(world, slug="kompetanseforum-sor")
    report = make_report(project, due_on=datetime.date(2026, 8, 15))
    url = reverse("projects:orientation_task", args=[project.slug, report.pk])
    client = client_for("secretariat_sor")
    assert forum.name in client.get(url).content.decode()
    due = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(url, {"forum": forum.pk, "due_on": due.strftime("%d.%m.%Y")})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.orientation_task.due_on == due


# ---- reminders -------------------------------------------------------------------------------------------------


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send(**kwargs): a reminder run and then its on-commit callbacks (the e-mails), as a real commit would."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.reports_send_reminders(**kwargs)

    return run


@pytest.fixture
def command(django_capture_on_commit_callbacks):
    def run(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_project_reminders", *args, stdout=out)
        return out.getvalue()

    return run


def test_reminder_n_days_before_and_the_overdue_notice_each_once(world, project, today, settings, send):
    settings.PROJECT_REPORT_REMINDER_DAYS = 14
    due_soon = make_report(project, due_on=today + datetime.timedelta(days=14))
    overdue = make_report(project, due_on=today - datetime.timedelta(days=1))
    first = send()
    assert [(n.report.pk, n.kind) for n in first.notices] == [
        (due_soon.pk, services.NoticeKind.REMINDER),
        (overdue.pk, services.NoticeKind.OVERDUE),
    ]
    # the leader gets both; the region's secretariat gets the overdue notice
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [project.leader.email, project.leader.email, world.users["secretariat_sor"].email]
    )
    second = send()
    assert second.notices == []
    assert len(mail.outbox) == 3
    due_soon.refresh_from_db()
    overdue.refresh_from_db()
    assert due_soon.reminder_sent_at is not None and due_soon.overdue_notice_sent_at is None
    assert overdue.overdue_notice_sent_at is not None


def test_the_n_days_boundary(project, today, settings, send):
    settings.PROJECT_REPORT_REMINDER_DAYS = 14
    make_report(project, due_on=today + datetime.timedelta(days=15))
    assert send().notices == []
    assert send(today=today + datetime.timedelta(days=1)).notices != []
    assert len(mail.outbox) == 1


def test_a_reminder_is_sent_after_a_missed_run(project, today, send):
    make_report(project, due_on=today + datetime.timedelta(days=3))  # the window opened 11 days ago
    assert len(send(days=14).notices) == 1


def test_nothing_for_submitted_reports_or_closed_projects(project, today, send):
    make_report(project, due_on=today - datetime.timedelta(days=3), status=ReportStatus.SUBMITTED)
    make_report(project, due_on=today + datetime.timedelta(days=3), status=ReportStatus.SUBMITTED)
    closed = ProjectFactory(owner=project.owner, status=ProjectStatus.CLOSED)
    make_report(closed, due_on=today - datetime.timedelta(days=3))
    assert send().notices == []
    assert mail.outbox == []


def test_without_a_leader_the_owners_administrators_are_reminded(world, project, today, send):
    from kompetansebro.organisations.models import MembershipRole
    from tests.factories import MembershipFactory

    admin = MembershipFactory(organisation=world.council, role=MembershipRole.ADMIN).user
    project.leader = None
    project.save()
    make_report(project, due_on=today + datetime.timedelta(days=2))
    run = send()
    assert run.notices[0].recipients == [admin]


def test_dry_run_sends_and_changes_nothing(project, today, command):
    report = make_report(project, due_on=today + datetime.timedelta(days=2))
    out = command("--dry-run")
    assert "Statusrapport" in out
    assert "would be sent" in out
    assert mail.outbox == []
    report.refresh_from_db()
    assert report.reminder_sent_at is None


def test_command_twice_sends_once(project, today, command):
    make_report(project, due_on=today + datetime.timedelta(days=2))
    make_report(project, due_on=today - datetime.timedelta(days=2))
    first = command()
    second = command()
    # the leader: one reminder and one overdue notice; the region's secretariat: the overdue notice
    assert len(mail.outbox) == 3
    assert "1 reminder(s) and 1 overdue notice(s) were sent with 3 e-mail(s)" in first
    assert "0 reminder(s) and 0 overdue notice(s) were sent with 0 e-mail(s)" in second


def test_reminder_mail_text(english, project, today, send):
    project.leader.language = "en"
    project.leader.save()
    report = make_report(project, due_on=today + datetime.timedelta(days=2))
    send()
    [message] = mail.outbox
    assert project.name in message.subject
    assert reverse("projects:report", args=[project.slug, report.pk]) in message.body


def test_a_stale_form_shows_the_other_persons_save(client_for, project):
    report = make_report(project, due_on=timezone.localdate() + datetime.timedelta(days=30))
    url = reverse("projects:report_edit", args=[project.slug, report.pk])
    old_version = report.version
    services.report_update(
        actor=None, report=report, answers={}, economic_report="Lagret av en annen", expected_version=old_version
    )
    response = client_for("secretariat_sor").post(url, {"economic_report": "Mitt", "version": old_version})
    assert response.status_code == 200
    assert "Lagret av en annen" in response.content.decode()
    report.refresh_from_db()
    assert report.economic_report == "Lagret av en annen"


def test_report_pages_do_not_grow_with_more_reports(client_for, project, django_assert_max_num_queries):
    client = client_for("secretariat_sor")
    report = make_report(project, due_on=timezone.localdate() + datetime.timedelta(days=30))
    report_url = reverse("projects:report", args=[project.slug, report.pk])
    client.get(project.get_absolute_url())
    with django_assert_max_num_queries(80) as page:
        client.get(project.get_absolute_url())
    with django_assert_max_num_queries(30) as detail:
        client.get(report_url)
    for year in range(2026, 2029):
        services.report_schedule(actor=None, project=project, year=year)
    with django_assert_max_num_queries(len(page.captured_queries)):
        client.get(project.get_absolute_url())
    with django_assert_max_num_queries(len(detail.captured_queries)):
        client.get(report_url)


@pytest.mark.django_db(transaction=True)
def test_runs_at_once_send_each_reminder_once(world, scheme):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row locks matter on PostgreSQL")
    today = timezone.localdate()
    project = ProjectFactory(owner=world.council, region=world.region, scheme=scheme)
    for days in (1, 2, 3):
        make_report(project, due_on=today + datetime.timedelta(days=days))
    make_report(project, due_on=today - datetime.timedelta(days=1))
    counts, errors = [], []

    def run():
        try:
            counts.append(len(services.reports_send_reminders().notices))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counts) == 4  # three reminders and one overdue notice, whichever run sent them
    # the leader gets four e-mails, the secretariat one (the overdue notice)
    assert len(mail.outbox) == 5
