"""Sending the notice of a meeting (møteinnkalling) to the forum's members.

The notice can be sent once the meeting has an agenda and has not started. Sending it again is allowed only
when something in it changed (time, place, agenda or case papers): that is an updated notice, and the
calendar sequence goes up so that calendars replace the earlier invitation. Each current member (deputies
included) gets an e-mail after the transaction commits, one by one, so that one bad address does not stop
the rest. The e-mail carries the notice as PDF and an iCalendar invitation; the PDF shows closed cases as
exempt from public access (members read those papers in the app, after logging in)."""

import hashlib
import json
import logging
from dataclasses import dataclass
from email.mime.text import MIMEText

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kompetansebro.accounts.models import User
from kompetansebro.audit.models import AuditEntry
from kompetansebro.audit.services import log_action
from kompetansebro.forums import calendar, documents
from kompetansebro.forums.documents import current_seats
from kompetansebro.forums.models import AgendaCase, CaseAttachment, Meeting, MeetingStatus
from kompetansebro.forums.services.minutes import lock_meeting

logger = logging.getLogger(__name__)

NOTICE_ACTIONS = ("forums.meeting.notice_sent", "forums.meeting.notice_updated")


@dataclass(frozen=True)
class NoticeResult:
    recipients: int
    updated: bool


def notice_fingerprint(meeting: Meeting) -> str:
    """A digest of everything the notice says; an updated notice may be sent only when it changed."""
    cases = list(
        AgendaCase.objects.filter(meeting=meeting)
        .order_by("position", "kind", "number", "pk")
        .values_list(
            "pk",
            "kind",
            "number",
            "year",
            "title",
            "archive_number",
            "is_closed",
            "legal_basis",
            "background",
            "facts",
            "assessment",
            "recommendation",
        )
    )
    attachments = sorted(CaseAttachment.objects.filter(case__meeting=meeting).values_list("pk", "sha256"))
    payload = {
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "cases": [list(row) for row in cases],
        "attachments": [list(row) for row in attachments],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def last_notice(meeting: Meeting) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting),
            object_id=str(meeting.pk),
            action__in=NOTICE_ACTIONS,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def notice_recipients(meeting: Meeting) -> list[User]:
    """Everyone with a current seat in the forum (deputies, observers and secretariat included), once each,
    active and with an e-mail address."""
    return list(
        User.objects.filter(
            is_active=True,
            forum_memberships__in=meeting.forum.memberships.filter(
                current_seats(meeting.forum_id, timezone.localdate())
            ),
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def notice_send(*, actor, meeting: Meeting) -> NoticeResult:
    with transaction.atomic():
        stored = lock_meeting(meeting)
        if stored.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
            raise ValidationError(_("The meeting has been held. Its notice can no longer be sent."))
        if stored.starts_at <= timezone.now():
            raise ValidationError(
                _("The meeting starts in the past. Move it to a later date and time before sending the notice.")
            )
        if not AgendaCase.objects.filter(meeting=stored).exists():
            raise ValidationError(_("The meeting has no cases on its agenda. Add the cases before sending the notice."))
        fingerprint = notice_fingerprint(stored)
        updated = stored.status == MeetingStatus.NOTICE_SENT
        if updated:
            previous = last_notice(stored)
            if previous is not None and previous.data.get("fingerprint") == fingerprint:
                raise ValidationError(
                    _(
                        "The notice has already been sent, and nothing in it has changed since. An updated notice "
                        "can be sent after the time, place, agenda or case papers change."
                    )
                )
            stored.calendar_sequence += 1
        stored.status = MeetingStatus.NOTICE_SENT
        stored.notice_sent_at = timezone.now()
        stored.version += 1
        stored.save(update_fields=["status", "notice_sent_at", "calendar_sequence", "version"])
        for name in ("status", "notice_sent_at", "calendar_sequence", "version"):
            setattr(meeting, name, getattr(stored, name))
        recipients = notice_recipients(stored)
        log_action(
            actor=actor,
            action=NOTICE_ACTIONS[1] if updated else NOTICE_ACTIONS[0],
            target=meeting,
            data={
                "fingerprint": fingerprint,
                "recipients": len(recipients),
                "calendar_sequence": stored.calendar_sequence,
            },
        )
        recipient_ids = [person.pk for person in recipients]
        transaction.on_commit(
            lambda: send_notice_mails(meeting_id=stored.pk, person_ids=recipient_ids, updated=updated)
        )
    return NoticeResult(recipients=len(recipients), updated=updated)


def _invitation(meeting: Meeting, person: User) -> MIMEText:
    part = MIMEText(calendar.meeting_ics(meeting, method="REQUEST", attendee=person).decode(), "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename=calendar.ics_filename(meeting))
    return part


def send_notice_mails(*, meeting_id: int, person_ids: list[int], updated: bool) -> int:
    """Send the notice to each person; returns how many were sent. A failure for one person is logged and
    the others still get theirs."""
    meeting = Meeting.objects.select_related("forum").get(pk=meeting_id)
    people = User.objects.filter(pk__in=person_ids).order_by("email")
    agenda = calendar.agenda_lines([meeting.pk]).get(meeting.pk, [])
    meeting_url = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    pdfs: dict[str, bytes | None] = {}
    sent = 0
    for person in people:
        try:
            with translation.override(person.language):
                if person.language not in pdfs:
                    try:
                        pdfs[person.language] = documents.notice_pdf(meeting, sees_closed=False)
                    except Exception:
                        logger.exception("Could not render the notice PDF for meeting %s", meeting.pk)
                        pdfs[person.language] = None
                context = {
                    "person": person,
                    "meeting": meeting,
                    "forum": meeting.forum,
                    "agenda": agenda,
                    "meeting_url": meeting_url,
                    "updated": updated,
                }
                subject = render_to_string("forums/emails/notice_subject.txt", context).strip()
                body = render_to_string("forums/emails/notice.txt", context)
                message = EmailMessage(subject, body, None, [person.email])
                if pdfs[person.language] is not None:
                    message.attach(documents.notice_filename(meeting), pdfs[person.language], "application/pdf")
                message.attach(_invitation(meeting, person))
            message.send()
            sent += 1
        except Exception:
            logger.exception("Could not send the notice of meeting %s to person %s", meeting.pk, person.pk)
    return sent
