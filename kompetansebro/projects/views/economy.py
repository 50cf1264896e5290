"""The project's economy: the budget lines (add, change, remove), the financing plan (grants by source, cash
and in-kind own contribution), actual costs (register, correct, delete) and their chart against the budget,
and the budget as .xlsx.

A project the person may not see is "not found" (404); a visible project the person may not manage gives 403.
Every change goes through projects/services/economy.py, which records it in the project's history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kompetansebro.core import bounds
from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.projects import exports
from kompetansebro.projects.forms_economy import ActualCostForm, BudgetLineForm, FinancingForm
from kompetansebro.projects.models import ActualCost, BudgetLine, FinancingSource, Project, ProjectStatus
from kompetansebro.projects.selectors_economy import line_state, project_costs, project_economy
from kompetansebro.projects.services import economy as services

PER_PAGE = 50


def project_for(request, slug, **_kwargs) -> Project:
    """The project if the person may see it; otherwise 404, whether it exists or not. Loaded once per request."""
    cached = getattr(request, "_kompetansebro_project", None)
    if cached is not None and cached.slug == slug:
        return cached
    project = Project.objects.select_related("owner", "leader", "region", "scheme").filter(slug=slug).first()
    if project is None or not request.user.has_perm("projects.view_project", project):
        raise Http404
    request._kompetansebro_project = project
    return project


def _line(model, project: Project, value):
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise Http404
    line = model.objects.filter(pk=value, project=project).first()
    if line is None:
        raise Http404
    line.project = project
    return line


def _line_changed(request, current) -> None:
    if current is None:
        messages.warning(
            request, _("Someone else removed this line while you were looking at it. Nothing was changed.")
        )
    else:
        messages.warning(
            request,
            _(
                "Someone else changed this line while you were editing it. "
                "Nothing was saved: check its values and try again."
            ),
        )


def _closed(request, project: Project) -> bool:
    if project.status == ProjectStatus.CLOSED:
        messages.warning(request, str(services.CLOSED_MESSAGE))
        return True
    return False


@permission_required("projects.manage_project", fn=project_for)
def budget_edit(request, slug):
    """The budget lines with a form to add one, or to change the one chosen (?linje=<id>); POST with `remove`
    removes a line."""
    project = project_for(request, slug)
    economy_url = reverse("projects:budget_edit", args=[project.slug])
    if _closed(request, project):
        return redirect(project)
    data = request.POST if request.method == "POST" else None
    line = _line(BudgetLine, project, (data or request.GET).get("linje"))
    if data is not None and "remove" in data:
        if line is None:
            raise Http404
        try:
            services.budget_line_remove(actor=request.user, line=line, expected_state=data.get("state", ""))
        except services.LineChangedError as error:
            _line_changed(request, error.current)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The budget line “%(line)s” has been removed.") % {"line": line})
        return redirect(economy_url)
    form = BudgetLineForm(data, instance=line)
    conflict = {}
    if data is not None and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.BUDGET_FIELDS}
        try:
            if line is None:
                saved = services.budget_line_add(actor=request.user, project=project, **values)
            else:
                conflict = save_form_versioned(
                    form,
                    lambda state: services.budget_line_change(
                        actor=request.user,
                        line=line,
                        data={name: form.cleaned_data[name] for name in services.BUDGET_FIELDS},
                        expected_state=state,
                    ),
                    request=request,
                )
                line.refresh_from_db()
                saved = line
        except services.LineChangedError as error:
            _line_changed(request, error.current)
            return redirect(economy_url)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                message = (
                    _("The budget line “%(line)s” has been added.")
                    if line is None
                    else _("The budget line “%(line)s” has been changed.")
                )
                messages.success(request, message % {"line": saved})
                return redirect(economy_url)
    economy = project_economy(project)
    for row in economy.lines:
        row.state = line_state(row, services.BUDGET_FIELDS)
    return render(
        request,
        "projects/budget_edit.html",
        {"project": project, "economy": economy, "form": form, "line": line, **conflict},
    )


@permission_required("projects.manage_project", fn=project_for)
def financing_edit(request, slug):
    """The financing plan with a form to add a source, or to change the one chosen (?kilde=<id>); POST with
    `remove` removes a source."""
    project = project_for(request, slug)
    page_url = reverse("projects:financing_edit", args=[project.slug])
    if _closed(request, project):
        return redirect(project)
    data = request.POST if request.method == "POST" else None
    source = _line(FinancingSource, project, (data or request.GET).get("kilde"))
    if data is not None and "remove" in data:
        if source is None:
            raise Http404
        try:
            services.financing_remove(actor=request.user, source=source, expected_state=data.get("state", ""))
        except services.LineChangedError as error:
            _line_changed(request, error.current)
        else:
            messages.success(request, _("“%(source)s” has been removed from the financing plan.") % {"source": source})
        return redirect(page_url)
    form = FinancingForm(data, instance=source, project=project)
    conflict = {}
    if data is not None and form.is_valid():
        try:
            if source is None:
                values = {name: form.cleaned_data.get(name) for name in services.FINANCING_FIELDS}
                saved = services.financing_add(actor=request.user, project=project, **values)
            else:
                conflict = save_form_versioned(
                    form,
                    lambda state: services.financing_change(
                        actor=request.user,
                        source=source,
                        data={name: form.cleaned_data.get(name) for name in services.FINANCING_FIELDS},
                        expected_state=state,
                    ),
                    request=request,
                )
                source.refresh_from_db()
                saved = source
        except services.LineChangedError as error:
            _line_changed(request, error.current)
            return redirect(page_url)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                message = (
                    _("“%(source)s” has been added to the financing plan.")
                    if source is None
                    else _("“%(source)s” has been changed.")
                )
                messages.success(request, message % {"source": saved})
                return redirect(page_url)
    economy = project_economy(project)
    for row in economy.sources:
        row.state = line_state(row, services.FINANCING_FIELDS)
    return render(
        request,
        "projects/financing_edit.html",
        {"project": project, "economy": economy, "form": form, "source": source, **conflict},
    )


@permission_required("projects.manage_project", fn=project_for)
def cost_create(request, slug):
    project = project_for(request, slug)
    if _closed(request, project):
        return redirect(project)
    form = ActualCostForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["budget_line"].project = project
        try:
            cost = services.cost_add(
                actor=request.user,
                budget_line=data["budget_line"],
                incurred_on=data["incurred_on"],
                description=data["description"],
                amount=data["amount"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cost “%(cost)s” has been registered.") % {"cost": cost})
            _warn_if_far_above_budget(request, cost)
            if "another" in request.POST:
                return redirect("projects:cost_create", project.slug)
            return redirect("projects:cost_list", project.slug)
    has_lines = bool(form.fields["budget_line"].queryset)
    return render(request, "projects/cost_create.html", {"project": project, "form": form, "has_lines": has_lines})


def _warn_if_far_above_budget(request, cost: ActualCost) -> None:
    if warning := bounds.cost_warning(cost.amount, budget=cost.budget_line.amount):
        messages.warning(request, warning)


def _cost(project: Project, pk: int) -> ActualCost:
    cost = ActualCost.objects.select_related("budget_line").filter(pk=pk, budget_line__project=project).first()
    if cost is None:
        raise Http404
    cost.budget_line.project = project
    return cost


@permission_required("projects.change_cost", fn=project_for)
def cost_edit(request, slug, pk):
    """Correct a cost registered with a wrong line, date, description or amount."""
    project = project_for(request, slug)
    list_url = reverse("projects:cost_list", args=[project.slug])
    if _closed(request, project):
        return redirect(project)
    cost = _cost(project, pk)
    form = ActualCostForm(request.POST or None, project=project, cost=cost)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda state: services.cost_change(
                    actor=request.user,
                    cost=cost,
                    data={name: form.cleaned_data[name] for name in services.COST_FIELDS},
                    expected_state=state,
                ),
                request=request,
            )
        except services.LineChangedError as error:
            _line_changed(request, error.current)
            return redirect(list_url)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                saved = _cost(project, pk)
                messages.success(request, _("The cost “%(cost)s” has been changed.") % {"cost": saved})
                _warn_if_far_above_budget(request, saved)
                return redirect(list_url)
    return render(request, "projects/cost_edit.html", {"project": project, "form": form, "cost": cost, **conflict})


@permission_required("projects.delete_cost", fn=project_for)
def cost_delete(request, slug, pk):
    """Delete a cost registered by mistake, after asking; the project's history keeps what it was."""
    project = project_for(request, slug)
    list_url = reverse("projects:cost_list", args=[project.slug])
    if _closed(request, project):
        return redirect(project)
    cost = _cost(project, pk)
    if request.method == "POST":
        try:
            services.cost_remove(actor=request.user, cost=cost, expected_state=request.POST.get("state", ""))
        except services.LineChangedError as error:
            _line_changed(request, error.current)
        else:
            messages.success(request, _("The cost “%(cost)s” has been deleted.") % {"cost": cost})
        return redirect(list_url)
    state = line_state(cost, services.COST_FIELDS)
    return render(request, "projects/cost_delete.html", {"project": project, "cost": cost, "state": state})


@permission_required("projects.view_project", fn=project_for)
def cost_list(request, slug):
    project = project_for(request, slug)
    page = Paginator(project_costs(project), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/cost_list.html",
        {
            "project": project,
            "economy": project_economy(project),
            "page": page,
            "manages": request.user.has_perm("projects.manage_project", project),
            "corrects": project.status != ProjectStatus.CLOSED
            and request.user.has_perm("projects.change_cost", project),
        },
    )


@permission_required("projects.view_project", fn=project_for)
def budget_xlsx(request, slug):
    project = project_for(request, slug)
    return exports.budget_xlsx_response(project)
