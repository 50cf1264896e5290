"""The follow-up task sections on the forum page and the meeting page read their data here, so the pages that
include them (forums/_forum_tasks_section.html, forums/_meeting_tasks_section.html) need to pass only the forum
or the meeting. Each tag costs a fixed number of queries."""

from django import template
from django.utils import timezone

from kompetansebro.forums.selectors_tasks import forum_next_tasks, forum_task_counts, meeting_cases, meeting_tasks

register = template.Library()


@register.simple_tag
def forum_task_summary(forum):
    """{"counts": open/overdue/done, "next": the next five open tasks, "today": …}. Two queries."""
    today = timezone.localdate()
    tasks = forum_next_tasks(forum, today)
    for task in tasks:
        task.forum = forum
    return {"counts": forum_task_counts(forum, today), "next": tasks, "today": today}


@register.simple_tag
def meeting_task_summary(meeting):
    """{"tasks": tasks from the meeting's cases, "cases": the meeting's cases, "today": …}. Two queries."""
    tasks = meeting_tasks(meeting)
    for task in tasks:
        task.forum = meeting.forum
    return {"tasks": tasks, "cases": meeting_cases(meeting), "today": timezone.localdate()}


@register.filter
def days_until(start, end) -> int:
    """Whole days from `start` to `end` (dates): how long a task has been overdue."""
    return (end - start).days
