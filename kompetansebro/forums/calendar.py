"""iCalendar for meetings: one meeting as an .ics (downloaded, or attached to the notice as an invitation)
and a subscribable feed of a forum's meetings.

Times are in Europe/Oslo with a VTIMEZONE, UID is the meeting's uid and SEQUENCE its calendar_sequence, so a
calendar that already has the meeting updates it. The description lists the titles of open cases only; a closed
case appears as its label and "exempt from public access"."""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from kompetansebro.forums.models import AgendaCase, Forum, Meeting

OSLO = ZoneInfo("Europe/Oslo")
PRODID = "-//Kompetansebro//Forums//NB"


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def agenda_lines(meeting_ids: Iterable[int]) -> dict[int, list[str]]:
    """{meeting id: ["PS 1/26 Title", "PS 2/26 Exempt from public access", …]}. One query; closed cases'
    titles are never read."""
    lines: dict[int, list[str]] = {}
    rows = (
        AgendaCase.objects.filter(meeting_id__in=list(meeting_ids))
        .order_by("position", "kind", "number", "pk")
        .values_list("meeting_id", "kind", "number", "year", "is_closed", "title")
    )
    for meeting_id, kind, number, year, is_closed, title in rows:
        label = f"{kind} {number}/{year % 100:02d}"
        text = _("Exempt from public access") if is_closed else title
        lines.setdefault(meeting_id, []).append(f"{label} {text}")
    return lines


def _location(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place, meeting.video_link) if part)


def meeting_event(meeting: Meeting, forum: Forum, agenda: list[str], *, attendee=None) -> Event:
    url = _site_url() + meeting.get_absolute_url()
    event = Event()
    event.add("uid", str(meeting.uid))
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", timezone.localtime(meeting.starts_at, OSLO))
    if meeting.ends_at:
        event.add("dtend", timezone.localtime(meeting.ends_at, OSLO))
    summary = f"{forum.name}: {meeting.title}" if meeting.title else forum.name
    event.add("summary", summary)
    if location := _location(meeting):
        event.add("location", location)
    event.add("url", url)
    description = [summary]
    if meeting.video_link:
        description.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    if agenda:
        description += ["", _("Agenda:"), *agenda]
    description += ["", _("Notice and case papers: %(url)s") % {"url": url}]
    event.add("description", "\n".join(description))
    event.add("status", "CONFIRMED")
    if attendee is not None:
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organizer = vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = vText(name or "Kompetansebro")
        event.add("organizer", organizer)
        guest = vCalAddress(f"mailto:{attendee.email}")
        guest.params["cn"] = vText(attendee.get_full_name())
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("NEEDS-ACTION")
        guest.params["rsvp"] = vText("FALSE")
        event.add("attendee", guest)
    return event


def _calendar(method: str, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Oslo")
    return calendar


def meeting_ics(meeting: Meeting, *, method: str = "PUBLISH", attendee=None) -> bytes:
    """One meeting. METHOD:REQUEST with an organizer and the attendee for the invitation in the notice."""
    calendar = _calendar(method)
    calendar.add_component(
        meeting_event(meeting, meeting.forum, agenda_lines([meeting.pk]).get(meeting.pk, []), attendee=attendee)
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def forum_ics(forum: Forum) -> bytes:
    """Every meeting of the forum: two queries however many meetings there are."""
    meetings = list(Meeting.objects.filter(forum=forum).order_by("starts_at", "pk"))
    agenda = agenda_lines(meeting.pk for meeting in meetings)
    calendar = _calendar("PUBLISH", name=forum.name)
    calendar.add("refresh-interval", datetime.timedelta(hours=6))
    calendar.add("x-published-ttl", "PT6H")
    for meeting in meetings:
        meeting.forum = forum
        calendar.add_component(meeting_event(meeting, forum, agenda.get(meeting.pk, [])))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    return f"mote-{meeting.forum.slug}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"
