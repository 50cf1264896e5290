"""Follow-up task pages: a forum's task list, the form to create (from a case) and edit a task, marking a
task done, and a person's overdue tasks across forums. A forum the person may not see is "not found"; a task
is also reachable by the person responsible for it, member of the forum or not."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.audit.models import AuditEntry
from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.forums.forms_tasks import TaskFilterForm, TaskForm
from kompetansebro.forums.models import AgendaCase, FollowUpTask, Forum
from kompetansebro.forums.selectors_tasks import (
    TaskView,
    forum_task_counts,
    forum_tasks,
    overdue_tasks_for,
    task_for_page,
)
from kompetansebro.forums.services import tasks as services

PER_PAGE = 25


def _forum(request, slug, **_kwargs) -> Forum:
    """The forum if the person may see it; otherwise 404, whether it exists or not."""
    cached = getattr(request, "_kompetansebro_forum", None)
    if cached is not None and cached.slug == slug:
        return cached
    forum = Forum.objects.filter(slug=slug).select_related("owner", "region").first()
    if forum is None or not request.user.has_perm("forums.view_forum", forum):
        raise Http404
    request._kompetansebro_forum = forum
    return forum


def _task(request, slug, pk, **_kwargs) -> FollowUpTask:
    """The task if the person may see its forum or is responsible for it; otherwise 404."""
    cached = getattr(request, "_kompetansebro_task", None)
    if cached is not None and cached.pk == pk:
        return cached
    task = task_for_page(slug, pk)
    if task is None or not (
        request.user.has_perm("forums.view_forum", task.forum) or request.user.has_perm("forums.complete_task", task)
    ):
        raise Http404
    request._kompetansebro_task = task
    return task


def _next_url(request, fallback: str) -> str:
    """Where to go after an action: the page it came from (`next`, only on this site), else `fallback`."""
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@permission_required("forums.view_tasks", fn=_forum)
def task_list(request, slug):
    forum = _forum(request, slug)
    today = timezone.localdate()
    filter_form = TaskFilterForm(request.GET)
    view = filter_form.view()
    page = Paginator(forum_tasks(forum, view, today), PER_PAGE).get_page(request.GET.get("page"))
    for task in page:
        task.forum = forum
    return render(
        request,
        "forums/task_list.html",
        {
            "forum": forum,
            "view": view,
            "views": [(value, str(label)) for value, label in filter_form.fields["vis"].choices],
            "page": page,
            "counts": forum_task_counts(forum, today),
            "today": today,
        },
    )


@permission_required("forums.manage_forum", fn=_forum)
def task_create(request, slug):
    forum = _forum(request, slug)
    case = None
    case_pk = request.GET.get("case", "")
    if case_pk:
        if not case_pk.isdigit():
            raise Http404
        case = get_object_or_404(AgendaCase, pk=case_pk, forum=forum)
    initial = {"title": "", "description": ""}
    if case is not None and hasattr(case, "decision"):
        initial["description"] = case.decision.text
    form = TaskForm(request.POST or None, forum=forum, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                actor=request.user,
                forum=forum,
                case=case,
                title=data["title"],
                description=data["description"],
                responsible_person=data["responsible_person"],
                responsible_organisation=data["responsible_organisation"],
                due_on=data["due_on"],
                recurrence=data["recurrence"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task “%(title)s” has been created.") % {"title": task.title})
            return redirect(_next_url(request, reverse("forums:tasks", args=[forum.slug])))
    return render(request, "forums/task_form.html", {"form": form, "forum": forum, "case": case, "task": None})


def _changed_at(task: FollowUpTask):
    """When the task was last changed (FollowUpTask has no updated_at; its history knows)."""
    return (
        AuditEntry.objects.filter(
            content_type__app_label="forums", content_type__model="followuptask", object_id=str(task.pk)
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@permission_required("forums.manage_forum", fn=_task)
def task_edit(request, slug, pk):
    task = _task(request, slug, pk)
    forum = task.forum
    if task.done_at is not None:
        messages.warning(request, _("This task is done and can no longer be changed."))
        return redirect("forums:tasks", forum.slug)
    form = TaskForm(request.POST or None, instance=task, forum=forum)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.task_update(
                    actor=request.user, task=task, data=form.cleaned_data, expected_version=version
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect("forums:tasks", forum.slug)
            conflict["conflict"].updated_at = _changed_at(task)
    return render(
        request, "forums/task_form.html", {"form": form, "forum": forum, "case": task.case, "task": task, **conflict}
    )


@require_POST
@permission_required("forums.complete_task", fn=_task)
def task_done(request, slug, pk):
    task = _task(request, slug, pk)
    forum = task.forum
    fallback = (
        reverse("forums:tasks", args=[forum.slug])
        if request.user.has_perm("forums.view_tasks", forum)
        else reverse("forums:tasks_overdue")
    )
    try:
        following = services.task_complete(actor=request.user, task=task)
    except services.TaskAlreadyDone as error:
        done = error.task
        who = done.done_by.get_full_name() if done.done_by else _("someone")
        messages.warning(
            request,
            _("“%(title)s” was already marked as done on %(date)s by %(name)s. Nothing was changed.")
            % {
                "title": done.title,
                "date": date_format(timezone.localtime(done.done_at), "SHORT_DATE_FORMAT"),
                "name": who,
            },
        )
    else:
        if following is None:
            messages.success(request, _("“%(title)s” is marked as done.") % {"title": task.title})
        else:
            messages.success(
                request,
                _("“%(title)s” is marked as done. The next round is due %(date)s.")
                % {"title": task.title, "date": date_format(following.due_on, "SHORT_DATE_FORMAT")},
            )
    return redirect(_next_url(request, fallback))


@login_required
def tasks_overdue(request):
    today = timezone.localdate()
    page = Paginator(overdue_tasks_for(request.user, today), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forums/tasks_overdue.html", {"page": page, "today": today, "view": TaskView.OVERDUE})
