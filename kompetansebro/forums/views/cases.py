"""Cases on the agenda and their attachments. A closed case (and its attachments) is "not found" for everyone
outside the forum; attachments are only ever served here, as downloads with their checked type, never from
MEDIA_URL and never inline."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.forums import selectors
from kompetansebro.forums.forms import AttachmentForm, CaseForm, MoveForm
from kompetansebro.forums.models import AgendaCase
from kompetansebro.forums.services import attachments as attachment_services
from kompetansebro.forums.services import cases as services
from kompetansebro.forums.services.cases import EDITABLE_FIELDS
from kompetansebro.forums.services.needs_item import needs_case_present
from kompetansebro.forums.views.forums import visible_forum
from kompetansebro.forums.views.meetings import visible_meeting

CASE_CREATE_FIELDS = ["kind", "number", *EDITABLE_FIELDS]


def visible_case(request, slug, pk, **_kwargs):
    """The case if the person may see it (closed cases: the forum's members and managers); otherwise 404."""
    cached = getattr(request, "_kompetansebro_case", None)
    if cached is not None and cached.pk == pk and cached.forum.slug == slug:
        return cached
    forum = visible_forum(request, slug)
    case = selectors.case_for_page(forum, pk)
    if case is None or not request.user.has_perm("forums.view_case", case):
        raise Http404
    request._kompetansebro_case = case
    return case


def visible_attachment(request, slug, pk, **_kwargs):
    cached = getattr(request, "_kompetansebro_attachment", None)
    if cached is not None and cached.pk == pk:
        return cached
    forum = visible_forum(request, slug)
    attachment = selectors.attachment_for_download(forum, pk)
    if attachment is None or not request.user.has_perm("forums.view_case", attachment.case):
        raise Http404
    request._kompetansebro_attachment = attachment
    return attachment


@permission_required("forums.manage_forum", fn=visible_meeting)
def case_create(request, slug, pk):
    meeting = visible_meeting(request, slug, pk)
    form = CaseForm(request.POST or None, instance=AgendaCase(forum=meeting.forum, meeting=meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=request.user, meeting=meeting, **{name: data[name] for name in CASE_CREATE_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case %(label)s is on the agenda.") % {"label": case.label})
            return redirect(case)
    return render(
        request, "forums/case_form.html", {"forum": meeting.forum, "meeting": meeting, "form": form, "case": None}
    )


def case_detail(request, slug, pk):
    case = visible_case(request, slug, pk)
    user = request.user
    manages = user.has_perm("forums.manage_forum", case)
    needs = selectors.case_needs(case)
    return render(
        request,
        "forums/case_detail.html",
        {
            "forum": case.forum,
            "meeting": case.meeting,
            "case": case,
            "attachments": selectors.case_attachments(case),
            "needs": needs,
            "development_requests": selectors.case_development_requests(case),
            "manages": manages,
            "attachment_form": AttachmentForm() if manages else None,
            "needs_to_present": sum(1 for need in needs if need.status == "qualified") if manages else 0,
        },
    )


@permission_required("forums.manage_forum", fn=visible_case)
def case_edit(request, slug, pk):
    case = visible_case(request, slug, pk)
    editable = selectors.case_for_page(case.forum, case.pk)
    form = CaseForm(request.POST or None, instance=editable)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.case_update(
                    actor=request.user,
                    case=editable,
                    expected_version=version,
                    **{name: data[name] for name in EDITABLE_FIELDS},
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(case)
    return render(
        request,
        "forums/case_form.html",
        {"forum": case.forum, "meeting": case.meeting, "form": form, "case": case, **conflict},
    )


@require_POST
@permission_required("forums.manage_forum", fn=visible_case)
def case_move(request, slug, pk):
    case = visible_case(request, slug, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose up or down."))
    elif not services.case_move(actor=request.user, case=case, direction=form.cleaned_data["direction"]):
        messages.info(request, _("Case %(label)s is already at that end of the agenda.") % {"label": case.label})
    else:
        messages.success(request, _("Case %(label)s is moved.") % {"label": case.label})
    return redirect(f"{case.meeting.get_absolute_url()}#agenda")


@require_POST
@permission_required("forums.manage_forum", fn=visible_case)
def needs_present(request, slug, pk):
    case = visible_case(request, slug, pk)
    try:
        moved = needs_case_present(actor=request.user, case=case)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s need moved to “presented in forum”.",
                "%(count)s needs moved to “presented in forum”.",
                moved,
            )
            % {"count": moved},
        )
    return redirect(case)


# ---- attachments ----------------------------------------------------------------------------------------


@permission_required("forums.manage_forum", fn=visible_case)
def attachment_add(request, slug, pk):
    case = visible_case(request, slug, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = attachment_services.attachment_add(
                actor=request.user, case=case, uploaded=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is attached to the case.") % {"title": attachment.title})
            return redirect(f"{case.get_absolute_url()}#attachments")
    return render(
        request,
        "forums/case_attachment_form.html",
        {"forum": case.forum, "meeting": case.meeting, "case": case, "form": form},
    )


def attachment_download(request, slug, pk):
    attachment = visible_attachment(request, slug, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=attachment.content_type)
    name = attachment.original_name
    ascii_name = name.encode("ascii", "ignore").decode() or "vedlegg"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store" if attachment.case.is_closed else "private"
    return response


@permission_required("forums.manage_forum", fn=visible_attachment)
def attachment_delete(request, slug, pk):
    attachment = visible_attachment(request, slug, pk)
    case = attachment.case
    if request.method != "POST":
        return render(
            request,
            "forums/case_attachment_delete.html",
            {"forum": case.forum, "case": case, "attachment": attachment},
        )
    attachment_services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("“%(title)s” is removed from the case.") % {"title": attachment.title})
    return redirect(f"{case.get_absolute_url()}#attachments")
