"""Status reports: scheduling a year's reports, reading, filling in and submitting one, the project report as
PDF, and the project leader's yearly orientation to a forum as a follow-up task.

A project the person may not see is "not found" (404), and so is a report of another project; a visible
project the person may not manage gives 403. Submitted reports are read-only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.audit.models import AuditEntry
from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.projects import documents
from kompetansebro.projects.forms_reports import OrientationForm, ReportForm, ScheduleForm
from kompetansebro.projects.models import ReportStatus, StatusReport
from kompetansebro.projects.services import reports as services
from kompetansebro.projects.views.economy import project_for


def report_for(request, slug, pk, **_kwargs) -> StatusReport:
    """The report if the person may see its project; otherwise 404. Loaded once per request."""
    cached = getattr(request, "_kompetansebro_report", None)
    if cached is not None and cached.pk == pk:
        return cached
    project = project_for(request, slug)
    report = (
        StatusReport.objects.select_related("submitted_by", "orientation_task", "orientation_task__forum")
        .filter(pk=pk, project=project)
        .first()
    )
    if report is None:
        raise Http404
    report.project = project
    request._kompetansebro_report = report
    return report


def _reports_url(project) -> str:
    return project.get_absolute_url() + "#project-reports-heading"


@require_POST
@permission_required("projects.manage_project", fn=project_for)
def report_schedule(request, slug):
    project = project_for(request, slug)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_reports_url(project))
    data = form.cleaned_data
    try:
        created = services.report_schedule(
            actor=request.user,
            project=project,
            year=data["year"],
            per_year=data["per_year"],
            due_day=data["due_day"],
            months_after=data["months_after"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if created:
            messages.success(
                request,
                _("Scheduled for %(year)s: %(reports)s.")
                % {
                    "year": data["year"],
                    "reports": ", ".join(
                        _("%(title)s (due %(date)s)")
                        % {"title": report.title, "date": date_format(report.due_on, "SHORT_DATE_FORMAT")}
                        for report in created
                    ),
                },
            )
        else:
            messages.info(request, _("The reports of %(year)s were already scheduled.") % {"year": data["year"]})
    return redirect(_reports_url(project))


def _report_context(request, report: StatusReport) -> dict:
    project = report.project
    questions = services.report_questions(report)
    return {
        "project": project,
        "report": report,
        "answers": services.report_answers(report, questions),
        "economic_required": services.requires_economic_report(report),
        "is_submitted": report.status == ReportStatus.SUBMITTED,
        "is_overdue": report.status == ReportStatus.DUE and report.due_on < timezone.localdate(),
        "can_submit": request.user.has_perm("projects.submit_report", project),
        "manages": request.user.has_perm("projects.manage_project", project),
        "missing": services.missing_answers(report, questions) if report.status == ReportStatus.DUE else {},
    }


@permission_required("projects.view_project", fn=report_for)
def report(request, slug, pk):
    return render(request, "projects/report_detail.html", _report_context(request, report_for(request, slug, pk)))


@permission_required("projects.submit_report", fn=report_for)
def report_edit(request, slug, pk):
    report_ = report_for(request, slug, pk)
    if report_.status == ReportStatus.SUBMITTED:
        messages.warning(request, str(services.SUBMITTED_MESSAGE))
        return redirect("projects:report", report_.project.slug, report_.pk)
    questions = services.report_questions(report_)
    answers = services.report_answers(report_, questions)
    economic_required = services.requires_economic_report(report_)
    initial = {"economic_report": report_.economic_report or services.economic_summary(report_)}
    form = ReportForm(
        request.POST or None,
        report=report_,
        answers=answers,
        economic_required=economic_required,
        initial=initial,
    )
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.report_update(
                    actor=request.user,
                    report=report_,
                    answers=form.answers(),
                    economic_report=form.cleaned_data["economic_report"],
                    expected_version=version,
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if conflict:
                conflict["conflict"].updated_at = _changed_at(conflict["conflict"])
            elif "submit" in request.POST:
                return _submit(request, report_)
            else:
                messages.success(request, _("The report has been saved. It is not submitted yet."))
                return redirect("projects:report", report_.project.slug, report_.pk)
    return render(
        request,
        "projects/report_edit.html",
        {
            "project": report_.project,
            "report": report_,
            "form": form,
            "economic_required": economic_required,
            **conflict,
        },
    )


def _changed_at(report_: StatusReport):
    """When the report was last saved (StatusReport has no updated_at; the project's history knows)."""
    return (
        AuditEntry.objects.filter(
            content_type__app_label="projects",
            content_type__model="project",
            object_id=str(report_.project_id),
            data__report=report_.pk,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _submit(request, report_: StatusReport):
    try:
        services.report_submit(actor=request.user, report=report_)
    except services.ReportAlreadySubmitted as error:
        done = error.report
        messages.warning(
            request,
            _("The report was already submitted on %(date)s. Nothing was changed.")
            % {"date": date_format(timezone.localtime(done.submitted_at), "SHORT_DATE_FORMAT")},
        )
    except ValidationError as error:
        messages.error(
            request,
            _("The report is saved but not submitted: %(missing)s")
            % {"missing": " ".join(message for message in error.messages)},
        )
        return redirect("projects:report_edit", report_.project.slug, report_.pk)
    else:
        messages.success(request, _("“%(title)s” has been submitted.") % {"title": report_.title})
    return redirect("projects:report", report_.project.slug, report_.pk)


@require_POST
@permission_required("projects.submit_report", fn=report_for)
def report_submit(request, slug, pk):
    return _submit(request, report_for(request, slug, pk))


@permission_required("projects.view_project", fn=report_for)
def report_pdf(request, slug, pk):
    report_ = report_for(request, slug, pk)
    response = HttpResponse(documents.report_pdf(report_), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.report_filename(report_)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("projects.manage_project", fn=report_for)
def orientation_task(request, slug, pk):
    """GET: the form (forum, meeting or date); POST: create the forum's follow-up task for the leader."""
    report_ = report_for(request, slug, pk)
    project = report_.project
    report_url = reverse("projects:report", args=[project.slug, report_.pk])
    if report_.orientation_task_id is not None:
        messages.info(request, _("This report already has an orientation task."))
        return redirect(report_url)
    form = OrientationForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.orientation_task_create(
                actor=request.user,
                report=report_,
                forum=data["forum"],
                meeting=data["meeting"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The follow-up task “%(title)s” has been created in %(forum)s, due %(date)s.")
                % {
                    "title": task.title,
                    "forum": task.forum.name,
                    "date": date_format(task.due_on, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect(report_url)
    return render(
        request,
        "projects/report_orientation.html",
        {"project": project, "report": report_, "form": form, "has_leader": project.leader_id is not None},
    )
