"""Pages for projects and their groups. A project the person may not see is "not found" (404); a visible
project the person may not manage gives 403. Projects are not public: the list asks people to log in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.htmx import wants_partial
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.development.models import DevelopmentRequest
from kompetansebro.forums.forms import PersonSearchForm, person_search
from kompetansebro.needs.selectors import needs_visible_to
from kompetansebro.projects import selectors
from kompetansebro.projects.forms import MembershipAddForm, MembershipEndForm, ProjectFilterForm, ProjectForm
from kompetansebro.projects.models import ProjectMembership, ProjectStatus
from kompetansebro.projects.services import projects as services
from kompetansebro.projects.services.projects import PROJECT_FIELDS


def visible_project(request, slug, **_kwargs):
    """The project if the person may see it; otherwise 404, whether it exists or not. Loaded once per request.
    Use it as `permission_required(perm, fn=visible_project)` and in the view itself."""
    cached = getattr(request, "_kompetansebro_project", None)
    if cached is not None and cached.slug == slug:
        return cached
    project = selectors.project_by_slug(slug)
    if project is None or not request.user.has_perm("projects.view_project", project):
        raise Http404
    request._kompetansebro_project = project
    return project


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.projects_visible_to(
        request.user,
        region=filters.get("region"),
        status=filters.get("status") or "",
        scheme=filters.get("scheme"),
    )
    context = {"form": form, "projects": projects, "partial": wants_partial(request)}
    template = "projects/_project_list_results.html" if context["partial"] else "projects/project_list.html"
    return render(request, template, context)


def _starting_points(request):
    """The development request (?bestilling=) and needs (?behov=) a new project starts from, only those the
    person may see; others are left out as if they did not exist."""
    development_request = None
    pk = request.GET.get("bestilling", "")
    if pk.isdigit():
        candidate = DevelopmentRequest.objects.select_related("region").filter(pk=pk).first()
        if candidate is not None and request.user.has_perm("development.view_request", candidate):
            development_request = candidate
    need_ids = [value for value in request.GET.getlist("behov") if value.isdigit()][:200]
    needs = []
    if need_ids:
        needs = list(
            needs_visible_to(request.user)
            .filter(pk__in=need_ids)
            .select_related("organisation", "municipality")
            .order_by("title", "pk")
        )
    return development_request, needs


def _prefill(development_request, needs) -> dict:
    if development_request is not None:
        return {
            "name": development_request.title,
            "description": development_request.description,
            "region": development_request.region_id,
        }
    if needs:
        lines = [_("The project starts from these competence needs:")] + [f"– {need.title}" for need in needs]
        return {"name": needs[0].title if len(needs) == 1 else "", "description": "\n".join(lines)}
    return {}


@permission_required("projects.add_project")
def project_create(request):
    development_request, needs = _starting_points(request)
    form = ProjectForm(request.POST or None, user=request.user, initial=_prefill(development_request, needs))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=request.user,
                development_request=development_request,
                needs=needs,
                **{name: data[name] for name in PROJECT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project “%(name)s” is created.") % {"name": project.name})
            return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None, "development_request": development_request, "needs": needs},
    )


def project_detail(request, slug):
    project = visible_project(request, slug)
    activity_rows = selectors.activities(project)
    chart = selectors.timeline(project, activity_rows)
    manages = request.user.has_perm("projects.manage_project", project)
    group_rows = selectors.groups(project)
    if manages:
        for group in group_rows:
            for seat in [*group.current, *group.coming]:
                seat.end_form = MembershipEndForm(membership=seat)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "manages": manages,
            "groups": group_rows,
            "goals": selectors.goals(project, activity_rows),
            "activities": activity_rows,
            "timeline": chart,
            "timeline_description": selectors.timeline_description(chart),
            "risks": selectors.risks(project),
            "needs": selectors.visible_needs(project, request.user),
            "is_closed": project.status == ProjectStatus.CLOSED,
        },
    )


@permission_required("projects.manage_project", fn=visible_project)
def project_edit(request, slug):
    project = visible_project(request, slug)
    editable = selectors.project_by_slug(slug)
    form = ProjectForm(request.POST or None, instance=editable, user=request.user)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.project_update(
                    actor=request.user,
                    project=editable,
                    expected_version=version,
                    **{name: data[name] for name in PROJECT_FIELDS},
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(editable)
    return render(request, "projects/project_form.html", {"form": form, "project": project, **conflict})


@permission_required("projects.view_history", fn=visible_project)
def project_history(request, slug):
    project = visible_project(request, slug)
    entries = selectors.project_history(project, page=request.GET.get("page", 1))
    return render(request, "projects/project_history.html", {"project": project, "entries": entries})


@require_POST
@permission_required("projects.manage_project", fn=visible_project)
def project_close(request, slug):
    project = visible_project(request, slug)
    try:
        services.project_close(actor=request.user, project=project)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The project “%(name)s” is closed.") % {"name": project.name})
    return redirect(project)


@permission_required("projects.manage_project", fn=visible_project)
def project_delete(request, slug):
    project = visible_project(request, slug)
    has_payments = selectors.has_payments(project)
    if request.method == "POST":
        try:
            services.project_delete(actor=request.user, project=project)
        except services.ProjectHasPayments as error:
            for message in error.messages:
                messages.error(request, message)
            has_payments = True
        else:
            messages.success(request, _("The project “%(name)s” is deleted.") % {"name": project.name})
            return redirect("projects:list")
    return render(
        request,
        "projects/project_delete.html",
        {"project": project, "has_payments": has_payments, "is_closed": project.status == ProjectStatus.CLOSED},
    )


# ---- groups -----------------------------------------------------------------------------------------------


@permission_required("projects.manage_project", fn=visible_project)
def member_add(request, slug):
    project = visible_project(request, slug)
    search_form = PersonSearchForm(request.GET or None)
    query = search_form.cleaned_data.get("q", "") if search_form.is_valid() else ""
    initial = {}
    if request.GET.get("email"):
        initial["person"] = request.GET["email"]
    if request.GET.get("group"):
        initial["group"] = request.GET["group"]
    form = MembershipAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = services.membership_add(
                actor=request.user,
                project=project,
                group=data["group"],
                person=data["person"],
                organisation=data["organisation"],
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has a seat in the %(group)s.")
                % {"name": seat.person.get_full_name(), "group": seat.get_group_display()},
            )
            return redirect(f"{project.get_absolute_url()}#groups-heading")
    return render(
        request,
        "projects/member_add.html",
        {
            "project": project,
            "form": form,
            "search_form": search_form,
            "query": query,
            "people": person_search(query),
        },
    )


@require_POST
@permission_required("projects.manage_project", fn=visible_project)
def member_end(request, slug, pk):
    project = visible_project(request, slug)
    seat = get_object_or_404(ProjectMembership.objects.select_related("person", "organisation"), project=project, pk=pk)
    seat.project = project
    form = MembershipEndForm(request.POST, membership=seat)
    if form.is_valid():
        try:
            services.membership_end(actor=request.user, membership=seat, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The seat of %(name)s ends %(date)s.")
                % {"name": seat.person.get_full_name(), "date": seat.ends_on.strftime("%d.%m.%Y")},
            )
    else:
        for error in form.errors.get("ends_on", []):
            messages.error(request, error)
    return redirect(f"{project.get_absolute_url()}#groups-heading")
