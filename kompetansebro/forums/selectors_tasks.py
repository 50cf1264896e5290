"""Reads for the follow-up task pages and sections: querysets with what the pages show joined in, so that a
page costs the same number of queries however many tasks there are."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kompetansebro.forums.access import forum_access
from kompetansebro.forums.models import AgendaCase, FollowUpTask, Forum, Meeting
from kompetansebro.organisations.access import access_profile


class TaskView:
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    ALL = (OPEN, OVERDUE, DONE)


def _with_people(tasks: QuerySet) -> QuerySet:
    return tasks.select_related("responsible_person", "responsible_organisation", "case", "done_by")


def forum_tasks(forum: Forum, view: str, today: datetime.date) -> QuerySet:
    """The forum's tasks for one view: open (overdue first: the earliest due date first), only the overdue
    ones, or done (the latest first)."""
    tasks = _with_people(FollowUpTask.objects.filter(forum=forum))
    if view == TaskView.DONE:
        return tasks.filter(done_at__isnull=False).order_by("-done_at", "-pk")
    tasks = tasks.filter(done_at__isnull=True)
    if view == TaskView.OVERDUE:
        tasks = tasks.filter(due_on__lt=today)
    return tasks.order_by("due_on", "pk")


@dataclass(frozen=True)
class TaskCounts:
    open: int
    overdue: int
    done: int


def forum_task_counts(forum: Forum, today: datetime.date) -> TaskCounts:
    """How many of the forum's tasks are open, overdue and done. One query."""
    counts = FollowUpTask.objects.filter(forum=forum).aggregate(
        open=Count("pk", filter=Q(done_at__isnull=True)),
        overdue=Count("pk", filter=Q(done_at__isnull=True, due_on__lt=today)),
        done=Count("pk", filter=Q(done_at__isnull=False)),
    )
    return TaskCounts(**counts)


def forum_next_tasks(forum: Forum, today: datetime.date, limit: int = 5) -> list[FollowUpTask]:
    return list(forum_tasks(forum, TaskView.OPEN, today)[:limit])


def meeting_tasks(meeting: Meeting) -> list[FollowUpTask]:
    """Tasks created from the cases on this meeting's agenda (and the later rounds of recurring ones)."""
    return list(
        _with_people(FollowUpTask.objects.filter(case__meeting=meeting)).order_by(
            "case__position", "case__number", "done_at", "due_on", "pk"
        )
    )


def meeting_cases(meeting: Meeting) -> list[AgendaCase]:
    return list(AgendaCase.objects.filter(meeting=meeting).order_by("position", "kind", "number", "pk"))


def overdue_tasks_for(user, today: datetime.date) -> QuerySet:
    """Overdue tasks in every forum the person manages, and those they are responsible for (themselves or
    through an organisation they belong to)."""
    tasks = FollowUpTask.objects.filter(done_at__isnull=True, due_on__lt=today)
    if not (user.is_active and user.is_superuser):
        profile = access_profile(user)
        tasks = tasks.filter(
            Q(forum_id__in=forum_access(user).secretariat_forum_ids)
            | Q(forum__region_id__in=profile.secretariat_region_ids)
            | Q(forum__owner_id__in=profile.admin_org_ids)
            | Q(responsible_person=user)
            | Q(responsible_organisation_id__in=profile.member_org_ids)
        )
    return _with_people(tasks).select_related("forum").order_by("due_on", "forum__name", "pk")


def task_for_page(slug: str, pk: int) -> FollowUpTask | None:
    return (
        _with_people(FollowUpTask.objects.select_related("forum"))
        .filter(forum__slug=slug, pk=pk)
        .select_related("next")
        .first()
    )
