"""Pages for the project's plan: result goals, activities and risks. Only the project's managers reach them
(projects.manage_project); a project the person may not see is "not found"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.projects.forms import ActivityForm, GoalForm, RiskForm
from kompetansebro.projects.models import Activity, ResultGoal, Risk
from kompetansebro.projects.services import plan as services
from kompetansebro.projects.services.plan import ACTIVITY_FIELDS, GOAL_FIELDS, RISK_FIELDS
from kompetansebro.projects.views.projects import visible_project

MANAGE = "projects.manage_project"


def _part(model, project, pk, *related):
    obj = get_object_or_404(model.objects.select_related(*related), project=project, pk=pk)
    obj.project = project
    return obj


def _back(project, anchor: str):
    return redirect(f"{project.get_absolute_url()}#{anchor}")


# ---- result goals -----------------------------------------------------------------------------------------


@permission_required(MANAGE, fn=visible_project)
def goal_create(request, slug):
    project = visible_project(request, slug)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                actor=request.user, project=project, **{name: form.cleaned_data[name] for name in GOAL_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The result goal %(code)s is added.") % {"code": goal.code})
            return _back(project, "goals-heading")
    return render(request, "projects/goal_form.html", {"project": project, "form": form, "goal": None})


@permission_required(MANAGE, fn=visible_project)
def goal_edit(request, slug, pk):
    project = visible_project(request, slug)
    goal = _part(ResultGoal, project, pk)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        stored = _part(ResultGoal, project, pk)
        try:
            services.goal_update(
                actor=request.user, goal=stored, **{name: form.cleaned_data[name] for name in GOAL_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The result goal %(code)s is saved.") % {"code": stored.code})
            return _back(project, "goals-heading")
    return render(request, "projects/goal_form.html", {"project": project, "form": form, "goal": goal})


# ---- activities -------------------------------------------------------------------------------------------


@permission_required(MANAGE, fn=visible_project)
def activity_create(request, slug):
    project = visible_project(request, slug)
    initial = {}
    goal_pk = request.GET.get("goal", "")
    if goal_pk.isdigit():
        initial["goal"] = int(goal_pk)
    form = ActivityForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, project=project, **{name: form.cleaned_data[name] for name in ACTIVITY_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity “%(title)s” is added.") % {"title": activity.title})
            return _back(project, "activities-heading")
    return render(request, "projects/activity_form.html", {"project": project, "form": form, "activity": None})


@permission_required(MANAGE, fn=visible_project)
def activity_edit(request, slug, pk):
    project = visible_project(request, slug)
    activity = _part(Activity, project, pk, "goal", "responsible_person", "responsible_organisation")
    form = ActivityForm(request.POST or None, instance=activity, project=project)
    if request.method == "POST" and form.is_valid():
        stored = _part(Activity, project, pk, "goal", "responsible_person", "responsible_organisation")
        try:
            services.activity_update(
                actor=request.user, activity=stored, **{name: form.cleaned_data[name] for name in ACTIVITY_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity “%(title)s” is saved.") % {"title": stored.title})
            return _back(project, "activities-heading")
    return render(request, "projects/activity_form.html", {"project": project, "form": form, "activity": activity})


# ---- risks ------------------------------------------------------------------------------------------------


@permission_required(MANAGE, fn=visible_project)
def risk_create(request, slug):
    project = visible_project(request, slug)
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_create(
                actor=request.user, project=project, **{name: form.cleaned_data[name] for name in RISK_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The risk is added."))
            return _back(project, "risks-heading")
    return render(request, "projects/risk_form.html", {"project": project, "form": form, "risk": None})


@permission_required(MANAGE, fn=visible_project)
def risk_edit(request, slug, pk):
    project = visible_project(request, slug)
    risk = _part(Risk, project, pk)
    form = RiskForm(request.POST or None, instance=risk)
    if request.method == "POST" and form.is_valid():
        stored = _part(Risk, project, pk)
        try:
            services.risk_update(
                actor=request.user, risk=stored, **{name: form.cleaned_data[name] for name in RISK_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The risk is saved."))
            return _back(project, "risks-heading")
    return render(request, "projects/risk_form.html", {"project": project, "form": form, "risk": risk})


@permission_required(MANAGE, fn=visible_project)
def risk_delete(request, slug, pk):
    project = visible_project(request, slug)
    risk = _part(Risk, project, pk)
    if request.method == "POST":
        services.risk_delete(actor=request.user, risk=risk)
        messages.success(request, _("The risk is deleted."))
        return _back(project, "risks-heading")
    return render(request, "projects/risk_delete.html", {"project": project, "risk": risk})
