"""The notice (HTML and PDF) and the calendars (.ics for a meeting, a subscribable feed per forum).

Who sees what is decided by forums/rules.py: a meeting the person may not see is "not found" (anonymous
visitors are asked to log in first); closed cases are shown only as their label, "exempt from public
access" and the legal basis to anyone without forums.view_closed_cases."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from kompetansebro.forums import calendar, documents
from kompetansebro.forums.models import AgendaCase, Forum, Meeting


def _denied(request, obj, view_perm: str, perm: str | None):
    """None when allowed; otherwise the login redirect (anonymous), or raises 404 / 403."""
    user = request.user
    if not user.has_perm(view_perm, obj):
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if perm and not user.has_perm(perm, obj):
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return None


def get_meeting(slug: str, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("forum").filter(pk=pk, forum__slug=slug).first()
    if meeting is None:
        raise Http404
    return meeting


def meeting_view(perm: str | None = None):
    """The view gets the meeting (by forum slug and id) if the person may see it, and `perm` on it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, pk, *args, **kwargs):
            meeting = get_meeting(slug, pk)
            denied = _denied(request, meeting, "forums.view_meeting", perm)
            return denied or view(request, meeting, *args, **kwargs)

        return wrapped

    return decorator


def case_view(perm: str | None = None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, pk, *args, **kwargs):
            case = AgendaCase.objects.select_related("meeting", "forum").filter(pk=pk, forum__slug=slug).first()
            if case is None:
                raise Http404
            case.meeting.forum = case.forum
            denied = _denied(request, case, "forums.view_case", perm)
            return denied or view(request, case, *args, **kwargs)

        return wrapped

    return decorator


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ics_response(content: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@meeting_view()
def notice(request, meeting):
    sees_closed = request.user.has_perm("forums.view_closed_cases", meeting)
    context = documents.notice_context(meeting, sees_closed=sees_closed)
    context["can_manage"] = request.user.has_perm("forums.manage_forum", meeting)
    return render(request, "forums/notice_detail.html", context)


@meeting_view()
def notice_pdf(request, meeting):
    sees_closed = request.user.has_perm("forums.view_closed_cases", meeting)
    return _pdf_response(documents.notice_pdf(meeting, sees_closed=sees_closed), documents.notice_filename(meeting))


@meeting_view()
def meeting_ical(request, meeting):
    return _ics_response(calendar.meeting_ics(meeting), calendar.ics_filename(meeting), download=True)


def forum_ical(request, slug):
    forum = Forum.objects.filter(slug=slug).first()
    if forum is None:
        raise Http404
    denied = _denied(request, forum, "forums.view_forum", None)
    return denied or _ics_response(calendar.forum_ics(forum), f"{forum.slug}.ics", download=False)
