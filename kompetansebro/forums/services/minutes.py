"""The record of a meeting: marking it held, attendance, and the minutes (protokoll).

Minutes are drafted as a snapshot of the agenda, decisions and attendance (`Minutes.content`), approved,
and then locked. A change after approval is a new version with a reason; earlier versions stay. While the
newest version is approved, decisions and attendance cannot change either: the minutes would no longer
tell the truth. Callers check permissions with forums/rules.py first."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import log_action, model_label
from kompetansebro.forums.documents import current_seats
from kompetansebro.forums.models import (
    AgendaCase,
    Attendance,
    AttendanceStatus,
    Decision,
    ForumMembership,
    Meeting,
    MeetingStatus,
    MemberRole,
    Minutes,
    MinutesStatus,
)

LOCKED_MESSAGE = _(
    "The minutes of this meeting are approved and locked. To change anything, make a new version of the "
    "minutes and give the reason for the change."
)


def actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def lock_meeting(meeting: Meeting) -> Meeting:
    """The stored meeting, locked for this transaction so that two managers' steps run one after the other."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def latest_minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).order_by("-number").first()


def minutes_locked(meeting: Meeting) -> bool:
    """True while the newest version of the minutes is approved."""
    latest = latest_minutes(meeting)
    return latest is not None and latest.is_locked


def check_not_locked(meeting: Meeting) -> None:
    if minutes_locked(meeting):
        raise ValidationError(LOCKED_MESSAGE)


def set_meeting_status(meeting: Meeting, stored: Meeting, status: str, *, extra_fields=()) -> None:
    """Save a new status (and `extra_fields` already set on `meeting`), raising the version like any edit."""
    meeting.status = status
    meeting.version = stored.version + 1
    meeting.save(update_fields=["status", "version", *extra_fields])


def meeting_day(meeting: Meeting):
    return timezone.localtime(meeting.starts_at).date()


# ---- held ------------------------------------------------------------------------------------------------


def meeting_mark_held(*, actor, meeting: Meeting) -> Meeting:
    with transaction.atomic():
        stored = lock_meeting(meeting)
        if stored.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
            raise ValidationError(_("The meeting is already marked as held."))
        if stored.starts_at > timezone.now():
            raise ValidationError(_("The meeting has not started yet. Mark it as held when it has taken place."))
        before = stored.status
        set_meeting_status(meeting, stored, MeetingStatus.HELD)
        log_action(
            actor=actor,
            action="forums.meeting.held",
            target=meeting,
            changes={"status": {"old": before, "new": MeetingStatus.HELD.value, "model": model_label(Meeting)}},
        )
    return meeting


# ---- attendance ------------------------------------------------------------------------------------------

# What the form offers for each member; "deputy" means a deputy member is called in instead. Recorded before
# the meeting, it is the call-in: the deputy then gets the meeting's closed case papers (forums/rules.py).
ATTENDANCE_CHOICES = [
    (AttendanceStatus.PRESENT, _("present")),
    (AttendanceStatus.APOLOGIES, _("sent apologies")),
    (AttendanceStatus.DEPUTY, _("sent apologies, a deputy is called in")),
    (AttendanceStatus.ABSENT, _("absent")),
]


@dataclass
class AttendanceEntry:
    membership: ForumMembership
    status: str
    deputy: ForumMembership | None = None


def attendance_seats(meeting: Meeting) -> tuple[list[ForumMembership], list[ForumMembership]]:
    """(the seats whose attendance is recorded, the deputy seats) covering the meeting's date. One query."""
    seats = list(
        ForumMembership.objects.filter(current_seats(meeting.forum_id, meeting_day(meeting)))
        .select_related("person", "organisation")
        .order_by("person__full_name", "pk")
    )
    deputies = [seat for seat in seats if seat.role == MemberRole.DEPUTY]
    return [seat for seat in seats if seat.role != MemberRole.DEPUTY], deputies


def attendance_initial(meeting: Meeting, seats: list[ForumMembership]) -> dict[int, tuple[str, int | None]]:
    """{membership id: (status as the form shows it, the deputy's membership id)} from what is stored."""
    rows = list(Attendance.objects.filter(meeting=meeting))
    by_person = {row.person_id: row for row in rows}
    deputy_for = {row.deputy_for_id: row for row in rows if row.status == AttendanceStatus.DEPUTY}
    initial = {}
    for seat in seats:
        if seat.person_id in deputy_for:
            initial[seat.pk] = (AttendanceStatus.DEPUTY, deputy_for[seat.person_id].membership_id)
        elif seat.person_id in by_person:
            initial[seat.pk] = (by_person[seat.person_id].status, None)
    return initial


def attendance_record(*, actor, meeting: Meeting, entries: list[AttendanceEntry]) -> list[Attendance]:
    """Replace the meeting's attendance with `entries` (one per seat). A member replaced by a deputy is
    recorded with apologies, and the deputy as attending for them."""
    errors: dict[str, list] = {}
    seats, deputies = attendance_seats(meeting)
    seat_ids = {seat.pk for seat in seats}
    deputy_ids = {seat.pk for seat in deputies}
    used_deputies: set[int] = set()
    member_people = {seat.person_id for seat in seats}
    for entry in entries:
        key = f"status_{entry.membership.pk}"
        if entry.membership.pk not in seat_ids:
            errors.setdefault("__all__", []).append(
                _("%(name)s does not have a seat in the forum on the day of the meeting.")
                % {"name": entry.membership.person.get_full_name()}
            )
        elif entry.status not in AttendanceStatus.values:
            errors.setdefault(key, []).append(_("Choose whether the member attended."))
        elif entry.status == AttendanceStatus.DEPUTY:
            deputy_key = f"deputy_{entry.membership.pk}"
            if entry.deputy is None:
                errors.setdefault(deputy_key, []).append(_("Choose the deputy member who attended instead."))
            elif entry.deputy.pk not in deputy_ids:
                errors.setdefault(deputy_key, []).append(_("Choose one of the forum's deputy members."))
            elif entry.deputy.pk in used_deputies:
                errors.setdefault(deputy_key, []).append(_("A deputy member can attend for only one member."))
            elif entry.deputy.person_id in member_people:
                errors.setdefault(deputy_key, []).append(
                    _("%(name)s has a seat of their own and cannot attend as a deputy.")
                    % {"name": entry.deputy.person.get_full_name()}
                )
            else:
                used_deputies.add(entry.deputy.pk)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lock_meeting(meeting)
        check_not_locked(meeting)
        rows = []
        summary = []
        for entry in entries:
            person = entry.membership.person
            status = AttendanceStatus.APOLOGIES if entry.status == AttendanceStatus.DEPUTY else entry.status
            rows.append(Attendance(meeting=meeting, person=person, membership=entry.membership, status=status))
            if entry.status == AttendanceStatus.DEPUTY:
                rows.append(
                    Attendance(
                        meeting=meeting,
                        person=entry.deputy.person,
                        membership=entry.deputy,
                        status=AttendanceStatus.DEPUTY,
                        deputy_for=person,
                    )
                )
                summary.append(
                    f"{person.get_full_name()}: {AttendanceStatus(status).label} "
                    f"({entry.deputy.person.get_full_name()} {AttendanceStatus.DEPUTY.label})"
                )
            else:
                summary.append(f"{person.get_full_name()}: {AttendanceStatus(status).label}")
        Attendance.objects.filter(meeting=meeting).delete()
        Attendance.objects.bulk_create(rows)
        log_action(
            actor=actor, action="forums.meeting.attendance_recorded", target=meeting, data={"attendance": summary}
        )
    return rows


# ---- minutes ---------------------------------------------------------------------------------------------


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def minutes_snapshot(meeting: Meeting) -> dict:
    """What the minutes record: the meeting, who attended, and each case with its recommendation and
    decision. Only JSON values, so a stored snapshot compares equal to a fresh one when nothing changed.
    Three queries."""
    forum = meeting.forum
    attendance = []
    for row in (
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "deputy_for", "membership__organisation")
        .order_by("person__full_name", "pk")
    ):
        membership = row.membership
        attendance.append(
            {
                "name": row.person.get_full_name(),
                "organisation": membership.organisation.name if membership and membership.organisation else "",
                "role": membership.role if membership else "",
                "status": row.status,
                "deputy_for": row.deputy_for.get_full_name() if row.deputy_for else "",
            }
        )
    decisions = {decision.case_id: decision for decision in Decision.objects.filter(case__meeting=meeting)}
    cases = []
    for case in AgendaCase.objects.filter(meeting=meeting).order_by("position", "kind", "number", "pk"):
        decision = decisions.get(case.pk)
        cases.append(
            {
                "id": case.pk,
                "label": case.label,
                "kind": case.kind,
                "title": case.title,
                "archive_number": case.archive_number,
                "is_closed": case.is_closed,
                "legal_basis": case.legal_basis,
                "recommendation": case.recommendation,
                "decision": None
                if decision is None
                else {
                    "text": decision.text,
                    "as_recommended": decision.as_recommended,
                    "votes_for": decision.votes_for,
                    "votes_against": decision.votes_against,
                    "votes_abstaining": decision.votes_abstaining,
                    "dissent": decision.dissent,
                },
            }
        )
    return {
        "forum": forum.name,
        "title": meeting.title,
        "starts_at": _iso(meeting.starts_at),
        "ends_at": _iso(meeting.ends_at),
        "place": meeting.place,
        "video_link": meeting.video_link,
        "attendance": attendance,
        "cases": cases,
    }


def minutes_draft(*, actor, meeting: Meeting) -> Minutes:
    """Draft the minutes from the current agenda, decisions and attendance, or bring the open draft up to
    date. Refused before the meeting is held and while the newest version is approved."""
    with transaction.atomic():
        stored = lock_meeting(meeting)
        if stored.status not in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
            raise ValidationError(_("Mark the meeting as held before drafting the minutes."))
        latest = Minutes.objects.select_for_update().filter(meeting=meeting).order_by("-number").first()
        if latest is not None and latest.is_locked:
            raise ValidationError(LOCKED_MESSAGE)
        content = minutes_snapshot(stored)
        if latest is None:
            minutes = Minutes.objects.create(
                meeting=meeting, number=1, content=content, drafted_by=actor_or_none(actor)
            )
            action = "forums.minutes.drafted"
        else:
            minutes = latest
            minutes.content = content
            minutes.drafted_by = actor_or_none(actor)
            minutes.drafted_at = timezone.now()
            minutes.save(update_fields=["content", "drafted_by", "drafted_at"])
            action = "forums.minutes.redrafted"
        log_action(actor=actor, action=action, target=minutes, data={"meeting": meeting.pk, "version": minutes.number})
    return minutes


def minutes_approve(*, actor, minutes: Minutes) -> Minutes:
    """Approve a draft: it is locked from now on, and the meeting's status becomes "minutes approved".
    Refused when the agenda, decisions or attendance changed after the draft was made."""
    with transaction.atomic():
        stored_meeting = lock_meeting(minutes.meeting)
        stored = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if stored.is_locked:
            raise ValidationError(
                _("Version %(number)s of the minutes is already approved and locked. It cannot be changed.")
                % {"number": stored.number}
            )
        if stored.content != minutes_snapshot(stored_meeting):
            raise ValidationError(
                _(
                    "The agenda, decisions or attendance changed after this draft was made. Update the draft, "
                    "read it through, and approve it then."
                )
            )
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_by = actor_or_none(actor)
        minutes.approved_at = timezone.now()
        minutes.save(update_fields=["status", "approved_by", "approved_at"])
        meeting = minutes.meeting
        if stored_meeting.status != MeetingStatus.MINUTES_APPROVED:
            before = stored_meeting.status
            set_meeting_status(meeting, stored_meeting, MeetingStatus.MINUTES_APPROVED)
            log_action(
                actor=actor,
                action="forums.meeting.minutes_approved",
                target=meeting,
                changes={
                    "status": {
                        "old": before,
                        "new": MeetingStatus.MINUTES_APPROVED.value,
                        "model": model_label(Meeting),
                    }
                },
            )
        log_action(
            actor=actor,
            action="forums.minutes.approved",
            target=minutes,
            changes={
                "status": {
                    "old": MinutesStatus.DRAFT.value,
                    "new": MinutesStatus.APPROVED.value,
                    "model": model_label(Minutes),
                }
            },
            data={"meeting": meeting.pk, "version": minutes.number},
        )
    return minutes


def minutes_revise(*, actor, meeting: Meeting, reason: str) -> Minutes:
    """After approval: a new draft version from the current data, with the reason for the change. The
    approved versions stay as they are."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for changing the approved minutes.")})
    with transaction.atomic():
        stored = lock_meeting(meeting)
        latest = Minutes.objects.filter(meeting=meeting).order_by("-number").first()
        if latest is None:
            raise ValidationError(_("There are no approved minutes to change. Draft the minutes first."))
        if not latest.is_locked:
            raise ValidationError(
                _("Version %(number)s is a draft that is not approved yet. Update and approve that one instead.")
                % {"number": latest.number}
            )
        minutes = Minutes.objects.create(
            meeting=meeting,
            number=latest.number + 1,
            content=minutes_snapshot(stored),
            change_reason=reason,
            drafted_by=actor_or_none(actor),
        )
        log_action(
            actor=actor,
            action="forums.minutes.revised",
            target=minutes,
            data={"meeting": meeting.pk, "version": minutes.number, "previous": latest.number, "reason": reason},
        )
    return minutes
