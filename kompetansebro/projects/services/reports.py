"""Status reports (seed 000: "two written project reports per calendar year", and the project leader orients
the council at least once a year): scheduling a year's reports, filling them in from the scheme's questions
and economic report, submitting them, the yearly orientation as a forum follow-up task, and the reminders.

Callers decide permissions with projects/rules.py first (projects.manage_project to schedule and to create the
orientation task, projects.submit_report to fill in and submit); these functions check that the data and the
step are valid, write inside transaction.atomic and record the project's history.

Reminders (`reports_send_reminders`, the `send-project-reminders` command) act on database state only: a
report not yet submitted whose reminder is unsent and whose due date is at most N days away (and not passed)
gets one reminder; one whose due date has passed and whose overdue notice is unsent gets one notice. The rows
are locked and marked sent in the same transaction, and the e-mails go after the commit, so running twice, or
two runs at once, sends each e-mail exactly once."""

import calendar
import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import log_action, model_label
from kompetansebro.core.money import format_nok
from kompetansebro.core.versioning import save_versioned
from kompetansebro.forums.models import FollowUpTask, Forum, Meeting, Recurrence
from kompetansebro.forums.services.tasks import add_months, task_create
from kompetansebro.grants.models import ReportQuestion
from kompetansebro.organisations.models import Membership, MembershipRole, RegionRole, RegionRoleKind
from kompetansebro.projects.models import Project, ProjectStatus, ReportStatus, StatusReport
from kompetansebro.projects.selectors_economy import budget_lines, financing_sources, project_check

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = 14
REPORTS_PER_YEAR = (1, 2, 4)
DEFAULT_DUE_DAY = 15
DEFAULT_MONTHS_AFTER = 2  # 1 Jan–30 Jun due 15 August, 1 Jul–31 Dec due 15 February
SUBMITTED_MESSAGE = gettext_lazy("This report has been submitted and can no longer be changed.")
CLOSED_MESSAGE = gettext_lazy("The project is closed: no new status reports are scheduled.")


def reminder_days() -> int:
    return int(getattr(settings, "PROJECT_REPORT_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


# ---- the schedule ---------------------------------------------------------------------------------------------


def report_periods(year: int, per_year: int = 2) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar year split into `per_year` periods (1, 2 or 4): [(first day, last day), …]."""
    if per_year not in REPORTS_PER_YEAR:
        raise ValueError(f"per_year must be one of {REPORTS_PER_YEAR}")
    months = 12 // per_year
    periods = []
    for index in range(per_year):
        first_month = index * months + 1
        last_month = first_month + months - 1
        periods.append(
            (
                datetime.date(year, first_month, 1),
                datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
            )
        )
    return periods


def report_due_on(
    period_end: datetime.date, *, due_day: int = DEFAULT_DUE_DAY, months_after: int = DEFAULT_MONTHS_AFTER
) -> datetime.date:
    """Day `due_day` of the `months_after`-th month after the period's last month (30 June → 15 August)."""
    month = add_months(period_end.replace(day=1), months_after)
    return month.replace(day=min(due_day, calendar.monthrange(month.year, month.month)[1]))


def report_title(start: datetime.date, per_year: int) -> str:
    if per_year == 1:
        return _("Status report %(year)s") % {"year": start.year}
    if per_year == 2:
        if start.month == 1:
            return _("Status report, first half of %(year)s") % {"year": start.year}
        return _("Status report, second half of %(year)s") % {"year": start.year}
    return _("Status report, quarter %(quarter)s %(year)s") % {
        "quarter": (start.month - 1) // 3 + 1,
        "year": start.year,
    }


def report_schedule(
    *,
    actor,
    project: Project,
    year: int,
    per_year: int = 2,
    due_day: int = DEFAULT_DUE_DAY,
    months_after: int = DEFAULT_MONTHS_AFTER,
) -> list[StatusReport]:
    """Create the status reports of `year` (two by default: 1 January–30 June due 15 August and 1 July–31
    December due 15 February the next year). Periods outside the project's period are left out, and so are
    those that already have a report: scheduling the same year again creates nothing. Returns the new ones."""
    errors: dict[str, list] = {}
    if project.status == ProjectStatus.CLOSED:
        raise ValidationError(CLOSED_MESSAGE)
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Choose a year between 2000 and 2100.")]
    if per_year not in REPORTS_PER_YEAR:
        errors["per_year"] = [_("Choose one, two or four reports a year.")]
    if not 1 <= int(due_day) <= 31:
        errors["due_day"] = [_("Choose a day of the month from 1 to 31.")]
    if not 0 <= int(months_after) <= 12:
        errors["months_after"] = [_("Choose from 0 to 12 months after the period.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Locked, so that two people scheduling at once cannot both create the same period's report.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        existing = set(
            StatusReport.objects.filter(project=project).values_list("period_start", "period_end").order_by()
        )
        created = []
        for start, end in report_periods(int(year), per_year):
            if (start, end) in existing:
                continue
            if project.starts_on and end < project.starts_on or project.ends_on and start > project.ends_on:
                continue
            created.append(
                StatusReport.objects.create(
                    project=project,
                    title=report_title(start, per_year),
                    period_start=start,
                    period_end=end,
                    due_on=report_due_on(end, due_day=due_day, months_after=months_after),
                )
            )
        if created:
            log_action(
                actor=actor,
                action="projects.report.scheduled",
                target=project,
                changes={
                    f"report.{report.pk}": {
                        "old": None,
                        "new": report.due_on.isoformat(),
                        "model": model_label(StatusReport),
                        "field": "due_on",
                        "object": report.title,
                    }
                    for report in created
                },
                data={"year": int(year), "per_year": per_year, "reports": [report.pk for report in created]},
            )
    return created


# ---- filling in and submitting --------------------------------------------------------------------------------


def report_questions(report: StatusReport) -> list[ReportQuestion]:
    """The questions of the project's scheme's reporting template, in order (none without a scheme)."""
    scheme_id = report.project.scheme_id
    if scheme_id is None:
        return []
    return list(ReportQuestion.objects.filter(scheme_id=scheme_id).order_by("position", "pk"))


def requires_economic_report(report: StatusReport) -> bool:
    scheme = report.project.scheme
    return True if scheme is None else scheme.requires_economic_report


@dataclass
class Answer:
    key: str  # the question's id as text, the key in StatusReport.answers
    question: str
    answer: str
    guidance: str = ""


def report_answers(report: StatusReport, questions: list[ReportQuestion]) -> list[Answer]:
    """The report's answers in the order of the template. A submitted report shows the questions as they were
    answered (their text is kept with the answers); one still being filled in follows the current template."""
    stored = report.answers or {}
    if report.status == ReportStatus.SUBMITTED:
        return [
            Answer(key, value.get("question", ""), value.get("answer", ""))
            for key, value in stored.items()
            if isinstance(value, dict)
        ]
    answers = []
    for question in questions:
        value = stored.get(str(question.pk)) or {}
        answers.append(Answer(str(question.pk), question.text, value.get("answer", ""), question.help_text))
    return answers


def report_update(
    *, actor, report: StatusReport, answers: dict[str, str], economic_report: str, expected_version: int
) -> StatusReport:
    """Save the answers (by question id) and the economic report. Raises ConcurrentEditError when someone else
    saved the report after `expected_version`, ValidationError when it has been submitted."""
    stored = StatusReport.objects.select_related("project").get(pk=report.pk)
    if stored.status == ReportStatus.SUBMITTED:
        raise ValidationError(SUBMITTED_MESSAGE)
    questions = report_questions(stored)
    before = dict(stored.answers or {})
    new_answers = dict(before)
    changes = {}
    for question in questions:
        key = str(question.pk)
        if key not in answers:
            continue
        text = (answers[key] or "").strip()
        old = (before.get(key) or {}).get("answer", "")
        new_answers[key] = {"question": question.text, "answer": text}
        if old != text:
            changes[f"report.{stored.pk}.answer.{key}"] = {
                "old": old or None,
                "new": text or None,
                "object": f"{stored.title} – {question.text}",
            }
    economic_report = (economic_report or "").strip()
    if economic_report != stored.economic_report:
        changes[f"report.{stored.pk}.economic_report"] = {
            "old": stored.economic_report or None,
            "new": economic_report or None,
            "model": model_label(StatusReport),
            "field": "economic_report",
            "object": stored.title,
        }
    report.answers = new_answers
    report.economic_report = economic_report
    with transaction.atomic():
        save_versioned(report, expected_version=expected_version, update_fields=["answers", "economic_report"])
        if changes:
            log_action(
                actor=actor,
                action="projects.report.changed",
                target=stored.project,
                changes=changes,
                data={"report": stored.pk},
            )
    return report


class ReportAlreadySubmitted(ValidationError):
    """Raised by report_submit when someone already submitted the report; carries the stored report."""

    def __init__(self, report: StatusReport):
        super().__init__(_("This report was already submitted."))
        self.report = report


def missing_answers(report: StatusReport, questions: list[ReportQuestion]) -> dict[str, list]:
    """{"answer_<id>": [message], "economic_report": [message]} for what must be filled in before submitting."""
    errors: dict[str, list] = {}
    stored = report.answers or {}
    for question in questions:
        if not ((stored.get(str(question.pk)) or {}).get("answer") or "").strip():
            errors[f"answer_{question.pk}"] = [_("Answer “%(question)s”.") % {"question": question.text}]
    if requires_economic_report(report) and not (report.economic_report or "").strip():
        errors["economic_report"] = [_("Write the economic report: the scheme asks for one.")]
    return errors


def report_submit(*, actor, report: StatusReport) -> StatusReport:
    """Submit the report as saved: every question answered and, when the scheme asks for it, the economic
    report written. Afterwards it is read-only. Submitted twice (two people at once), the second call finds it
    submitted under its row lock and raises ReportAlreadySubmitted."""
    with transaction.atomic():
        current = StatusReport.objects.select_for_update().get(pk=report.pk)
        if current.status == ReportStatus.SUBMITTED:
            raise ReportAlreadySubmitted(current)
        current.project = report.project
        errors = missing_answers(current, report_questions(current))
        if errors:
            raise ValidationError(errors)
        questions = {str(question.pk): question.text for question in report_questions(current)}
        # The submitted report keeps the questions in the template's order, with the texts as answered.
        current.answers = {
            key: {"question": text, "answer": (current.answers.get(key) or {}).get("answer", "")}
            for key, text in questions.items()
        }
        current.status = ReportStatus.SUBMITTED
        current.submitted_at = timezone.now()
        current.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        current.version += 1
        current.save(update_fields=["answers", "status", "submitted_at", "submitted_by", "version"])
        log_action(
            actor=actor,
            action="projects.report.submitted",
            target=report.project,
            changes={
                f"report.{current.pk}.status": {
                    "old": ReportStatus.DUE.value,
                    "new": ReportStatus.SUBMITTED.value,
                    "model": model_label(StatusReport),
                    "field": "status",
                    "object": current.title,
                }
            },
            data={"report": current.pk},
        )
    for name in ("answers", "status", "submitted_at", "submitted_by", "version"):
        setattr(report, name, getattr(current, name))
    return report


def economic_summary(report: StatusReport) -> str:
    """The economic report's starting point: budget, actual costs until the period's end per line, and the
    financing with the co-financing check, as plain text the project leader completes."""
    project = report.project
    lines = budget_lines(project, until=report.period_end)
    check = project_check(project, lines=lines, sources=financing_sources(project))
    total_spent = sum((line.spent for line in lines), Decimal("0"))
    rows = [
        _("Budget %(budget)s; actual costs until %(date)s: %(spent)s.")
        % {
            "budget": format_nok(check.total_costs),
            "date": date_format(report.period_end, "SHORT_DATE_FORMAT"),
            "spent": format_nok(total_spent),
        }
    ]
    for line in lines:
        rows.append(
            "- "
            + _("%(line)s: budget %(budget)s, spent %(spent)s")
            % {"line": line, "budget": format_nok(line.amount), "spent": format_nok(line.spent)}
        )
    rows.append(
        _("Financing: grants %(grants)s, own contribution %(own)s (own share %(share)s).")
        % {
            "grants": format_nok(check.grants),
            "own": format_nok(check.own_contribution),
            "share": check.own_share_display,
        }
    )
    return "\n".join(rows)


# ---- the yearly orientation -----------------------------------------------------------------------------------


def orientation_forums(project: Project):
    """The forums a project reports to: those of its region and those its owner runs."""
    condition = Q(owner_id=project.owner_id)
    if project.region_id is not None:
        condition |= Q(region_id=project.region_id)
    return Forum.objects.filter(condition).order_by("name", "pk")


def orientation_meetings(project: Project, today: datetime.date | None = None):
    """Meetings from today on in the forums the project reports to."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return (
        Meeting.objects.filter(forum__in=orientation_forums(project), starts_at__gte=start)
        .select_related("forum")
        .order_by("forum__name", "starts_at", "pk")
    )


def orientation_title(forum: Forum, project: Project) -> str:
    return _("Project leader orients %(forum)s about %(project)s") % {"forum": forum.name, "project": project.name}


def orientation_task_create(
    *,
    actor,
    report: StatusReport,
    forum: Forum,
    meeting: Meeting | None = None,
    due_on: datetime.date | None = None,
) -> FollowUpTask:
    """The project leader's yearly orientation to a forum the project reports to, as the forum's follow-up task
    (recurring yearly, the leader responsible), due at `meeting` (or on `due_on`), linked from the report."""
    project = report.project
    errors: dict[str, list] = {}
    if report.orientation_task_id is not None:
        raise ValidationError(_("This report already has an orientation task."))
    if project.leader_id is None:
        errors["forum"] = [_("The project has no project leader to orient the forum: choose one first.")]
    if not orientation_forums(project).filter(pk=forum.pk).exists():
        errors["forum"] = [_("Choose a forum of the project's region or its owner.")]
    if meeting is not None:
        if meeting.forum_id != forum.pk:
            errors["meeting"] = [_("The meeting belongs to another forum.")]
        else:
            due_on = timezone.localtime(meeting.starts_at).date()
    if due_on is None and "meeting" not in errors:
        errors["due_on"] = [_("Choose a meeting, or the date by which the forum is oriented.")]
    if errors:
        raise ValidationError(errors)
    description = _("Written report: %(report)s (%(url)s).") % {
        "report": report.title,
        "url": settings.SITE_URL.rstrip("/") + reverse("projects:report", args=[project.slug, report.pk]),
    }
    if meeting is not None:
        description = (
            _("In the meeting %(meeting)s.")
            % {"meeting": date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")}
            + " "
            + description
        )
    with transaction.atomic():
        task = task_create(
            actor=actor,
            forum=forum,
            title=orientation_title(forum, project),
            description=description,
            due_on=due_on,
            responsible_person=project.leader,
            recurrence=Recurrence.YEARLY,
        )
        locked = StatusReport.objects.select_for_update().get(pk=report.pk)
        if locked.orientation_task_id is not None:
            raise ValidationError(_("This report already has an orientation task."))
        locked.orientation_task = task
        locked.save(update_fields=["orientation_task"])
        report.orientation_task = task
        log_action(
            actor=actor,
            action="projects.report.orientation_task_created",
            target=project,
            changes={
                f"report.{report.pk}.orientation_task": {
                    "old": None,
                    "new": task.title,
                    "label": gettext_noop("Orientation"),
                    "object": report.title,
                },
                f"report.{report.pk}.orientation_task.due_on": {
                    "old": None,
                    "new": task.due_on.isoformat(),
                    "model": model_label(FollowUpTask),
                    "field": "due_on",
                    "object": report.title,
                },
            },
            data={"report": report.pk, "task": task.pk, "forum": forum.pk, "meeting": meeting.pk if meeting else None},
        )
    return task


# ---- reminders ------------------------------------------------------------------------------------------------


class NoticeKind:
    REMINDER = "reminder"
    OVERDUE = "overdue"


@dataclass
class ReportNotice:
    report: StatusReport
    kind: str
    recipients: list[User] = field(default_factory=list)


@dataclass
class ReminderRun:
    notices: list[ReportNotice] = field(default_factory=list)
    without_recipients: list[StatusReport] = field(default_factory=list)

    @property
    def emails(self) -> int:
        return sum(len(notice.recipients) for notice in self.notices)

    def of_kind(self, kind: str) -> list[ReportNotice]:
        return [notice for notice in self.notices if notice.kind == kind]


def _open_reports():
    return StatusReport.objects.filter(status=ReportStatus.DUE).exclude(project__status=ProjectStatus.CLOSED)


def reports_due_for_reminder(today: datetime.date, days: int):
    return _open_reports().filter(
        reminder_sent_at__isnull=True, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
    )


def reports_due_for_overdue_notice(today: datetime.date):
    return _open_reports().filter(overdue_notice_sent_at__isnull=True, due_on__lt=today)


def notice_recipients(reports: list[StatusReport], kinds: dict[int, str]) -> dict[int, list[User]]:
    """Per report: the project leader (without one, the owner organisation's administrators and contact
    persons); overdue notices also go to the secretariat of the project's region. Each person once, sorted by
    e-mail. Three queries however many reports."""
    owners = {report.project.owner_id for report in reports if report.project.leader_id is None}
    by_owner: dict[int, set[int]] = {}
    for organisation_id, user_id in Membership.objects.filter(
        organisation_id__in=owners,
        role__in=(MembershipRole.ADMIN, MembershipRole.CONTACT),
        user__is_active=True,
    ).values_list("organisation_id", "user_id"):
        by_owner.setdefault(organisation_id, set()).add(user_id)
    regions = {
        report.project.region_id
        for report in reports
        if kinds[report.pk] == NoticeKind.OVERDUE and report.project.region_id is not None
    }
    by_region: dict[int, set[int]] = {}
    for region_id, user_id in RegionRole.objects.filter(
        region_id__in=regions, role=RegionRoleKind.SECRETARIAT, user__is_active=True
    ).values_list("region_id", "user_id"):
        by_region.setdefault(region_id, set()).add(user_id)
    wanted: dict[int, set[int]] = {}
    for report in reports:
        project = report.project
        ids = set()
        if project.leader_id is not None and project.leader.is_active:
            ids.add(project.leader_id)
        elif project.leader_id is None:
            ids |= by_owner.get(project.owner_id, set())
        if kinds[report.pk] == NoticeKind.OVERDUE:
            ids |= by_region.get(project.region_id, set())
        wanted[report.pk] = ids
    people = User.objects.in_bulk({user_id for ids in wanted.values() for user_id in ids})
    return {
        pk: sorted((people[i] for i in ids if i in people), key=lambda user: user.email) for pk, ids in wanted.items()
    }


def _report_url(report: StatusReport) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("projects:report", args=[report.project.slug, report.pk])


def _send_notice(user: User, report: StatusReport, kind: str) -> None:
    try:
        with translation.override(user.language):
            context = {"user": user, "report": report, "project": report.project, "report_url": _report_url(report)}
            subject = render_to_string(f"projects/emails/report_{kind}_subject.txt", context).strip()
            body = render_to_string(f"projects/emails/report_{kind}.txt", context)
        send_mail(subject, body, None, [user.email])
    except Exception:  # one failed address must not stop the others; the run is logged for the operators
        logger.exception("Report %s notice for report %s to user %s could not be sent", kind, report.pk, user.pk)


def reports_send_reminders(
    *, today: datetime.date | None = None, days: int | None = None, dry_run: bool = False
) -> ReminderRun:
    """For cron: one reminder per report due within `days` (PROJECT_REPORT_REMINDER_DAYS, 14 by default) and
    one notice per overdue report, each only once. A report without anyone to notify is left for a later run.
    `dry_run` reports what would be sent and changes nothing."""
    today = today or timezone.localdate()
    days = reminder_days() if days is None else days
    run = ReminderRun()
    related = ("project", "project__leader")
    with transaction.atomic():
        reminders = reports_due_for_reminder(today, days).select_related(*related).order_by("due_on", "pk")
        overdue = reports_due_for_overdue_notice(today).select_related(*related).order_by("due_on", "pk")
        if not dry_run:
            # Locked, so that two runs at once cannot both notify a report: the second waits, then finds it sent.
            reminders = reminders.select_for_update(of=("self",))
            overdue = overdue.select_for_update(of=("self",))
        batches = [(NoticeKind.REMINDER, list(reminders)), (NoticeKind.OVERDUE, list(overdue))]
        kinds = {report.pk: kind for kind, reports in batches for report in reports}
        recipients = notice_recipients([report for _kind, reports in batches for report in reports], kinds)
        now = timezone.now()
        for kind, reports in batches:
            marked = []
            for report in reports:
                people = recipients[report.pk]
                if not people:
                    run.without_recipients.append(report)
                    continue
                run.notices.append(ReportNotice(report, kind, people))
                if dry_run:
                    continue
                if kind == NoticeKind.REMINDER:
                    report.reminder_sent_at = now
                else:
                    report.overdue_notice_sent_at = now
                marked.append(report)
                log_action(
                    actor=None,
                    action=f"projects.report.{kind}_sent",
                    target=report,
                    data={
                        "recipients": [person.get_full_name() for person in people],
                        "due_on": report.due_on.isoformat(),
                    },
                )
                for person in people:
                    transaction.on_commit(
                        lambda person=person, report=report, kind=kind: _send_notice(person, report, kind)
                    )
            if marked:
                field_name = "reminder_sent_at" if kind == NoticeKind.REMINDER else "overdue_notice_sent_at"
                StatusReport.objects.bulk_update(marked, [field_name])
    return run
