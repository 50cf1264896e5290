"""Every change to follow-up tasks: validated, atomic, recorded in the history; e-mail after commit.

Callers decide permissions with forums/rules.py first (forums.manage_forum to create and edit,
forums.complete_task to mark done); these functions check that the data and the step are valid.

Recurring tasks: completing one creates the next in the same transaction, due the recurrence's number of
calendar months after the previous *due* date (not after the day it was done), linked by `previous`.
Overdue notices: `tasks_send_overdue_notices` (the `send-task-reminders` command) acts on database state —
an open task due before today whose `overdue_notice_sent_at` is empty — so running it twice, or after a missed
day, sends exactly one notice per overdue task."""

import calendar
import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import diff, log_action, model_label, snapshot
from kompetansebro.core.versioning import save_versioned
from kompetansebro.forums.models import (
    RECURRENCE_MONTHS,
    AgendaCase,
    FollowUpTask,
    Forum,
    ForumMembership,
    MemberRole,
    Recurrence,
)
from kompetansebro.organisations.models import MembershipRole, Organisation

logger = logging.getLogger(__name__)

TASK_FIELDS = ["title", "description", "responsible_person", "responsible_organisation", "due_on", "recurrence"]
HISTORY_FIELDS = [*TASK_FIELDS, "case"]
ORGANISATION_RECIPIENT_ROLES = (MembershipRole.CONTACT, MembershipRole.ADMIN)


# ---- dates ----------------------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved `months` calendar months on; a day that the target month lacks becomes its last day
    (31 January + 1 month = 28 or 29 February)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_due_on(due_on: datetime.date, recurrence: str) -> datetime.date | None:
    """When the next task of a recurring task is due, counted from the previous due date; None if it does not
    repeat."""
    months = RECURRENCE_MONTHS.get(Recurrence(recurrence or ""))
    return add_months(due_on, months) if months else None


def is_overdue(task: FollowUpTask, today: datetime.date | None = None) -> bool:
    return task.done_at is None and task.due_on < (today or timezone.localdate())


# ---- create, edit, complete ------------------------------------------------------------------------------------


def _check(
    *,
    forum: Forum,
    title: str,
    responsible_person,
    responsible_organisation,
    due_on,
    recurrence: str,
    case: AgendaCase | None,
    new_due_date: bool,
) -> None:
    errors: dict[str, list] = {}
    if not title:
        errors["title"] = [_("Describe the task.")]
    if responsible_person is None and responsible_organisation is None:
        errors["responsible_person"] = [_("Choose a responsible person or a responsible organisation (or both).")]
    if responsible_person is not None and not responsible_person.is_active:
        errors["responsible_person"] = [_("The responsible person must have an active user account.")]
    if due_on is None:
        errors["due_on"] = [_("Choose the due date.")]
    elif new_due_date and due_on < timezone.localdate():
        errors["due_on"] = [_("The due date cannot be in the past.")]
    if (recurrence or "") not in Recurrence.values:
        errors["recurrence"] = [_("Choose how often the task repeats.")]
    if case is not None and case.forum_id != forum.pk:
        errors["case"] = [_("The case belongs to another forum.")]
    if errors:
        raise ValidationError(errors)


def task_create(
    *,
    actor,
    forum: Forum,
    title: str,
    due_on: datetime.date,
    responsible_person: User | None = None,
    responsible_organisation: Organisation | None = None,
    description: str = "",
    recurrence: str = "",
    case: AgendaCase | None = None,
) -> FollowUpTask:
    """A follow-up task in `forum`, optionally from one of its cases (a decision's follow-up)."""
    title, description = (title or "").strip(), (description or "").strip()
    _check(
        forum=forum,
        title=title,
        responsible_person=responsible_person,
        responsible_organisation=responsible_organisation,
        due_on=due_on,
        recurrence=recurrence,
        case=case,
        new_due_date=True,
    )
    with transaction.atomic():
        task = FollowUpTask.objects.create(
            forum=forum,
            case=case,
            title=title,
            description=description,
            responsible_person=responsible_person,
            responsible_organisation=responsible_organisation,
            due_on=due_on,
            recurrence=recurrence or "",
        )
        log_action(actor=actor, action="forums.task.created", target=task, data=snapshot(task, HISTORY_FIELDS))
    return task


def task_update(*, actor, task: FollowUpTask, data: dict, expected_version: int) -> FollowUpTask:
    """Change the fields in `data` (see TASK_FIELDS). A done task is history and cannot be changed. A due date
    moved to today or later clears the overdue notice, so the task is notified again if it becomes overdue.

    Raises ConcurrentEditError when someone else saved the task after `expected_version`."""
    stored = FollowUpTask.objects.select_related("responsible_person", "responsible_organisation", "case").get(
        pk=task.pk
    )
    if stored.done_at is not None:
        raise ValidationError(_("This task is done and can no longer be changed."))
    before = snapshot(stored, HISTORY_FIELDS)
    changed = [name for name in TASK_FIELDS if name in data]
    for name in changed:
        value = data[name]
        if name in ("title", "description"):
            value = (value or "").strip()
        if name == "recurrence":
            value = value or ""
        setattr(task, name, value)
    _check(
        forum=task.forum,
        title=task.title,
        responsible_person=task.responsible_person,
        responsible_organisation=task.responsible_organisation,
        due_on=task.due_on,
        recurrence=task.recurrence,
        case=None,
        new_due_date=task.due_on != stored.due_on,
    )
    update_fields = list(changed)
    if task.due_on >= timezone.localdate() and stored.overdue_notice_sent_at is not None:
        task.overdue_notice_sent_at = None
        update_fields.append("overdue_notice_sent_at")
    with transaction.atomic():
        save_versioned(task, expected_version=expected_version, update_fields=update_fields)
        changes = diff(before, snapshot(task, HISTORY_FIELDS), model=FollowUpTask)
        if changes:
            log_action(
                actor=actor,
                action="forums.task.changed",
                target=task,
                changes=changes,
                data={"overdue_notice_reset": True} if "overdue_notice_sent_at" in update_fields else None,
            )
    return task


class TaskAlreadyDone(ValidationError):
    """Raised by task_complete when someone already marked the task done; carries the stored task."""

    def __init__(self, task: FollowUpTask):
        super().__init__(_("This task was already marked as done."))
        self.task = task


def task_complete(*, actor, task: FollowUpTask) -> FollowUpTask | None:
    """Mark the task done. For a recurring task, the next one is created in the same transaction (due the
    recurrence's months after this one's due date) and returned; otherwise None.

    Done twice (a double click, two people at once) gives one next task: the second call finds the task done
    under its row lock and raises TaskAlreadyDone."""
    with transaction.atomic():
        current = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        if current.done_at is not None:
            raise TaskAlreadyDone(current)
        now = timezone.now()
        current.done_at = now
        current.done_by = actor if getattr(actor, "is_authenticated", False) else None
        current.version += 1
        current.save(update_fields=["done_at", "done_by", "version"])
        task.done_at, task.done_by, task.version = current.done_at, current.done_by, current.version
        log_action(
            actor=actor,
            action="forums.task.done",
            target=current,
            changes={"done_at": {"old": None, "new": now.isoformat(), "model": model_label(FollowUpTask)}},
        )
        due_on = next_due_on(current.due_on, current.recurrence)
        if due_on is None:
            return None
        following = FollowUpTask.objects.create(
            forum_id=current.forum_id,
            case_id=current.case_id,
            title=current.title,
            description=current.description,
            responsible_person_id=current.responsible_person_id,
            responsible_organisation_id=current.responsible_organisation_id,
            due_on=due_on,
            recurrence=current.recurrence,
            previous=current,
        )
        log_action(
            actor=actor,
            action="forums.task.created",
            target=following,
            data={**snapshot(following, HISTORY_FIELDS), "previous": current.pk},
        )
    return following


# ---- overdue notices -------------------------------------------------------------------------------------------


@dataclass
class OverdueNotice:
    task: FollowUpTask
    recipients: list[User] = field(default_factory=list)


@dataclass
class NoticeRun:
    notices: list[OverdueNotice] = field(default_factory=list)
    without_recipients: list[FollowUpTask] = field(default_factory=list)

    @property
    def emails(self) -> int:
        return sum(len(notice.recipients) for notice in self.notices)


def _organisation_recipients(organisation_ids) -> dict[int, set[int]]:
    rows = User.objects.filter(
        is_active=True,
        memberships__organisation_id__in=list(organisation_ids),
        memberships__role__in=ORGANISATION_RECIPIENT_ROLES,
    ).values_list("memberships__organisation_id", "pk")
    result: dict[int, set[int]] = {}
    for organisation_id, user_id in rows:
        result.setdefault(organisation_id, set()).add(user_id)
    return result


def _secretariat_recipients(forum_ids, today: datetime.date) -> dict[int, set[int]]:
    rows = (
        ForumMembership.objects.filter(
            forum_id__in=list(forum_ids), role=MemberRole.SECRETARIAT, starts_on__lte=today, person__is_active=True
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("forum_id", "person_id")
    )
    result: dict[int, set[int]] = {}
    for forum_id, person_id in rows:
        result.setdefault(forum_id, set()).add(person_id)
    return result


def overdue_notice_recipients(tasks: list[FollowUpTask], today: datetime.date) -> dict[int, list[User]]:
    """Per task: the responsible person (or, without one, the contact persons and administrators of the
    responsible organisation) and the forum's current secretariat members, each once, sorted by e-mail.
    Three queries however many tasks."""
    by_organisation = _organisation_recipients(
        {task.responsible_organisation_id for task in tasks if task.responsible_person_id is None}
    )
    by_forum = _secretariat_recipients({task.forum_id for task in tasks}, today)
    wanted: dict[int, set[int]] = {}
    for task in tasks:
        ids = set(by_forum.get(task.forum_id, ()))
        if task.responsible_person_id is not None:
            if task.responsible_person.is_active:
                ids.add(task.responsible_person_id)
        else:
            ids |= by_organisation.get(task.responsible_organisation_id, set())
        wanted[task.pk] = ids
    people = User.objects.in_bulk({user_id for ids in wanted.values() for user_id in ids})
    return {
        task_pk: sorted((people[i] for i in ids if i in people), key=lambda user: user.email)
        for task_pk, ids in wanted.items()
    }


def _due_for_notice(today: datetime.date):
    return (
        FollowUpTask.objects.filter(done_at__isnull=True, overdue_notice_sent_at__isnull=True, due_on__lt=today)
        .select_related("forum", "responsible_person", "responsible_organisation")
        .order_by("due_on", "pk")
    )


def _overdue_url() -> str:
    """The overdue list: it shows the task to every recipient (the responsible person need not be a member)."""
    return settings.SITE_URL.rstrip("/") + reverse("forums:tasks_overdue")


def _send_overdue_mail(user: User, task: FollowUpTask) -> None:
    try:
        with translation.override(user.language):
            context = {"user": user, "task": task, "forum": task.forum, "tasks_url": _overdue_url()}
            subject = render_to_string("forums/emails/task_overdue_subject.txt", context).strip()
            body = render_to_string("forums/emails/task_overdue.txt", context)
        send_mail(subject, body, None, [user.email])
    except Exception:  # one failed address must not stop the others; the run is logged for the operators
        logger.exception("Overdue notice for task %s to user %s could not be sent", task.pk, user.pk)


def tasks_send_overdue_notices(*, today: datetime.date | None = None, dry_run: bool = False) -> NoticeRun:
    """For cron: one e-mail per recipient for every open task that is overdue and not yet notified; the task
    then remembers that it was (overdue_notice_sent_at). A task without anyone to notify is left for a later
    run (someone may join the secretariat). `dry_run` reports what would be sent and changes nothing."""
    today = today or timezone.localdate()
    run = NoticeRun()
    if dry_run:
        tasks = list(_due_for_notice(today))
        recipients = overdue_notice_recipients(tasks, today)
        for task in tasks:
            if recipients[task.pk]:
                run.notices.append(OverdueNotice(task, recipients[task.pk]))
            else:
                run.without_recipients.append(task)
        return run
    with transaction.atomic():
        # Locked, so that two runs at once cannot both notify a task: the second waits and then finds it notified.
        tasks = list(_due_for_notice(today).select_for_update(of=("self",)))
        recipients = overdue_notice_recipients(tasks, today)
        now = timezone.now()
        notified = []
        for task in tasks:
            people = recipients[task.pk]
            if not people:
                run.without_recipients.append(task)
                continue
            task.overdue_notice_sent_at = now
            notified.append(task)
            run.notices.append(OverdueNotice(task, people))
            log_action(
                actor=None,
                action="forums.task.overdue_notice_sent",
                target=task,
                data={"recipients": [person.get_full_name() for person in people], "due_on": task.due_on.isoformat()},
            )
            for person in people:
                transaction.on_commit(lambda person=person, task=task: _send_overdue_mail(person, task))
        FollowUpTask.objects.bulk_update(notified, ["overdue_notice_sent_at"])
    return run
