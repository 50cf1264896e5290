"""Managers' steps around a meeting (send the notice, record decisions and attendance, mark it held, draft,
approve and revise the minutes) and the minutes pages. Thin: permission → form → service → redirect; a
service's refusal is shown as an error message (or beside the field)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.forums import documents
from kompetansebro.forums.forms_minutes import AttendanceForm, DecisionForm, ReviseMinutesForm
from kompetansebro.forums.models import Decision, MinutesStatus
from kompetansebro.forums.services import decisions as decision_services
from kompetansebro.forums.services import minutes as minutes_services
from kompetansebro.forums.services import notices as notice_services
from kompetansebro.forums.views.documents import _pdf_response, case_view, meeting_view

MANAGE = "forums.manage_forum"


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _minutes_url(meeting) -> str:
    return reverse("forums:minutes", args=[meeting.forum.slug, meeting.pk])


# ---- notice and meeting steps ------------------------------------------------------------------------------


@require_POST
@meeting_view(MANAGE)
def notice_send(request, meeting):
    try:
        result = notice_services.notice_send(actor=request.user, meeting=meeting)
    except ValidationError as error:
        _refused(request, error)
    else:
        if result.updated:
            text = ngettext(
                "The updated notice is being sent to %(count)s member.",
                "The updated notice is being sent to %(count)s members.",
                result.recipients,
            )
        else:
            text = ngettext(
                "The notice is being sent to %(count)s member.",
                "The notice is being sent to %(count)s members.",
                result.recipients,
            )
        messages.success(request, text % {"count": result.recipients})
    return redirect(meeting.get_absolute_url())


@require_POST
@meeting_view(MANAGE)
def meeting_held(request, meeting):
    try:
        minutes_services.meeting_mark_held(actor=request.user, meeting=meeting)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("The meeting is marked as held. Record attendance and decisions, then draft the minutes.")
        )
    return redirect(meeting.get_absolute_url())


@meeting_view(MANAGE)
def attendance_edit(request, meeting):
    seats, deputies = minutes_services.attendance_seats(meeting)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        seats=seats,
        deputies=deputies,
        initial_rows=minutes_services.attendance_initial(meeting, seats),
    )
    locked = minutes_services.minutes_locked(meeting)
    if request.method == "POST" and form.is_valid():
        try:
            minutes_services.attendance_record(actor=request.user, meeting=meeting, entries=form.entries())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "forums/attendance_form.html",
        {"forum": meeting.forum, "meeting": meeting, "form": form, "seats": seats, "locked": locked},
    )


@case_view(MANAGE)
def decision_edit(request, case):
    meeting = case.meeting
    decision = Decision.objects.filter(case=case).first()
    form = DecisionForm(request.POST if request.method == "POST" else None, case=case, decision=decision)
    locked = minutes_services.minutes_locked(meeting)
    open_for_decisions = meeting.status in decision_services.DECIDING_STATUSES and not locked
    if request.method == "POST" and form.is_valid():
        try:
            decision_services.decision_record(actor=request.user, case=case, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision in %(label)s is saved.") % {"label": case.label})
            return redirect(case.get_absolute_url())
    return render(
        request,
        "forums/decision_form.html",
        {
            "forum": case.forum,
            "meeting": meeting,
            "case": case,
            "form": form,
            "decision": decision,
            "locked": locked,
            "open_for_decisions": open_for_decisions,
        },
    )


# ---- minutes ---------------------------------------------------------------------------------------------


def _minutes_page(request, meeting, *, revise_form=None):
    user = request.user
    sees_drafts = user.has_perm("forums.view_draft_minutes", meeting)
    versions = documents.minutes_versions(meeting, sees_drafts=sees_drafts)
    wanted = request.GET.get("versjon", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        shown = next((version for version in versions if version.number == int(wanted)), None)
        if shown is None:
            raise Http404
    else:
        shown = documents.default_version(versions)
    can_manage = user.has_perm(MANAGE, meeting)
    latest = versions[0] if versions else None
    context = {
        "forum": meeting.forum,
        "meeting": meeting,
        "versions": versions,
        "shown": shown,
        "latest": latest,
        "can_manage": can_manage,
        "sees_drafts": sees_drafts,
    }
    if shown is not None:
        context["record"] = documents.minutes_display(
            shown, sees_closed=user.has_perm("forums.view_closed_cases", meeting)
        )
    if can_manage and latest is not None:
        if latest.status == MinutesStatus.APPROVED:
            context["revise_form"] = revise_form or ReviseMinutesForm()
        else:
            context["draft_out_of_date"] = latest.content != minutes_services.minutes_snapshot(meeting)
    return render(request, "forums/minutes_detail.html", context)


@meeting_view()
def minutes(request, meeting):
    return _minutes_page(request, meeting)


@meeting_view()
def minutes_pdf(request, meeting):
    user = request.user
    versions = documents.minutes_versions(meeting, sees_drafts=user.has_perm("forums.view_draft_minutes", meeting))
    wanted = request.GET.get("versjon", "")
    if wanted:
        shown = next((v for v in versions if wanted.isdigit() and v.number == int(wanted)), None)
    else:
        shown = documents.default_version(versions)
    if shown is None:
        raise Http404
    content = documents.minutes_pdf(meeting, shown, sees_closed=user.has_perm("forums.view_closed_cases", meeting))
    return _pdf_response(content, documents.minutes_filename(meeting, shown))


@require_POST
@meeting_view(MANAGE)
def minutes_draft(request, meeting):
    try:
        minutes = minutes_services.minutes_draft(actor=request.user, meeting=meeting)
    except ValidationError as error:
        _refused(request, error)
        return redirect(_minutes_url(meeting))
    messages.success(
        request,
        _("Draft version %(number)s of the minutes is up to date. Read it through before approving.")
        % {"number": minutes.number},
    )
    return redirect(f"{_minutes_url(meeting)}?versjon={minutes.number}")


@require_POST
@meeting_view(MANAGE)
def minutes_approve(request, meeting):
    latest = minutes_services.latest_minutes(meeting)
    if latest is None:
        messages.error(request, _("There is no draft of the minutes to approve. Draft the minutes first."))
        return redirect(_minutes_url(meeting))
    latest.meeting = meeting
    try:
        minutes_services.minutes_approve(actor=request.user, minutes=latest)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("Version %(number)s of the minutes is approved and locked.") % {"number": latest.number}
        )
    return redirect(_minutes_url(meeting))


@meeting_view(MANAGE)
def minutes_revise(request, meeting):
    form = ReviseMinutesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            minutes = minutes_services.minutes_revise(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s of the minutes is drafted. Update it if needed, and approve it.")
                % {"number": minutes.number},
            )
            return redirect(f"{_minutes_url(meeting)}?versjon={minutes.number}")
    if request.method == "POST":
        return _minutes_page(request, meeting, revise_form=form)
    return redirect(_minutes_url(meeting) + "#revise")
