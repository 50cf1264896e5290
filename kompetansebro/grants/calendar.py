"""iCalendar feeds of the annual wheel: a scheme's steps, and a forum's wheel (the steps placed in the forum
and its meetings). Steps are all-day events (DTSTART;VALUE=DATE, DTEND the day after the last day, as RFC 5545
wants) with the step's uid as UID, so a subscribed calendar updates a changed step instead of adding a copy.
Meetings are the same events as in the forum's meeting feed (forums/calendar.py)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from kompetansebro.forums.calendar import agenda_lines, meeting_event
from kompetansebro.forums.models import Forum, Meeting
from kompetansebro.grants.models import GrantScheme, WheelStep

PRODID = "-//Kompetansebro//Grants//NB"


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def step_event(step: WheelStep, *, url: str) -> Event:
    event = Event()
    event.add("uid", str(step.uid))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", step.starts_on)
    event.add("dtend", (step.ends_on or step.starts_on) + datetime.timedelta(days=1))
    event.add("summary", step.title)
    description = [step.get_kind_display().capitalize()]
    if step.description:
        description += ["", step.description]
    description += ["", url]
    event.add("description", "\n".join(description))
    event.add("categories", [step.get_kind_display()])
    event.add("transp", "TRANSPARENT")  # an all-day step does not make anyone busy
    event.add("url", url)
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    calendar.add("refresh-interval", datetime.timedelta(hours=6))
    calendar.add("x-published-ttl", "PT6H")
    return calendar


def scheme_ics(scheme: GrantScheme) -> bytes:
    """Every step of the scheme's wheel, all years; one query."""
    url = _site_url() + reverse("grants:wheel", args=[scheme.slug])
    calendar = _calendar(scheme.name)
    for step in WheelStep.objects.filter(scheme=scheme).order_by("starts_on", "pk"):
        calendar.add_component(step_event(step, url=f"{url}?year={step.starts_on.year}"))
    return calendar.to_ical()


def forum_wheel_ics(forum: Forum) -> bytes:
    """The steps placed in the forum and the forum's meetings; three queries."""
    url = _site_url() + reverse("grants:forum_wheel", args=[forum.slug])
    calendar = _calendar(forum.name)
    for step in WheelStep.objects.filter(forum=forum).order_by("starts_on", "pk"):
        calendar.add_component(step_event(step, url=f"{url}?year={step.starts_on.year}"))
    meetings = list(Meeting.objects.filter(forum=forum).order_by("starts_at", "pk"))
    agenda = agenda_lines(meeting.pk for meeting in meetings)
    for meeting in meetings:
        meeting.forum = forum
        calendar.add_component(meeting_event(meeting, forum, agenda.get(meeting.pk, [])))
    if meetings:
        calendar.add_missing_timezones()
    return calendar.to_ical()
