"""The public front page (issue 12 item 6): a way into the catalogue ("search", "what can I take where I
live"), the forums' next meetings and latest approved minutes, and the newest offerings — only what the
visitor may see, with a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompetansebro.forums.models import Minutes, MinutesStatus
from kompetansebro.offerings.models import OfferingStatus
from tests.factories import OfferingFactory
from tests.forum_factories import ForumFactory, MeetingFactory

HOME = reverse("core:home")


def approved_minutes(meeting, *, days_ago=1, number=1):
    return Minutes.objects.create(
        meeting=meeting,
        number=number,
        status=MinutesStatus.APPROVED,
        approved_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def past_meeting(forum, *, days_ago, **kwargs):
    starts_at = timezone.now() - datetime.timedelta(days=days_ago)
    return MeetingFactory(forum=forum, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), **kwargs)


@pytest.fixture
def forums(world):
    public = ForumFactory(name="Kompetanseforum Trøndelag Sør", region=world.region, owner=world.council)
    closed = ForumFactory(
        name="Lukket styringsgruppe", slug="lukket", region=world.region, owner=world.council, is_public=False
    )
    return public, closed


def test_a_visitor_gets_a_search_box_and_a_municipality_choice_into_the_catalogue(world, client):
    response = client.get(HOME)
    html = response.content.decode()
    catalogue = reverse("offerings:catalogue")
    assert html.count(f'action="{catalogue}"') == 2
    assert 'role="search"' in html
    assert '<label class="ds-label" for="id_q">Søk</label>' in html
    assert '<label class="ds-label" for="id_municipality">Jeg bor i</label>' in html
    assert '<option value="5026">Holtålen</option>' in html
    assert "Hva kan jeg ta der jeg bor?" in html


def test_a_visitor_sees_the_next_meetings_of_public_forums_only(world, client, forums):
    public, closed = forums
    soon = MeetingFactory(
        forum=public,
        title="Høstmøtet",
        starts_at=timezone.make_aware(datetime.datetime.combine(datetime.date(2099, 11, 22), datetime.time(10))),
    )
    MeetingFactory(forum=closed, title="Hemmelig møte")
    past_meeting(public, days_ago=3, title="Forrige møte")
    html = client.get(HOME).content.decode()
    assert "Høstmøtet" in html
    assert soon.get_absolute_url() in html
    assert "22.11.2099 10:00" in html
    assert "Hemmelig møte" not in html
    assert "Forrige møte" not in html


def test_a_member_of_a_closed_forum_sees_its_meetings_too(world, client_for, forums):
    _, closed = forums
    MeetingFactory(forum=closed, title="Styringsgruppens møte")
    assert "Styringsgruppens møte" in client_for("secretariat_sor").get(HOME).content.decode()
    assert "Styringsgruppens møte" not in client_for("outsider").get(HOME).content.decode()


def test_latest_approved_minutes_of_public_forums_newest_first_and_no_drafts(world, client, forums):
    public, closed = forums
    older = past_meeting(public, days_ago=60)
    approved_minutes(older, days_ago=50)
    newer = past_meeting(public, days_ago=30)
    approved_minutes(newer, days_ago=20, number=1)
    approved_minutes(newer, days_ago=5, number=2)  # a revised version: the meeting is listed once
    draft = past_meeting(public, days_ago=10)
    Minutes.objects.create(meeting=draft, status=MinutesStatus.DRAFT)
    approved_minutes(past_meeting(closed, days_ago=10))
    html = client.get(HOME).content.decode()
    newer_url = reverse("forums:minutes", args=[public.slug, newer.pk])
    older_url = reverse("forums:minutes", args=[public.slug, older.pk])
    assert html.count(newer_url) == 1
    assert html.index(newer_url) < html.index(older_url)
    assert reverse("forums:minutes", args=[public.slug, draft.pk]) not in html
    assert "/fora/lukket/" not in html
    five_days_ago = timezone.localdate() - datetime.timedelta(days=5)
    assert f"godkjent {five_days_ago:%d.%m.%Y}" in html


def test_newest_published_offerings_not_planned_or_closed(world, client):
    old = OfferingFactory(provider=world.ntnu, title="Gammelt tilbud")
    new = OfferingFactory(provider=world.ntnu, title="Nytt tilbud", status=OfferingStatus.RUNNING)
    OfferingFactory(provider=world.ntnu, title="Planlagt tilbud", status=OfferingStatus.PLANNED)
    OfferingFactory(provider=world.ntnu, title="Avsluttet tilbud", status=OfferingStatus.CLOSED)
    html = client.get(HOME).content.decode()
    assert html.index(new.get_absolute_url()) < html.index(old.get_absolute_url())
    assert "Planlagt tilbud" not in html
    assert "Avsluttet tilbud" not in html


def test_empty_states_say_what_happens(world, client):
    html = client.get(HOME).content.decode()
    assert "Ingen utdanningstilbud er publisert ennå." in html
    assert "Ingen forummøter er planlagt ennå." in html
    assert "Ingen protokoller er godkjent ennå." in html
    assert reverse("forums:list") in html


def test_logged_in_people_keep_their_organisations_and_get_the_front_page(world, client_for):
    html = client_for("holtalen_admin").get(HOME).content.decode()
    assert "Mine organisasjoner" in html
    assert "Holtålen kommune" in html
    assert "Hva kan jeg ta der jeg bor?" in html


def _busy(world, forums, scale):
    public, closed = forums
    for index in range(scale):
        OfferingFactory(provider=world.ntnu, title=f"Tilbud {index}")
        for forum in (public, closed):
            MeetingFactory(forum=forum)
            approved_minutes(past_meeting(forum, days_ago=index + 2))


@pytest.mark.parametrize("persona", ["anonymous", "secretariat_sor"])
def test_the_front_page_uses_a_fixed_number_of_queries(
    world, client_for, forums, django_assert_max_num_queries, persona
):
    client = client_for(persona)
    _busy(world, forums, 1)
    client.get(HOME)  # fills the per-process caches (site settings, translations)
    with CaptureQueriesContext(connection) as small:
        assert client.get(HOME).status_code == 200
    _busy(world, forums, 12)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert client.get(HOME).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) <= 15
