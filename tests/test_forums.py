"""Forums, members and meetings: the pages, the services' refusals, versioned edits and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.forums.models import Forum, ForumMembership, Meeting, MemberRole
from kompetansebro.forums.services import forums as forum_services
from kompetansebro.forums.services import meetings as meeting_services
from tests.factories import UserFactory
from tests.forum_factories import AgendaCaseFactory, ForumFactory, ForumMembershipFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def forum_in(world, **kwargs) -> Forum:
    """A public regional competence forum of Trøndelag Sør, owned by the council, with Holtålen's contact
    person as a member."""
    kwargs.setdefault("owner", world.council)
    kwargs.setdefault("region", world.region)
    forum = ForumFactory(**kwargs)
    ForumMembershipFactory(
        forum=forum, person=world.users["holtalen_contact"], organisation=world.holtalen, role=MemberRole.MEMBER
    )
    return forum


def in_days(days: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=days), datetime.time(hour))
    )


def meeting_data(days=14, **changes) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=days)
    data = {
        "title": "Møte i kompetanseforumet",
        "date": day.strftime("%d.%m.%Y"),
        "start_time": "10:00",
        "end_time": "14:00",
        "place": "Røros rådhus",
        "video_link": "",
    }
    data.update(changes)
    return data


# ---- forums -------------------------------------------------------------------------------------------------


def test_list_shows_public_forums_to_everyone_and_private_ones_to_insiders(world, client_for):
    public = forum_in(world, name="Kompetanseforum Trøndelag Sør")
    private = ForumFactory(name="Arbeidsgruppe helse", owner=world.council, region=world.region, is_public=False)
    elsewhere = ForumFactory(name="Lukket nettverk i Oslo", owner=world.oslo_company, is_public=False)
    anonymous = client_for("anonymous").get(reverse("forums:list")).content.decode()
    assert public.name in anonymous and private.name not in anonymous and elsewhere.name not in anonymous
    secretariat = client_for("secretariat_sor").get(reverse("forums:list")).content.decode()
    assert private.name in secretariat and elsewhere.name not in secretariat
    admin = client_for("platform_admin").get(reverse("forums:list")).content.decode()
    assert elsewhere.name in admin


def test_list_filters_by_region_and_kind(world, client_for):
    council = forum_in(world, name="Rådet", kind="council")
    network = ForumFactory(
        name="Nettverket", kind="competence_network", owner=world.council, region=world.county_region
    )
    client = client_for("anonymous")
    by_kind = client.get(reverse("forums:list"), {"kind": "council"}).content.decode()
    assert council.name in by_kind and network.name not in by_kind
    by_region = client.get(reverse("forums:list"), {"region": world.county_region.code}).content.decode()
    assert network.name in by_region and council.name not in by_region
    partial = client.get(reverse("forums:list"), {"kind": "council"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and council.name in partial


def test_secretariat_creates_a_forum_in_its_region(world, client_for, english):
    client = client_for("secretariat_sor")
    response = client.post(
        reverse("forums:create"),
        {
            "name": "Kompetanseforum Trøndelag Sør",
            "slug": "kompetanseforum-sor",
            "kind": "regional_competence_forum",
            "owner": world.council.pk,
            "region": world.region.pk,
            "mandate": "Samordne kompetansebehov.",
            "appointed_from": "01.01.2024",
            "appointed_until": "31.12.2027",
            "is_public": "on",
            "case_prefix": "PS",
        },
    )
    forum = Forum.objects.get(slug="kompetanseforum-sor")
    assert response.status_code == 302 and response["Location"] == forum.get_absolute_url()
    assert forum.appointed_until == datetime.date(2027, 12, 31)
    assert AuditEntry.objects.filter(action="forums.forum.created", object_id=str(forum.pk)).exists()


def test_forum_form_refusals(world, client_for, english):
    ForumFactory(slug="finnes")
    client = client_for("secretariat_sor")
    base = {
        "name": "Forum",
        "kind": "council",
        "owner": world.council.pk,
        "region": world.county_region.pk,  # not the secretariat's region
        "appointed_from": "01.01.2025",
        "appointed_until": "01.01.2024",
        "case_prefix": "PS",
    }
    response = client.post(reverse("forums:create"), {**base, "slug": "finnes"})
    form = response.context["form"]
    assert "slug" in form.errors and "region" in form.errors
    assert form.errors["appointed_until"] == ["The end of the appointment period cannot be before its start."]
    response = client.post(reverse("forums:create"), {**base, "slug": "ny", "region": world.region.pk})
    assert response.context["form"].errors["slug"] == ["This short name is reserved. Choose another."]
    assert not Forum.objects.filter(name="Forum").exists()


def test_detail_is_the_public_meeting_portal(world, client_for):
    forum = forum_in(world, appointed_from=datetime.date(2024, 1, 1), appointed_until=datetime.date(2027, 12, 31))
    ForumMembershipFactory(forum=forum, role=MemberRole.CHAIR, person__full_name="Kari Leder", organisation=world.roros)
    ForumMembershipFactory(
        forum=forum,
        person__full_name="Per Tidligere",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    upcoming = MeetingFactory(forum=forum, title="Vårmøtet")
    past = MeetingFactory(forum=forum, title="Høstmøtet", starts_at=in_days(-60), ends_at=in_days(-60, 14))
    page = client_for("anonymous").get(forum.get_absolute_url()).content.decode()
    assert "01.01.2024" in page and "31.12.2027" in page
    assert "Kari Leder, Røros kommune" in page and "Per Tidligere" not in page
    assert page.index("Vårmøtet") < page.index("Høstmøtet")
    assert upcoming.get_absolute_url() in page and past.get_absolute_url() in page


def test_forum_edit_is_versioned(world, client_for, english):
    forum = forum_in(world)
    client = client_for("secretariat_sor")
    form = client.get(reverse("forums:edit", args=[forum.slug])).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "owner": forum.owner_id,
            "region": forum.region_id,
            "is_public": "on",
            "version": forum.version,
            "slug": forum.slug,
        }
    )
    forum_services.forum_update(actor=None, forum=forum, expected_version=forum.version, mandate="Ny mandat.")
    response = client.post(reverse("forums:edit", args=[forum.slug]), {**data, "name": "Nytt navn"})
    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    assert response.context["conflict_differences"]
    forum.refresh_from_db()
    assert forum.name != "Nytt navn"
    data["version"] = forum.version
    response = client.post(reverse("forums:edit", args=[forum.slug]), {**data, "name": "Nytt navn"})
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.name == "Nytt navn"
    assert AuditEntry.objects.filter(action="forums.forum.changed", object_id=str(forum.pk)).count() == 2


def test_service_refuses_stale_version(world):
    forum = forum_in(world)
    forum_services.forum_update(actor=None, forum=forum, expected_version=1, name="A")
    with pytest.raises(ConcurrentEditError):
        forum_services.forum_update(actor=None, forum=Forum.objects.get(pk=forum.pk), expected_version=1, name="B")


def test_history_lists_forum_member_meeting_and_case_changes(world, client_for):
    forum = forum_in(world)
    secretariat = world.users["secretariat_sor"]
    forum_services.forum_update(actor=secretariat, forum=forum, expected_version=forum.version, mandate="Nytt mandat")
    forum_services.membership_add(
        actor=secretariat, forum=forum, person=UserFactory(), role="member", starts_on=timezone.localdate()
    )
    meeting = meeting_services.meeting_create(actor=secretariat, forum=forum, starts_at=in_days(3), place="Røros")
    other = ForumFactory()
    meeting_services.meeting_create(actor=secretariat, forum=other, starts_at=in_days(3), place="Oslo")
    page = client_for("holtalen_contact").get(reverse("forums:history", args=[forum.slug]))
    actions = [entry.action for entry in page.context["entries"]]
    assert actions == ["forums.meeting.created", "forums.membership.added", "forums.forum.changed"]
    assert meeting.pk


# ---- members ------------------------------------------------------------------------------------------------


def test_member_added_by_email_and_ended_never_deleted(world, client_for, english):
    forum = forum_in(world)
    person = UserFactory(full_name="Sofie Søker", email="sofie@roros.example.no")
    client = client_for("secretariat_sor")
    found = client.get(reverse("forums:member_add", args=[forum.slug]), {"q": "Søker"})
    assert list(found.context["people"]) == [person]
    response = client.post(
        reverse("forums:member_add", args=[forum.slug]),
        {
            "email": "SOFIE@roros.example.no",
            "organisation": world.roros.pk,
            "role": "deputy_chair",
            "may_decide": "on",
            "starts_on": timezone.localdate().strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    seat = ForumMembership.objects.get(forum=forum, person=person)
    assert seat.role == "deputy_chair" and seat.organisation == world.roros
    response = client.post(
        reverse("forums:member_end", args=[forum.slug, seat.pk]),
        {"ends_on": timezone.localdate().strftime("%d.%m.%Y")},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()
    members_page = client_for("anonymous").get(reverse("forums:members", args=[forum.slug]))
    assert seat in members_page.context["current"]  # the seat lasts through its last day
    seat.starts_on = timezone.localdate() - datetime.timedelta(days=30)
    seat.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    seat.save()
    members_page = client_for("anonymous").get(reverse("forums:members", args=[forum.slug]))
    assert seat in members_page.context["former"]
    assert "Sofie Søker" in members_page.content.decode()


def test_member_refusals(world, client_for, english):
    forum = forum_in(world)
    client = client_for("secretariat_sor")
    today = timezone.localdate().strftime("%d.%m.%Y")
    response = client.post(
        reverse("forums:member_add", args=[forum.slug]),
        {"email": "finnes.ikke@example.no", "role": "member", "starts_on": today},
    )
    assert "Nobody with this e-mail address has an account" in response.context["form"].errors["email"][0]
    response = client.post(
        reverse("forums:member_add", args=[forum.slug]),
        {"email": world.users["holtalen_contact"].email, "role": "chair", "starts_on": today},
    )
    assert "already has a seat in this forum" in response.context["form"].errors["email"][0]
    assert ForumMembership.objects.filter(forum=forum).count() == 1


def test_overlapping_seats_refused_but_a_later_seat_allowed(world, english):
    forum = forum_in(world)
    person = UserFactory()
    forum_services.membership_add(
        actor=None,
        forum=forum,
        person=person,
        role="member",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    with pytest.raises(Exception, match="already has a seat"):
        forum_services.membership_add(
            actor=None, forum=forum, person=person, role="deputy", starts_on=datetime.date(2024, 6, 1)
        )
    forum_services.membership_add(
        actor=None, forum=forum, person=person, role="chair", starts_on=datetime.date(2025, 1, 1)
    )
    other_forum = ForumFactory()
    forum_services.membership_add(
        actor=None, forum=other_forum, person=person, role="member", starts_on=datetime.date(2024, 6, 1)
    )
    assert ForumMembership.objects.filter(person=person).count() == 3


def test_observer_and_secretariat_never_decide(world):
    forum = forum_in(world)
    seat = forum_services.membership_add(
        actor=None, forum=forum, person=UserFactory(), role="observer", may_decide=True, starts_on=timezone.localdate()
    )
    assert seat.may_decide is False


def test_a_new_seat_gives_access_in_the_same_request(world):
    forum = forum_in(world, is_public=False)
    outsider = world.users["outsider"]
    assert not outsider.has_perm("forums.view_forum", forum)
    forum_services.membership_add(
        actor=None, forum=forum, person=outsider, role="member", starts_on=timezone.localdate()
    )
    assert outsider.has_perm("forums.view_forum", forum)


# ---- meetings -----------------------------------------------------------------------------------------------


def test_meeting_created_in_oslo_time(world, client_for):
    forum = forum_in(world)
    response = client_for("secretariat_sor").post(reverse("forums:meeting_create", args=[forum.slug]), meeting_data())
    meeting = Meeting.objects.get(forum=forum)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    local = timezone.localtime(meeting.starts_at)
    assert (local.hour, local.minute, str(local.tzinfo)) == (10, 0, "Europe/Oslo")
    page = client_for("anonymous").get(meeting.get_absolute_url()).content.decode()
    assert local.strftime("%d.%m.%Y") in page and "10:00" in page and "14:00" in page and "Røros rådhus" in page


def test_meeting_refusals(world, client_for, english):
    forum = forum_in(world)
    client = client_for("secretariat_sor")
    url = reverse("forums:meeting_create", args=[forum.slug])
    past = client.post(url, meeting_data(days=-1)).context["form"]
    assert past.errors["date"] == ["The meeting cannot start in the past. Choose a later date and time."]
    backwards = client.post(url, meeting_data(end_time="09:00")).context["form"]
    assert backwards.errors["end_time"] == ["The meeting must end after it starts."]
    nowhere = client.post(url, meeting_data(place="")).context["form"]
    assert nowhere.errors["place"] == ["Give the place of the meeting, a video link, or both."]
    assert not Meeting.objects.filter(forum=forum).exists()
    with pytest.raises(Exception, match="cannot start in the past"):
        meeting_services.meeting_create(actor=None, forum=forum, starts_at=in_days(-1), place="Røros")


def test_meeting_edit_raises_the_calendar_sequence_only_for_time_or_place(world, client_for):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    client = client_for("secretariat_sor")
    url = reverse("forums:meeting_edit", args=[forum.slug, meeting.pk])
    day = (timezone.localdate() + datetime.timedelta(days=14)).strftime("%d.%m.%Y")
    data = {**meeting_data(), "date": day, "place": meeting.place, "version": meeting.version, "title": "Nytt navn"}
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Nytt navn" and meeting.calendar_sequence == 0
    assert client.post(url, {**data, "place": "Holtålen rådhus", "version": meeting.version}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Holtålen rådhus" and meeting.calendar_sequence == 1
    stale = client.post(url, {**data, "start_time": "12:00", "end_time": "15:00", "version": 1})
    assert stale.status_code == 200 and stale.context["conflict_differences"]
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == 1


def test_a_held_meeting_keeps_its_past_time_when_other_fields_change(world, english):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum, starts_at=in_days(-5), ends_at=in_days(-5, 14))
    meeting_services.meeting_update(actor=None, meeting=meeting, expected_version=1, title="Rettet tittel")
    with pytest.raises(Exception, match="cannot start in the past"):
        meeting_services.meeting_update(actor=None, meeting=meeting, expected_version=2, starts_at=in_days(-4))


# ---- query counts -------------------------------------------------------------------------------------------


def _grow_forum(world, forum, meeting, n):
    for i in range(n):
        ForumMembershipFactory(forum=forum, organisation=world.roros, role=MemberRole.MEMBER)
        MeetingFactory(forum=forum, starts_at=in_days(30 + i), ends_at=in_days(30 + i, 14))
        MeetingFactory(forum=forum, starts_at=in_days(-30 - i), ends_at=in_days(-30 - i, 14))
        AgendaCaseFactory(meeting=meeting)
        AgendaCaseFactory(meeting=meeting, is_closed=True, legal_basis="Offl. § 13")
        ForumFactory(owner=world.council, region=world.region)


@pytest.mark.parametrize("persona", ["anonymous", "holtalen_contact", "secretariat_sor"])
def test_forum_pages_query_counts_do_not_grow(world, client_for, django_assert_max_num_queries, persona):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    client = client_for(persona)
    urls = [
        reverse("forums:list"),
        forum.get_absolute_url(),
        reverse("forums:members", args=[forum.slug]),
        meeting.get_absolute_url(),
    ]
    counts = {url: [] for url in urls}
    for size in (1, 6):
        _grow_forum(world, forum, meeting, size)
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[url].append(len(queries))
    for url, (small, large) in counts.items():
        assert large <= small, (url, small, large)
    with django_assert_max_num_queries(15):
        client.get(meeting.get_absolute_url())


def test_admin_is_read_only(world, client_for):
    forum = forum_in(world)
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum))
    client = client_for("platform_admin")
    for model in ("forum", "meeting", "agendacase"):
        assert client.get(reverse(f"admin:forums_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:forums_forum_change", args=[forum.pk])).status_code == 200
    assert client.get(reverse("admin:forums_agendacase_change", args=[case.pk])).status_code == 200
    assert client.get(reverse("admin:forums_forum_add")).status_code == 403


def test_main_navigation_links_to_the_forums(world, client_for):
    page = client_for("anonymous").get(reverse("forums:list")).content.decode()
    assert f'href="{reverse("forums:list")}" aria-current="page"' in page
