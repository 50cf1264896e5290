"""The meeting page (time, place, status and the agenda) and planning meetings. The agenda lists closed cases
as "exempt from public disclosure" with their legal basis, without the title, to everyone who may not see
them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.forums import selectors
from kompetansebro.forums.forms import MeetingForm
from kompetansebro.forums.services import meetings as services
from kompetansebro.forums.services.needs_item import needs_case_build, needs_for_agenda
from kompetansebro.forums.views.forums import visible_forum


def visible_meeting(request, slug, pk, **_kwargs):
    """The meeting if the person may see its forum; otherwise 404."""
    cached = getattr(request, "_kompetansebro_meeting", None)
    if cached is not None and cached.pk == pk and cached.forum.slug == slug:
        return cached
    forum = visible_forum(request, slug)
    meeting = selectors.meeting_for_page(forum, pk)
    if meeting is None or not request.user.has_perm("forums.view_meeting", meeting):
        raise Http404
    request._kompetansebro_meeting = meeting
    return meeting


@permission_required("forums.manage_forum", fn=visible_forum)
def meeting_create(request, slug):
    forum = visible_forum(request, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, forum=forum, **form.meeting_values())
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error.error_dict["date"] = error.error_dict.pop("starts_at")
            if hasattr(error, "error_dict") and "ends_at" in error.error_dict:
                error.error_dict["end_time"] = error.error_dict.pop("ends_at")
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned. Add the cases to its agenda."))
            return redirect(meeting)
    return render(request, "forums/meeting_form.html", {"forum": forum, "form": form, "meeting": None})


def meeting_detail(request, slug, pk):
    meeting = visible_meeting(request, slug, pk)
    forum = meeting.forum
    cases = selectors.agenda(meeting)
    user = request.user
    for case in cases:
        case.visible = user.has_perm("forums.view_case", case)
    manages = user.has_perm("forums.manage_forum", forum)
    return render(
        request,
        "forums/meeting_detail.html",
        {
            "forum": forum,
            "meeting": meeting,
            "cases": cases,
            "manages": manages,
            "waiting_needs": needs_for_agenda(meeting).count() if manages and forum.region_id else 0,
        },
    )


@permission_required("forums.manage_forum", fn=visible_meeting)
def meeting_edit(request, slug, pk):
    meeting = visible_meeting(request, slug, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.meeting_update(
                    actor=request.user,
                    meeting=selectors.meeting_for_page(meeting.forum, meeting.pk),
                    expected_version=version,
                    **form.meeting_values(),
                ),
                request=request,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error.error_dict["date"] = error.error_dict.pop("starts_at")
            if hasattr(error, "error_dict") and "ends_at" in error.error_dict:
                error.error_dict["end_time"] = error.error_dict.pop("ends_at")
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(meeting)
    return render(
        request, "forums/meeting_form.html", {"forum": meeting.forum, "form": form, "meeting": meeting, **conflict}
    )


@require_POST
@permission_required("forums.manage_forum", fn=visible_meeting)
def needs_case(request, slug, pk):
    meeting = visible_meeting(request, slug, pk)
    try:
        case = needs_case_build(actor=request.user, meeting=meeting)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(meeting)
    count = case.needs.count()
    messages.success(
        request,
        ngettext(
            "Case %(label)s is on the agenda with %(count)s need. Present it in the meeting to move the need on.",
            "Case %(label)s is on the agenda with %(count)s needs. Present it in the meeting to move the needs on.",
            count,
        )
        % {"label": case.label, "count": count},
    )
    return redirect(case)
