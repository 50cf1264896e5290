"""iCalendar: one meeting's .ics and the forum's subscribable feed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kompetansebro.forums import calendar
from kompetansebro.forums.models import Meeting
from tests.forum_factories import AgendaCaseFactory, MeetingFactory
from tests.forum_minutes_helpers import CLOSED_TITLE, make_forum, make_meeting

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def forum(world):
    return make_forum(world)


def test_meeting_ics_parses_back_with_oslo_time_uid_and_sequence(client_for, forum):
    meeting = make_meeting(forum, video_link="https://meet.example.no/forum")
    Meeting.objects.filter(pk=meeting.pk).update(calendar_sequence=3)
    response = client_for("anonymous").get(reverse("forums:meeting_ical", args=[forum.slug, meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"].startswith("attachment; filename=")
        and ".ics" in response["Content-Disposition"]
    )
    raw = response.content.decode()
    assert "DTSTART;TZID=Europe/Oslo:" in raw and "DTEND;TZID=Europe/Oslo:" in raw
    parsed = Calendar.from_ical(response.content)
    assert parsed["METHOD"] == "PUBLISH"
    [zone] = parsed.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Oslo"
    [event] = parsed.walk("VEVENT")
    assert str(event["UID"]) == str(meeting.uid)
    assert event["SEQUENCE"] == 3
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at and str(start.tzinfo) == "Europe/Oslo"
    assert start.astimezone(timezone.get_current_timezone()).hour == 10
    assert event.decoded("DTEND") == meeting.ends_at
    assert "Røros rådhus" in str(event["LOCATION"]) and "meet.example.no" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    description = str(event["DESCRIPTION"])
    assert f"{meeting.open_case.label} Kompetansebehov i helse og omsorg" in description
    assert f"{meeting.closed_case.label} Exempt from public access" in description
    assert CLOSED_TITLE not in raw


def test_invitation_has_organizer_and_attendee(forum):
    meeting = make_meeting(forum)
    person = forum.member.person
    parsed = Calendar.from_ical(calendar.meeting_ics(meeting, method="REQUEST", attendee=person))
    assert parsed["METHOD"] == "REQUEST"
    [event] = parsed.walk("VEVENT")
    assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")


def test_forum_feed_lists_every_meeting_in_two_queries(client_for, forum, django_assert_max_num_queries):
    first = make_meeting(forum)
    later = make_meeting(
        forum,
        starts_at=first.starts_at + datetime.timedelta(days=30),
        ends_at=first.starts_at + datetime.timedelta(days=30, hours=2),
    )
    for _ in range(5):
        AgendaCaseFactory(meeting=later)
    MeetingFactory()  # another forum's meeting
    client = client_for("anonymous")
    url = reverse("forums:forum_ical", args=[forum.slug])
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    parsed = Calendar.from_ical(response.content)
    assert str(parsed["X-WR-CALNAME"]) == forum.name
    assert [str(event["UID"]) for event in parsed.walk("VEVENT")] == [str(first.uid), str(later.uid)]
    assert CLOSED_TITLE not in response.content.decode()
    assert len(parsed.walk("VTIMEZONE")) == 1


def test_feed_of_a_non_public_forum(client_for, world):
    forum = make_forum(world, is_public=False)
    make_meeting(forum)
    url = reverse("forums:forum_ical", args=[forum.slug])
    assert "logg-inn" in client_for("anonymous").get(url)["Location"]
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("secretariat_sor").get(url).status_code == 200
    member = client_for("anonymous")
    member.force_login(forum.member.person, backend="django.contrib.auth.backends.ModelBackend")
    assert member.get(url).status_code == 200


def test_calendar_section_links_to_the_feed(forum, rf):
    from django.template.loader import render_to_string

    html = render_to_string("forums/_forum_calendar_section.html", {"forum": forum}, rf.get("/"))
    assert "Subscribe to the meeting calendar" in html
    assert f'value="http://testserver{reverse("forums:forum_ical", args=[forum.slug])}"' in html
