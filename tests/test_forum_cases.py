"""Cases on the agenda: numbering per forum, kind and year, duplicates refused, closed cases, the case page,
versioned edits and ordering on the agenda."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.forums.models import AgendaCase
from kompetansebro.forums.services import cases as services
from tests.factories import NeedFactory
from tests.forum_factories import AgendaCaseFactory, MeetingFactory
from tests.test_forums import forum_in, in_days

pytestmark = pytest.mark.django_db


def case_data(**changes) -> dict:
    data = {
        "kind": "PS",
        "number": "",
        "title": "Samarbeidsavtale for Trøndelag Sør",
        "archive_number": "2020/231",
        "legal_basis": "",
        "background": "Avtalen utløper.",
        "facts": "Fakta i saken.",
        "assessment": "Rådgivers vurdering.",
        "recommendation": "Kommunedirektørutvalget anbefaler avtalen.",
    }
    data.update(changes)
    return data


def test_numbers_follow_forum_kind_and_year(world):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    year = timezone.localtime(meeting.starts_at).year
    first = services.case_create(actor=None, meeting=meeting, title="A")
    second = services.case_create(actor=None, meeting=meeting, title="B")
    info = services.case_create(actor=None, meeting=meeting, title="C", kind="RS")
    other_forum = services.case_create(actor=None, meeting=MeetingFactory(), title="D")
    assert (first.number, second.number, info.number, other_forum.number) == (1, 2, 1, 1)
    assert first.label == f"PS 1/{year % 100:02d}" and info.label == f"RS 1/{year % 100:02d}"
    assert [first.position, second.position, info.position] == [1, 2, 3]
    next_year = MeetingFactory(forum=forum, starts_at=meeting.starts_at + datetime.timedelta(days=366))
    assert services.case_create(actor=None, meeting=next_year, title="E").number == 1


def test_explicit_number_continues_a_series_and_duplicates_are_refused(world, client_for, english):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    client = client_for("secretariat_sor")
    url = reverse("forums:case_create", args=[forum.slug, meeting.pk])
    response = client.post(url, case_data(number="26"))
    case = AgendaCase.objects.get(forum=forum)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.number == 26 and case.archive_number == "2020/231"
    assert services.case_create(actor=None, meeting=meeting, title="Neste").number == 27
    response = client.post(url, case_data(number="26", title="Dobbel"))
    label = f"PS 26/{case.year % 100:02d}"
    assert response.context["form"].errors["number"] == [
        f"Case number {label} is already used in this forum. Choose another number or leave it empty."
    ]
    assert not AgendaCase.objects.filter(title="Dobbel").exists()
    assert client.post(url, case_data(number="26", kind="RS", title="Orientering")).status_code == 302


def test_a_race_caught_by_the_constraint_gets_the_same_refusal(world, english):
    meeting = MeetingFactory(forum=forum_in(world))
    services.case_create(actor=None, meeting=meeting, title="Først")
    with mock.patch.object(services, "next_case_number", return_value=1), pytest.raises(ValidationError) as error:
        services.case_create(actor=None, meeting=meeting, title="Samtidig")
    assert "is already used in this forum" in error.value.message_dict["number"][0]
    assert AgendaCase.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_at_once_get_different_numbers(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    meeting = MeetingFactory(forum=forum_in(world))
    numbers, errors = [], []

    def add(title):
        try:
            numbers.append(services.case_create(actor=None, meeting=meeting, title=title).number)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(f"Sak {i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]


def test_closed_case_needs_a_legal_basis(world, client_for, english):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    client = client_for("secretariat_sor")
    url = reverse("forums:case_create", args=[forum.slug, meeting.pk])
    response = client.post(url, case_data(is_closed="on"))
    assert response.context["form"].errors["legal_basis"] == [
        "A closed case needs its legal basis, e.g. Offentleglova § 13, jf. fvl. § 13."
    ]
    with pytest.raises(ValidationError):
        services.case_create(actor=None, meeting=meeting, title="Lukket", is_closed=True)
    assert not AgendaCase.objects.exists()
    client.post(url, case_data(is_closed="on", legal_basis="Offl. § 13, jf. fvl. § 13"))
    assert AgendaCase.objects.get().is_closed


def test_closed_case_on_the_public_agenda_shows_no_title(world, client_for):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    AgendaCaseFactory(meeting=meeting, title="Åpen sak om kompetanse")
    closed = AgendaCaseFactory(
        meeting=meeting, title="Personalsak Hemmelig", is_closed=True, legal_basis="Offl. § 13, jf. fvl. § 13"
    )
    for persona in ("anonymous", "outsider", "county_observer"):
        page = client_for(persona).get(meeting.get_absolute_url()).content.decode()
        assert "Åpen sak om kompetanse" in page
        assert "Hemmelig" not in page and closed.get_absolute_url() not in page
        assert closed.label in page and "Offl. § 13, jf. fvl. § 13" in page
        assert client_for(persona).get(closed.get_absolute_url()).status_code == 404
    for persona in ("holtalen_contact", "secretariat_sor", "platform_admin"):
        page = client_for(persona).get(meeting.get_absolute_url()).content.decode()
        assert "Personalsak Hemmelig" in page and closed.get_absolute_url() in page
        assert client_for(persona).get(closed.get_absolute_url()).status_code == 200


def test_case_page_shows_the_sections(world, client_for):
    case = AgendaCaseFactory(
        meeting=MeetingFactory(forum=forum_in(world)),
        background="Bakgrunnen her.",
        facts="Faktaene her.",
        assessment="Vurderingen her.",
        recommendation="Innstillingen her.",
        archive_number="2020/24503",
    )
    page = client_for("anonymous").get(case.get_absolute_url()).content.decode()
    for text in (
        "Bakgrunnen her.",
        "Faktaene her.",
        "Vurderingen her.",
        "Innstillingen her.",
        "2020/24503",
        case.label,
    ):
        assert text in page


def test_case_edit_is_versioned_and_keeps_the_number(world, client_for, english):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)), number=26)
    client = client_for("secretariat_sor")
    url = reverse("forums:case_edit", args=[case.forum.slug, case.pk])
    data = {**case_data(), "version": case.version, "number": "99", "kind": "RS"}
    services.case_update(actor=None, case=case, expected_version=case.version, title="Endret av en annen")
    stale = client.post(url, data)
    assert stale.status_code == 200 and stale.context["conflict_differences"]
    case.refresh_from_db()
    assert client.post(url, {**data, "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.number, case.kind) == ("Samarbeidsavtale for Trøndelag Sør", 26, "PS")
    with pytest.raises(ConcurrentEditError):
        services.case_update(actor=None, case=case, expected_version=1, title="X")
    with pytest.raises(ValidationError):
        services.case_update(actor=None, case=case, expected_version=case.version, is_closed=True)


def test_cases_move_up_and_down_on_the_agenda(world, client_for):
    meeting = MeetingFactory(forum=forum_in(world))
    first, second, third = (services.case_create(actor=None, meeting=meeting, title=t) for t in "ABC")
    client = client_for("secretariat_sor")
    response = client.post(reverse("forums:case_move", args=[meeting.forum.slug, third.pk]), {"direction": "up"})
    assert response.status_code == 302
    order = list(AgendaCase.objects.filter(meeting=meeting).order_by("position").values_list("title", flat=True))
    assert order == ["A", "C", "B"]
    assert not services.case_move(actor=None, case=AgendaCase.objects.get(pk=first.pk), direction="up")
    client.post(reverse("forums:case_move", args=[meeting.forum.slug, first.pk]), {"direction": "down"})
    order = list(AgendaCase.objects.filter(meeting=meeting).order_by("position").values_list("title", flat=True))
    assert order == ["C", "A", "B"]
    assert second.pk


def test_case_pages_query_counts_do_not_grow(world, client_for, django_assert_max_num_queries):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum, starts_at=in_days(3))
    case = AgendaCaseFactory(meeting=meeting)
    client = client_for("secretariat_sor")
    counts = []
    for _round in range(2):
        for _ in range(4):
            case.needs.add(NeedFactory(organisation=world.holtalen))
            AgendaCaseFactory(meeting=meeting)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(case.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts
    with django_assert_max_num_queries(25):
        client.get(case.get_absolute_url())
