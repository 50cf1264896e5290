"""The annual wheel: steps, the month view and the list, rolling over to the next year (29 February, idempotent,
the next year's round, all or nothing), the iCalendar feeds and a forum's wheel."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kompetansebro.audit.models import AuditEntry
from kompetansebro.grants import selectors
from kompetansebro.grants.models import GrantRound, WheelStep, WheelStepKind
from kompetansebro.grants.services import wheel as services
from kompetansebro.grants.services.wheel import next_year
from tests.forum_factories import MeetingFactory
from tests.grant_factories import GrantRoundFactory, GrantSchemeFactory
from tests.test_forums import forum_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date
OSLO = ZoneInfo("Europe/Oslo")


def dekom(world):
    return GrantSchemeFactory(
        name="DEKOM Trøndelag", slug="dekom", owner=world.holtalen, max_grant_share=Decimal("100")
    )


def step(scheme, title, start, end=None, **kwargs):
    return WheelStep.objects.create(scheme=scheme, title=title, starts_on=start, ends_on=end, **kwargs)


def dekom_wheel(scheme, grant_round, forum=None):
    """DEKOM's cycle as in seed 004, for 2027."""
    return [
        step(scheme, "Nettverkene analyserer og prioriterer", D(2026, 10, 1), D(2027, 3, 20), kind="analysis"),
        step(scheme, "Erfaringsseminaret", D(2027, 2, 4), D(2027, 2, 5), kind="seminar"),
        step(scheme, "Frist for prioriteringslister", D(2027, 3, 20), kind="priority_deadline", round=grant_round),
        step(scheme, "Samarbeidsforum vedtar", D(2027, 3, 28), kind="forum_meeting", round=grant_round, forum=forum),
        step(scheme, "Utbetaling", D(2027, 6, 25), kind="payment", round=grant_round),
        step(scheme, "Engangsmøte", D(2027, 9, 1), repeats_yearly=False),
        step(scheme, "Skuddårsdag", D(2028, 2, 29)),
    ]


# ---- dates and the roll-over ---------------------------------------------------------------------------------


def test_next_year_keeps_the_date_and_moves_29_february_to_28():
    assert next_year(D(2027, 3, 20)) == D(2028, 3, 20)
    assert next_year(D(2028, 2, 29)) == D(2029, 2, 28)
    assert next_year(D(2027, 12, 31)) == D(2028, 12, 31)


def test_roll_over_copies_yearly_steps_with_the_round_and_is_idempotent(world, client_for):
    scheme = dekom(world)
    grant_round = GrantRoundFactory(
        scheme=scheme,
        name="DEKOM 2027",
        year=2027,
        frame=Decimal("2500000"),
        region=world.region,
        priority_deadline=D(2027, 3, 20),
    )
    dekom_wheel(scheme, grant_round)
    client = client_for("holtalen_admin")
    response = client.post(reverse("grants:wheel_roll_over", args=[scheme.slug]), {"year": "2027"})
    assert response.status_code == 302 and response.url.endswith("?year=2028")
    copies = list(WheelStep.objects.filter(scheme=scheme, starts_on__year=2028).exclude(title="Skuddårsdag"))
    assert sorted(s.title for s in copies) == [
        "Erfaringsseminaret",
        "Frist for prioriteringslister",
        "Samarbeidsforum vedtar",
        "Utbetaling",
    ]  # the analysis step starts in 2026 and belongs to that year's roll-over; the one-off meeting is not copied
    seminar = next(s for s in copies if s.kind == WheelStepKind.SEMINAR)
    assert (seminar.starts_on, seminar.ends_on) == (D(2028, 2, 4), D(2028, 2, 5))
    assert seminar.rolled_from.title == "Erfaringsseminaret" and seminar.uid != seminar.rolled_from.uid
    next_round = GrantRound.objects.get(scheme=scheme, year=2028)
    assert next_round.name == "DEKOM 2028" and next_round.frame == Decimal("2500000")
    assert next_round.frame_to_be_adjusted and next_round.rolled_from == grant_round
    assert next_round.priority_deadline == D(2028, 3, 20) and next_round.region == world.region
    assert {s.round for s in copies if s.kind != WheelStepKind.SEMINAR} == {next_round}
    assert AuditEntry.objects.filter(action="grants.wheel.rolled_over", object_id=str(scheme.pk)).count() == 1
    assert AuditEntry.objects.filter(action="grants.round.created", object_id=str(next_round.pk)).exists()
    # again: nothing new
    again = services.wheel_roll_over(actor=None, scheme=scheme, year=2027)
    assert again.steps == [] and again.rounds == [] and again.already_rolled == 4
    assert WheelStep.objects.filter(scheme=scheme, starts_on__year=2028).count() == 5
    assert GrantRound.objects.filter(scheme=scheme).count() == 2
    # a step added to 2027 afterwards is copied on the next roll-over, into the round already rolled to
    late = step(scheme, "Rapportfrist", D(2027, 11, 1), kind="report_due", round=grant_round)
    third = services.wheel_roll_over(actor=None, scheme=scheme, year=2027)
    assert [s.rolled_from for s in third.steps] == [late] and third.steps[0].round == next_round
    # the leap day: 29 February 2028 becomes 28 February 2029
    services.wheel_roll_over(actor=None, scheme=scheme, year=2028)
    assert WheelStep.objects.get(scheme=scheme, title="Skuddårsdag", starts_on__year=2029).starts_on == D(2029, 2, 28)
    assert GrantRound.objects.get(scheme=scheme, year=2029).rolled_from == next_round


def test_roll_over_uses_a_round_made_by_hand_for_the_next_year(world):
    scheme = dekom(world)
    this_year = GrantRoundFactory(scheme=scheme, year=2027, region=world.region)
    by_hand = GrantRoundFactory(scheme=scheme, year=2028, region=world.region, frame=Decimal("3000000"))
    step(scheme, "Frist", D(2027, 3, 20), round=this_year)
    result = services.wheel_roll_over(actor=None, scheme=scheme, year=2027)
    assert result.rounds == [] and result.steps[0].round == by_hand
    by_hand.refresh_from_db()
    assert by_hand.rolled_from == this_year and by_hand.frame == Decimal("3000000")
    assert not by_hand.frame_to_be_adjusted


def test_roll_over_is_all_or_nothing(world, monkeypatch):
    scheme = dekom(world)
    grant_round = GrantRoundFactory(scheme=scheme, year=2027)
    dekom_wheel(scheme, grant_round)

    def fail(**kwargs):
        raise RuntimeError("audit failed")

    monkeypatch.setattr(services, "log_action", fail)
    with pytest.raises(RuntimeError):
        services.wheel_roll_over(actor=None, scheme=scheme, year=2027)
    assert not WheelStep.objects.filter(starts_on__year=2028).exclude(title="Skuddårsdag").exists()
    assert GrantRound.objects.filter(scheme=scheme).count() == 1


# ---- steps through the pages -----------------------------------------------------------------------------------


def step_data(**changes) -> dict:
    data = {
        "title": "Frist for prioriteringslister",
        "kind": "priority_deadline",
        "starts_on": "20.03.2027",
        "ends_on": "",
        "repeats_yearly": "on",
        "round": "",
        "forum": "",
        "description": "Sendes til Statsforvalteren.",
    }
    data.update(changes)
    return data


def test_step_create_edit_delete_with_history(world, client_for):
    scheme = dekom(world)
    client = client_for("holtalen_admin")
    response = client.post(reverse("grants:wheel_step_create", args=[scheme.slug]), step_data())
    assert response.status_code == 302 and response.url.endswith("?year=2027")
    created = WheelStep.objects.get(scheme=scheme)
    assert created.starts_on == D(2027, 3, 20) and created.ends_on is None and created.repeats_yearly
    edit_url = reverse("grants:wheel_step_edit", args=[scheme.slug, created.pk])
    assert client.get(edit_url).status_code == 200
    bad = client.post(edit_url, step_data(starts_on="20.03.2027", ends_on="01.03.2027"))
    assert bad.status_code == 200 and "ends_on" in bad.context["form"].errors
    assert client.post(edit_url, step_data(starts_on="19.03.2027")).status_code == 302
    created.refresh_from_db()
    assert created.starts_on == D(2027, 3, 19)
    delete_url = reverse("grants:wheel_step_delete", args=[scheme.slug, created.pk])
    assert "Remove" in client.get(delete_url).content.decode()
    assert client.post(delete_url).status_code == 302
    assert not WheelStep.objects.exists()
    actions = list(AuditEntry.objects.filter(object_id=str(scheme.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["grants.wheel_step.changed", "grants.wheel_step.created", "grants.wheel_step.deleted"]
    history = client.get(reverse("grants:scheme_history", args=[scheme.slug])).content.decode()
    assert "Frist for prioriteringslister (19.03.2027)" in history


def test_round_secretariat_manages_the_rounds_steps_only(world, client_for):
    scheme = dekom(world)
    grant_round = GrantRoundFactory(scheme=scheme, year=2027, region=world.region)
    other_round = GrantRoundFactory(scheme=scheme, year=2027)
    client = client_for("secretariat_sor")
    create_url = reverse("grants:wheel_step_create", args=[scheme.slug])
    assert client.get(create_url).status_code == 403
    assert client.get(f"{create_url}?round={other_round.pk}").status_code == 403
    assert client.get(f"{create_url}?round=999999").status_code == 404
    response = client.post(f"{create_url}?round={grant_round.pk}", step_data(round=other_round.pk))
    assert response.status_code == 200 and "round" in response.context["form"].errors
    assert client.post(f"{create_url}?round={grant_round.pk}", step_data(round=grant_round.pk)).status_code == 302
    own = WheelStep.objects.get(round=grant_round)
    scheme_step = step(scheme, "Seminar", D(2027, 2, 4))
    assert client.get(reverse("grants:wheel_step_edit", args=[scheme.slug, own.pk])).status_code == 200
    assert client.get(reverse("grants:wheel_step_edit", args=[scheme.slug, scheme_step.pk])).status_code == 403
    page = client.get(reverse("grants:wheel", args=[scheme.slug]) + "?year=2027").content.decode()
    assert reverse("grants:wheel_step_edit", args=[scheme.slug, own.pk]) in page
    assert reverse("grants:wheel_step_edit", args=[scheme.slug, scheme_step.pk]) not in page
    # a step of another scheme is not found through this one
    foreign = step(GrantSchemeFactory(), "Annen", D(2027, 1, 1))
    assert (
        client_for("platform_admin").get(reverse("grants:wheel_step_edit", args=[scheme.slug, foreign.pk])).status_code
        == 404
    )


# ---- month view, list, year navigation ---------------------------------------------------------------------


def test_month_view_lists_a_spanning_step_in_every_month_it_covers(world, client_for):
    scheme = dekom(world)
    grant_round = GrantRoundFactory(scheme=scheme, year=2027)
    dekom_wheel(scheme, grant_round)
    months = selectors.month_view(2027, selectors.wheel_entries(selectors.wheel_steps(year=2027, scheme=scheme)))
    titles = {month.number: [entry.title for entry in month.entries] for month in months}
    analysis = "Nettverkene analyserer og prioriterer"
    assert [n for n, t in titles.items() if analysis in t] == [1, 2, 3]
    assert titles[2] == [analysis, "Erfaringsseminaret"]
    assert titles[3] == [analysis, "Frist for prioriteringslister", "Samarbeidsforum vedtar"]
    assert titles[4] == [] and titles[6] == ["Utbetaling"]
    march = months[2].entries[0]
    assert march.continues_from_before and not march.continues_after
    autumn = selectors.month_view(2026, selectors.wheel_entries(selectors.wheel_steps(year=2026, scheme=scheme)))
    assert [m.number for m in autumn if m.entries] == [10, 11, 12]
    assert autumn[9].entries[0].continues_after
    response = client_for("anonymous").get(reverse("grants:wheel", args=[scheme.slug]) + "?year=2027")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(analysis) >= 4  # January, February and March, and the list
    assert "March 2027" in page and "Nothing this month." in page
    assert 'href="?year=2028"' not in page and "?year=2028" in page  # the year navigation
    assert "Roll the wheel over" not in page  # only for those who manage the scheme
    assert "Roll the wheel over" in client_for("holtalen_admin").get(response.request["PATH_INFO"]).content.decode()


def test_wheel_year_falls_back_to_this_year(world, client_for):
    scheme = dekom(world)
    this_year = timezone.localdate().year
    for value in ("abc", "99999", ""):
        response = client_for("anonymous").get(reverse("grants:wheel", args=[scheme.slug]), {"year": value})
        assert response.context["year"] == this_year


@pytest.mark.parametrize("persona", ["anonymous", "holtalen_admin", "secretariat_sor"])
def test_wheel_pages_query_counts_do_not_grow(world, client_for, persona):
    scheme = dekom(world)
    forum = forum_in(world, slug="samarbeidsforum")
    client = client_for(persona)
    urls = [
        reverse("grants:wheel", args=[scheme.slug]) + "?year=2027",
        reverse("grants:forum_wheel", args=[forum.slug]) + "?year=2027",
        reverse("grants:scheme_ical", args=[scheme.slug]),
        reverse("grants:forum_wheel_ical", args=[forum.slug]),
    ]
    counts = {url: [] for url in urls}
    for size in (1, 5):
        for n in range(size):
            grant_round = GrantRoundFactory(scheme=scheme, year=2027, region=world.region, forum=forum)
            step(scheme, f"Steg {n}", D(2027, 1 + n, 3), D(2027, 2 + n, 3), round=grant_round, forum=forum)
            step(scheme, f"Fritt steg {n}", D(2027, 5, 1 + n), forum=forum)
            MeetingFactory(forum=forum, starts_at=datetime.datetime(2027, 3, 1 + n, 10, tzinfo=OSLO), ends_at=None)
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url].append(len(queries))
    for url, (small, large) in counts.items():
        assert large <= small, (url, small, large)


# ---- calendars and a forum's wheel ---------------------------------------------------------------------------


def test_scheme_feed_has_all_day_events_with_the_steps_uid(world, client_for):
    scheme = dekom(world)
    grant_round = GrantRoundFactory(scheme=scheme, year=2027)
    steps = dekom_wheel(scheme, grant_round)
    response = client_for("anonymous").get(reverse("grants:scheme_ical", args=[scheme.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode()
    assert "DTSTART;VALUE=DATE:20271001" not in raw and "DTSTART;VALUE=DATE:20261001" in raw
    parsed = Calendar.from_ical(response.content)
    events = {str(event["UID"]): event for event in parsed.walk("VEVENT")}
    assert set(events) == {str(s.uid) for s in steps}
    seminar = events[str(steps[1].uid)]
    assert seminar.decoded("DTSTART") == D(2027, 2, 4) and seminar.decoded("DTEND") == D(2027, 2, 6)
    deadline = events[str(steps[2].uid)]
    assert deadline.decoded("DTSTART") == D(2027, 3, 20) and deadline.decoded("DTEND") == D(2027, 3, 21)
    assert str(deadline["SUMMARY"]) == "Frist for prioriteringslister"
    assert str(parsed["X-WR-CALNAME"]) == scheme.name


def test_forum_wheel_shows_its_steps_and_meetings(world, client_for):
    scheme = dekom(world)
    forum = forum_in(world, slug="samarbeidsforum", name="Samarbeidsforum DEKOM")
    grant_round = GrantRoundFactory(scheme=scheme, year=2027, forum=forum)
    steps = dekom_wheel(scheme, grant_round, forum=forum)
    meeting = MeetingFactory(
        forum=forum,
        title="Møte i samarbeidsforum",
        starts_at=datetime.datetime(2027, 2, 5, 13, tzinfo=OSLO),
        ends_at=datetime.datetime(2027, 2, 5, 15, tzinfo=OSLO),
    )
    page = client_for("anonymous").get(reverse("grants:forum_wheel", args=[forum.slug]) + "?year=2027")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Samarbeidsforum vedtar" in text and "Møte i samarbeidsforum" in text
    assert "Erfaringsseminaret" not in text  # not placed in the forum
    months = page.context["months"]
    assert [entry.title for entry in months[1].entries] == ["Møte i samarbeidsforum"]
    feed = client_for("anonymous").get(reverse("grants:forum_wheel_ical", args=[forum.slug]))
    parsed = Calendar.from_ical(feed.content)
    uids = {str(event["UID"]) for event in parsed.walk("VEVENT")}
    assert uids == {str(steps[3].uid), str(meeting.uid)}


def test_forum_wheel_of_a_forum_that_is_not_public(world, client_for):
    forum = forum_in(world, slug="lukket", is_public=False)
    url = reverse("grants:forum_wheel", args=[forum.slug])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("holtalen_contact").get(url).status_code == 200
    ical = reverse("grants:forum_wheel_ical", args=[forum.slug])
    assert client_for("anonymous").get(ical).status_code == 302
    assert client_for("outsider").get(ical).status_code == 404
