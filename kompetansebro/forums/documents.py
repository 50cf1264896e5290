"""The meeting documents: the notice (møteinnkalling) with its agenda and case papers, and the minutes
(protokoll), as accessible HTML and as PDF (WeasyPrint).

Both are built from the same data and templates. The reader decides what is in them: closed cases show only
their label, "exempt from public access" and the legal basis to anyone who may not see closed cases.
PDFs are rendered without network access: the URL fetcher serves our own static files from disk and refuses
everything else."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kompetansebro.core.pdf import render_pdf
from kompetansebro.forums.models import (
    AgendaCase,
    AttendanceStatus,
    CaseAttachment,
    Meeting,
    MemberRole,
    Minutes,
    MinutesStatus,
)

# ---- the notice -------------------------------------------------------------------------------------------


@dataclass
class CasePaper:
    """A case as one reader may see it: `hidden` cases show only label, kind and legal basis."""

    case: AgendaCase
    hidden: bool
    attachments: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.case.label


def meeting_cases(meeting: Meeting) -> list[AgendaCase]:
    """The meeting's agenda in order, with the attachments' titles. Two queries."""
    return list(
        AgendaCase.objects.filter(meeting=meeting)
        .order_by("position", "kind", "number", "pk")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=CaseAttachment.objects.only("pk", "case_id", "title", "original_name", "size", "uploaded_at"),
            )
        )
    )


def case_papers(cases: list[AgendaCase], *, sees_closed: bool) -> list[CasePaper]:
    return [
        CasePaper(
            case=case,
            hidden=case.is_closed and not sees_closed,
            attachments=[] if case.is_closed and not sees_closed else list(case.attachments.all()),
        )
        for case in cases
    ]


def notice_context(meeting: Meeting, *, sees_closed: bool) -> dict:
    cases = meeting_cases(meeting)
    return {
        "forum": meeting.forum,
        "meeting": meeting,
        "papers": case_papers(cases, sees_closed=sees_closed),
        "sees_closed": sees_closed,
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def notice_pdf(meeting: Meeting, *, sees_closed: bool) -> bytes:
    html = render_to_string("forums/documents/notice_pdf.html", notice_context(meeting, sees_closed=sees_closed))
    return render_pdf(html)


def notice_filename(meeting: Meeting) -> str:
    return f"innkalling-{meeting.forum.slug}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf"


# ---- the minutes ------------------------------------------------------------------------------------------


def minutes_versions(meeting: Meeting, *, sees_drafts: bool) -> list[Minutes]:
    """Newest first; drafts only for those who may see them."""
    versions = Minutes.objects.filter(meeting=meeting).select_related("approved_by", "drafted_by")
    if not sees_drafts:
        versions = versions.filter(status=MinutesStatus.APPROVED)
    return list(versions.order_by("-number"))


def default_version(versions: list[Minutes]) -> Minutes | None:
    """The newest approved version, or (for insiders, when nothing is approved yet) the draft."""
    for version in versions:
        if version.status == MinutesStatus.APPROVED:
            return version
    return versions[0] if versions else None


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def minutes_display(minutes: Minutes, *, sees_closed: bool) -> dict:
    """The snapshot in `minutes.content` as the reader may see it, with codes turned into labels."""
    content = minutes.content or {}
    attendance = []
    for row in content.get("attendance", []):
        attendance.append(
            {
                **row,
                "status_label": _label(AttendanceStatus, row.get("status")),
                "role_label": _label(MemberRole, row.get("role")),
            }
        )
    cases = []
    for row in content.get("cases", []):
        hidden = bool(row.get("is_closed")) and not sees_closed
        if hidden:
            cases.append(
                {
                    "label": row.get("label"),
                    "is_closed": True,
                    "legal_basis": row.get("legal_basis", ""),
                    "hidden": True,
                }
            )
        else:
            cases.append({**row, "hidden": False})
    return {
        "forum_name": content.get("forum", ""),
        "title": content.get("title", ""),
        "starts_at": _datetime(content.get("starts_at")),
        "ends_at": _datetime(content.get("ends_at")),
        "place": content.get("place", ""),
        "video_link": content.get("video_link", ""),
        "present": [row for row in attendance if row["status"] in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)],
        "apologies": [row for row in attendance if row["status"] == AttendanceStatus.APOLOGIES],
        "absent": [row for row in attendance if row["status"] == AttendanceStatus.ABSENT],
        "cases": cases,
    }


def _datetime(value):
    return parse_datetime(value) if value else None


def minutes_context(meeting: Meeting, minutes: Minutes, *, sees_closed: bool) -> dict:
    return {
        "forum": meeting.forum,
        "meeting": meeting,
        "minutes": minutes,
        "record": minutes_display(minutes, sees_closed=sees_closed),
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def minutes_pdf(meeting: Meeting, minutes: Minutes, *, sees_closed: bool) -> bytes:
    html = render_to_string(
        "forums/documents/minutes_pdf.html", minutes_context(meeting, minutes, sees_closed=sees_closed)
    )
    return render_pdf(html)


def minutes_filename(meeting: Meeting, minutes: Minutes) -> str:
    return f"protokoll-{meeting.forum.slug}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-v{minutes.number}.pdf"


def current_seats(forum_id: int, day) -> Q:
    """Memberships of `forum_id` that cover `day`."""
    return Q(forum_id=forum_id, starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
