"""The meeting page (time, place, status and the agenda) and planning meetings. The agenda lists closed cases
as "exempt from public disclosure" with their legal basis, without the title, to everyone who may not see
them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.audit.services import display_value
from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import CONFLICT_MESSAGE, ConcurrentEditError
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


def _meeting_values(data) -> dict:
    return {
        "title": data["title"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "place": data["place"],
        "video_link": data["video_link"],
    }


@permission_required("forums.manage_forum", fn=visible_forum)
def meeting_create(request, slug):
    forum = visible_forum(request, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, forum=forum, **_meeting_values(form.cleaned_data))
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


def _conflict(form, current) -> dict:
    differences = []
    current_values = {
        "title": current.title,
        "starts_at": current.starts_at,
        "ends_at": current.ends_at,
        "place": current.place,
        "video_link": current.video_link,
    }
    labels = {
        "title": form.fields["title"].label,
        "starts_at": form.fields["start_time"].label,
        "ends_at": form.fields["end_time"].label,
        "place": form.fields["place"].label,
        "video_link": form.fields["video_link"].label,
    }
    mine = _meeting_values(form.cleaned_data)

    def shown(name, value):
        if name in ("starts_at", "ends_at"):
            return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""
        return display_value(current, name, value=value)

    for name, saved in current_values.items():
        if shown(name, saved) != shown(name, mine[name]):
            differences.append({"label": labels[name], "saved": shown(name, saved), "yours": shown(name, mine[name])})
    return {"conflict": current, "conflict_differences": differences}


@permission_required("forums.manage_forum", fn=visible_meeting)
def meeting_edit(request, slug, pk):
    meeting = visible_meeting(request, slug, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting=selectors.meeting_for_page(meeting.forum, meeting.pk),
                expected_version=form.cleaned_data.get("version") or 0,
                **_meeting_values(form.cleaned_data),
            )
        except ConcurrentEditError as error:
            form.add_error(None, CONFLICT_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = error.current.version
            conflict = _conflict(form, error.current)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error.error_dict["date"] = error.error_dict.pop("starts_at")
            if hasattr(error, "error_dict") and "ends_at" in error.error_dict:
                error.error_dict["end_time"] = error.error_dict.pop("ends_at")
            add_service_errors(form, error)
        else:
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
