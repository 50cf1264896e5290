"""Planning and changing meetings. Times are timezone-aware (shown in Europe/Oslo); a new meeting cannot
start in the past, and a change to time or place raises the calendar sequence so that calendars that
received the invitation update it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.core.versioning import save_versioned
from kompetansebro.forums.models import Forum, Meeting

MEETING_FIELDS = ["title", "starts_at", "ends_at", "place", "video_link"]
CALENDAR_FIELDS = {"starts_at", "ends_at", "place", "video_link"}


def _snapshot(meeting: Meeting) -> dict:
    """The meeting's fields as people read them: times in Oslo time as 22.11.2026 10:00."""
    values = snapshot(meeting, MEETING_FIELDS)
    for name in ("starts_at", "ends_at"):
        value = getattr(meeting, name)
        values[name] = timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else None
    return values


def _check_times(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None, *, new_start: bool) -> None:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = [_("Give the date and time the meeting starts.")]
    elif new_start and starts_at < timezone.now():
        errors["starts_at"] = [_("The meeting cannot start in the past. Choose a later date and time.")]
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [_("The meeting must end after it starts.")]
    if errors:
        raise ValidationError(errors)


def _check_place(place: str, video_link: str) -> None:
    if not place and not video_link:
        raise ValidationError({"place": _("Give the place of the meeting, a video link, or both.")})


def meeting_create(
    *,
    actor,
    forum: Forum,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    title: str = "",
    place: str = "",
    video_link: str = "",
) -> Meeting:
    title, place, video_link = (title or "").strip(), (place or "").strip(), (video_link or "").strip()
    _check_times(starts_at, ends_at, new_start=True)
    _check_place(place, video_link)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            forum=forum, title=title, starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link
        )
        log_action(
            actor=actor,
            action="forums.meeting.created",
            target=meeting,
            changes=diff({}, _snapshot(meeting), model=Meeting),
        )
    return meeting


def meeting_update(*, actor, meeting: Meeting, expected_version: int, **values) -> Meeting:
    """Change title, time or place. A meeting may not be moved to a time in the past; a change to time or
    place raises `calendar_sequence`. Raises ConcurrentEditError on a stale version."""
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    for key in ("title", "place", "video_link"):
        if key in values:
            values[key] = (values[key] or "").strip()
    stored = Meeting.objects.get(pk=meeting.pk)
    merged = {name: values.get(name, getattr(stored, name)) for name in MEETING_FIELDS}
    _check_times(merged["starts_at"], merged["ends_at"], new_start=merged["starts_at"] != stored.starts_at)
    _check_place(merged["place"], merged["video_link"])
    with transaction.atomic():
        before = _snapshot(stored)
        changed = [name for name in values if getattr(stored, name) != values[name]]
        for name, value in values.items():
            setattr(meeting, name, value)
        update_fields = list(values)
        if CALENDAR_FIELDS & set(changed):
            meeting.calendar_sequence = stored.calendar_sequence + 1
            update_fields.append("calendar_sequence")
        save_versioned(meeting, expected_version=expected_version, update_fields=update_fields)
        changes = diff(before, _snapshot(meeting), model=Meeting)
        if changes:
            log_action(actor=actor, action="forums.meeting.changed", target=meeting, changes=changes)
    return meeting
