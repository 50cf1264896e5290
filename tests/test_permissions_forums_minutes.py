"""Every notice, decision, attendance, minutes and calendar URL × every persona.

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404), M = method not
allowed (405: the actions take POST only, checked before anything else).
The forum belongs to the Trøndelag Sør council in the Trøndelag Sør region, so the region's secretariat manages
it; the Holtålen contact person has a seat in it (a member: sees closed cases and drafts, manages nothing).
A public forum's meetings, notices, calendars and approved minutes are open to everyone; a forum that is not
public is "not found" for those without a seat or a role in its region. A closed case is "not found" for those
who may not see it. Actions that a service refuses (e.g. sending a notice twice) still count as allowed here:
the person gets the page with the refusal, not a 403.
"""

import pytest
from django.urls import get_resolver, reverse

from kompetansebro.forums.services import decisions, minutes, notices
from tests.conftest import PERSONAS
from tests.forum_factories import ForumMembershipFactory
from tests.forum_minutes_helpers import make_forum, make_meeting, move_to_past
from tests.test_permissions import outcome

PREFIXES = ("notice", "decision_", "attendance_", "minutes", "calendar_")
EXTRA_NAMES = {"meeting_held", "meeting_ical", "forum_ical"}


def _forum(world, *, is_public=True):
    forum = make_forum(world, is_public=is_public)
    ForumMembershipFactory(forum=forum, person=world.users["holtalen_contact"])
    return forum


def planned(world, *, is_public=True):
    return make_meeting(_forum(world, is_public=is_public))


def private_planned(world):
    return planned(world, is_public=False)


def approved(world, *, is_public=True):
    meeting = planned(world, is_public=is_public)
    manager = world.users["secretariat_sor"]
    notices.notice_send(actor=manager, meeting=meeting)
    move_to_past(meeting)
    minutes.meeting_mark_held(actor=manager, meeting=meeting)
    decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True)
    minutes.minutes_approve(actor=manager, minutes=minutes.minutes_draft(actor=manager, meeting=meeting))
    meeting.refresh_from_db()
    return meeting


def private_approved(world):
    return approved(world, is_public=False)


def drafted(world):
    meeting = planned(world)
    manager = world.users["secretariat_sor"]
    notices.notice_send(actor=manager, meeting=meeting)
    move_to_past(meeting)
    minutes.meeting_mark_held(actor=manager, meeting=meeting)
    minutes.minutes_draft(actor=manager, meeting=meeting)
    return meeting


def meeting_url(name, state=planned, query=""):
    def make(world):
        meeting = state(world)
        return reverse(name, args=[meeting.forum.slug, meeting.pk]) + query

    return make


def case_url(name, state=planned, which="open_case"):
    def make(world):
        meeting = state(world)
        return reverse(name, args=[meeting.forum.slug, getattr(meeting, which).pk])

    return make


def forum_url(name, is_public=True):
    return lambda world: reverse(name, args=[_forum(world, is_public=is_public).slug])


PUBLIC = "O O O O O O O O O"
PRIVATE = "L N N O N N O N O"
MANAGE = "L F F F F F O F O"
MANAGE_PRIVATE = "L N N F N N O N O"
MANAGE_CLOSED = "L N N F N N O N O"

MATRIX = [
    ("forums:notice", "get", meeting_url("forums:notice"), PUBLIC),
    ("forums:notice", "get", meeting_url("forums:notice", private_planned), PRIVATE),
    ("forums:notice", "get", lambda w: reverse("forums:notice", args=["finnes-ikke", 999999]), "N N N N N N N N N"),
    ("forums:notice_pdf", "get", meeting_url("forums:notice_pdf"), PUBLIC),
    ("forums:notice_pdf", "get", meeting_url("forums:notice_pdf", private_planned), PRIVATE),
    ("forums:notice_send", "post", meeting_url("forums:notice_send"), MANAGE),
    ("forums:notice_send", "post", meeting_url("forums:notice_send", private_planned), MANAGE_PRIVATE),
    ("forums:notice_send", "get", meeting_url("forums:notice_send"), "M M M M M M M M M"),
    ("forums:meeting_ical", "get", meeting_url("forums:meeting_ical"), PUBLIC),
    ("forums:meeting_ical", "get", meeting_url("forums:meeting_ical", private_planned), PRIVATE),
    ("forums:forum_ical", "get", forum_url("forums:forum_ical"), PUBLIC),
    ("forums:forum_ical", "get", forum_url("forums:forum_ical", is_public=False), PRIVATE),
    ("forums:forum_ical", "get", lambda w: reverse("forums:forum_ical", args=["finnes-ikke"]), "N N N N N N N N N"),
    ("forums:decision_edit", "get", case_url("forums:decision_edit"), MANAGE),
    ("forums:decision_edit", "post", case_url("forums:decision_edit"), MANAGE),
    ("forums:decision_edit", "get", case_url("forums:decision_edit", which="closed_case"), MANAGE_CLOSED),
    ("forums:decision_edit", "get", case_url("forums:decision_edit", private_planned), MANAGE_PRIVATE),
    ("forums:decision_edit", "get", case_url("forums:decision_edit", approved), MANAGE),
    ("forums:attendance_edit", "get", meeting_url("forums:attendance_edit"), MANAGE),
    ("forums:attendance_edit", "post", meeting_url("forums:attendance_edit"), MANAGE),
    ("forums:attendance_edit", "get", meeting_url("forums:attendance_edit", private_planned), MANAGE_PRIVATE),
    ("forums:meeting_held", "post", meeting_url("forums:meeting_held"), MANAGE),
    ("forums:meeting_held", "post", meeting_url("forums:meeting_held", private_planned), MANAGE_PRIVATE),
    ("forums:minutes", "get", meeting_url("forums:minutes"), PUBLIC),
    ("forums:minutes", "get", meeting_url("forums:minutes", approved), PUBLIC),
    ("forums:minutes", "get", meeting_url("forums:minutes", approved, "?versjon=1"), PUBLIC),
    ("forums:minutes", "get", meeting_url("forums:minutes", drafted, "?versjon=1"), "N N N O N N O N O"),
    ("forums:minutes", "get", meeting_url("forums:minutes", private_approved), PRIVATE),
    ("forums:minutes_pdf", "get", meeting_url("forums:minutes_pdf", approved), PUBLIC),
    ("forums:minutes_pdf", "get", meeting_url("forums:minutes_pdf", drafted), "N N N O N N O N O"),
    ("forums:minutes_pdf", "get", meeting_url("forums:minutes_pdf", private_approved), PRIVATE),
    ("forums:minutes_draft", "post", meeting_url("forums:minutes_draft", drafted), MANAGE),
    ("forums:minutes_draft", "post", meeting_url("forums:minutes_draft", private_planned), MANAGE_PRIVATE),
    ("forums:minutes_approve", "post", meeting_url("forums:minutes_approve", drafted), MANAGE),
    ("forums:minutes_approve", "post", meeting_url("forums:minutes_approve", private_approved), MANAGE_PRIVATE),
    ("forums:minutes_revise", "get", meeting_url("forums:minutes_revise", approved), MANAGE),
    ("forums:minutes_revise", "post", meeting_url("forums:minutes_revise", approved), MANAGE),
    ("forums:minutes_revise", "post", meeting_url("forums:minutes_revise", private_approved), MANAGE_PRIVATE),
]

CASES = [
    pytest.param(method, url_of, persona, expected, id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, codes) in enumerate(MATRIX)
    for persona, expected in zip(PERSONAS, codes.split(), strict=True)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        target = url_of(world)
    client = client_for(persona)
    response = client.get(target) if method == "get" else client.post(target, {})
    assert ("M" if response.status_code == 405 else outcome(response)) == expected


def test_matrix_covers_every_view():
    """A new URL of this part (notice, decisions, attendance, minutes, calendars) without a row fails here."""
    resolver = get_resolver().namespace_dict["forums"][1]
    names = {
        f"forums:{key}"
        for key in resolver.reverse_dict
        if isinstance(key, str) and (key.startswith(PREFIXES) or key in EXTRA_NAMES)
    }
    covered = {name for name, *_ in MATRIX}
    assert len(names) == 13
    assert names - covered == set()
