"""Ranked priority lists: created for an organisation the person is a member of, priorities saved and renumbered,
reordered, submitted once; late and changed lists marked; every change in the history; pages with a fixed
number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.grants.models import PriorityItem, PriorityList, RoundStatus
from kompetansebro.grants.services import priorities as services
from tests.factories import OrganisationFactory
from tests.grant_factories import GrantRoundFactory, PriorityItemFactory, PriorityListFactory

pytestmark = pytest.mark.django_db


def round_in(world, **kwargs):
    """A round of a scheme owned by the council, in Trøndelag Sør: its secretariat manages it."""
    kwargs.setdefault("scheme__owner", world.council)
    kwargs.setdefault("region", world.region)
    return GrantRoundFactory(**kwargs)


def list_for(world, grant_round=None, submitter=None, items=(), **kwargs) -> PriorityList:
    """A list (Holtålen's by default) with priorities given as (theme, amount) pairs, for Holtålen."""
    priority_list = PriorityListFactory(
        round=grant_round or round_in(world), submitter=submitter or world.holtalen, **kwargs
    )
    for rank, (theme, amount) in enumerate(items, start=1):
        PriorityItemFactory(
            priority_list=priority_list, rank=rank, theme=theme, applicant=world.holtalen, amount=Decimal(amount)
        )
    return priority_list


def rows(world, *specs):
    """ItemInput rows from (rank, theme, amount[, pk]) tuples, all for Holtålen."""
    return [
        services.ItemInput(
            rank=spec[0],
            theme=spec[1],
            applicant=world.holtalen,
            amount=Decimal(spec[2]),
            pk=spec[3] if len(spec) > 3 else None,
        )
        for spec in specs
    ]


def edit_data(priority_list, items, note="", extra_forms=0) -> dict:
    """POST data for the edit page: `items` are dicts with pk, rank, theme, applicant, amount[, DELETE]."""
    total = len(items) + extra_forms
    data = {
        "version": priority_list.version,
        "note": note,
        "items-TOTAL_FORMS": total,
        "items-INITIAL_FORMS": sum(1 for item in items if item.get("pk")),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for index, item in enumerate(items):
        for name, value in item.items():
            data[f"items-{index}-{name}"] = value
    return data


def test_a_member_creates_a_list_for_one_of_their_organisations(world, client_for, english):
    grant_round = round_in(world)
    client = client_for("holtalen_contact")
    url = reverse("grants:priority_list_create", args=[grant_round.pk])
    response = client.get(url)
    choices = list(response.context["form"].fields["submitter"].queryset)
    assert world.holtalen in choices and world.roros not in choices
    response = client.post(url, {"submitter": world.roros.pk})
    assert response.context["form"].errors["submitter"] == ["Choose one of the organisations in the list."]
    response = client.post(url, {"submitter": world.holtalen.pk, "note": "Fra nettverket"})
    priority_list = PriorityList.objects.get(round=grant_round)
    assert response["Location"] == reverse("grants:priority_list_edit", args=[grant_round.pk, priority_list.pk])
    assert priority_list.submitter == world.holtalen and priority_list.note == "Fra nettverket"
    assert AuditEntry.objects.filter(action="grants.priority_list.created", object_id=str(priority_list.pk)).exists()
    # one list per organisation and round: Holtålen is no longer offered, and the service refuses a second
    assert world.holtalen not in list(client.get(url).context["form"].fields["submitter"].queryset)
    with pytest.raises(ValidationError) as error:
        services.priority_list_create(actor=None, grant_round=grant_round, submitter=world.holtalen)
    assert "already has a priority list" in error.value.message_dict["submitter"][0]


def test_the_secretariat_may_submit_for_organisations_in_the_region(world, client_for):
    grant_round = round_in(world)
    choices = list(
        client_for("secretariat_sor")
        .get(reverse("grants:priority_list_create", args=[grant_round.pk]))
        .context["form"]
        .fields["submitter"]
        .queryset
    )
    assert world.holtalen in choices and world.roros in choices and world.oslo_company not in choices


def test_saving_renumbers_in_the_order_of_the_numbers_and_records_the_change(world):
    priority_list = list_for(world, items=[("Lesing", "100000"), ("Regning", "50000")])
    first, second = PriorityItem.objects.filter(priority_list=priority_list).order_by("rank")
    changed = services.priority_list_save(
        actor=world.users["holtalen_contact"],
        priority_list=priority_list,
        expected_version=priority_list.version,
        note="Revidert",
        items=rows(
            world, (5, "Regning", "60000", second.pk), (9, "Lesing", "100000", first.pk), (7, "Skriving", "25000")
        ),
    )
    assert changed
    items = list(PriorityItem.objects.filter(priority_list=priority_list).order_by("rank"))
    assert [(item.rank, item.theme, item.amount) for item in items] == [
        (1, "Regning", Decimal("60000.00")),
        (2, "Skriving", Decimal("25000.00")),
        (3, "Lesing", Decimal("100000.00")),
    ]
    assert items[0].pk == second.pk and items[2].pk == first.pk  # the same rows, not recreated
    entry = AuditEntry.objects.get(action="grants.priority_list.changed")
    assert entry.actor == world.users["holtalen_contact"]
    assert entry.changes["items"]["old"] == [
        "1. Lesing – Holtålen kommune – kr\xa0100\xa0000",
        "2. Regning – Holtålen kommune – kr\xa050\xa0000",
    ]
    assert entry.changes["items"]["new"][0] == "1. Regning – Holtålen kommune – kr\xa060\xa0000"
    assert entry.changes["note"]["new"] == "Revidert"
    # nothing changed: no new version, no history entry
    priority_list.refresh_from_db()
    version = priority_list.version
    same = rows(world, *[(item.rank, item.theme, item.amount, item.pk) for item in items])
    assert not services.priority_list_save(
        actor=None, priority_list=priority_list, expected_version=version, note="Revidert", items=same
    )
    priority_list.refresh_from_db()
    assert (
        priority_list.version == version
        and AuditEntry.objects.filter(action="grants.priority_list.changed").count() == 1
    )


def test_leaving_a_priority_out_removes_it_and_a_stale_version_is_refused(world):
    priority_list = list_for(world, items=[("Lesing", "100000"), ("Regning", "50000")])
    first = PriorityItem.objects.get(priority_list=priority_list, rank=1)
    services.priority_list_save(
        actor=None,
        priority_list=priority_list,
        expected_version=priority_list.version,
        note="",
        items=rows(world, (1, "Lesing", "100000", first.pk)),
    )
    assert list(PriorityItem.objects.filter(priority_list=priority_list).values_list("theme", flat=True)) == ["Lesing"]
    with pytest.raises(ConcurrentEditError):
        services.priority_list_save(
            actor=None, priority_list=priority_list, expected_version=1, note="x", items=rows(world, (1, "Ny", "1"))
        )


def test_invalid_rows_are_refused(world, english):
    priority_list = list_for(world)
    for bad, message in [
        (rows(world, (1, "A", "1"), (1, "B", "1")), "Two priorities have the same number"),
        (rows(world, (1, "", "1")), "Every priority needs a theme"),
        (rows(world, (1, "A", "-5")), "cannot be negative"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.priority_list_save(
                actor=None, priority_list=priority_list, expected_version=priority_list.version, note="", items=bad
            )
        assert message in error.value.message_dict["items"][0]


def test_submitting_before_the_deadline_then_changing_marks_the_list(world, client_for, english):
    priority_list = list_for(world, items=[("Lesing", "100000"), ("Regning", "50000")])
    grant_round = priority_list.round
    client = client_for("holtalen_contact")
    response = client.post(reverse("grants:priority_list_submit", args=[grant_round.pk, priority_list.pk]))
    priority_list.refresh_from_db()
    assert response.status_code == 302
    assert priority_list.submitted_at is not None and priority_list.submitted_by == world.users["holtalen_contact"]
    assert not priority_list.is_late and not priority_list.changed_after_submission
    # a second submission is refused with a message
    response = client.post(reverse("grants:priority_list_submit", args=[grant_round.pk, priority_list.pk]), follow=True)
    assert any("already submitted" in str(message) for message in response.context["messages"])
    # moving a priority after submission marks the list, and the page says so in words
    second = PriorityItem.objects.get(priority_list=priority_list, rank=2)
    edit_url = reverse("grants:priority_list_edit", args=[grant_round.pk, priority_list.pk])
    client.post(edit_url, {"item": second.pk, "direction": "up"})
    priority_list.refresh_from_db()
    assert priority_list.changed_after_submission
    assert list(
        PriorityItem.objects.filter(priority_list=priority_list).order_by("rank").values_list("theme", flat=True)
    ) == ["Regning", "Lesing"]
    assert AuditEntry.objects.filter(action="grants.priority_list.reordered").exists()
    page = client.get(reverse("grants:round", args=[grant_round.pk])).content.decode()
    assert "Changed after it was submitted" in page


def test_a_list_submitted_after_the_deadline_is_marked_late(world, client_for, english):
    grant_round = round_in(world, priority_deadline=timezone.localdate() - datetime.timedelta(days=1))
    priority_list = list_for(world, grant_round, items=[("Lesing", "100000")])
    response = client_for("holtalen_admin").post(
        reverse("grants:priority_list_submit", args=[grant_round.pk, priority_list.pk]), follow=True
    )
    priority_list.refresh_from_db()
    assert priority_list.is_late
    assert any("marked as late" in str(message) for message in response.context["messages"])
    page = client_for("secretariat_sor").get(reverse("grants:round", args=[grant_round.pk])).content.decode()
    assert "Submitted after the deadline" in page


def test_an_empty_list_cannot_be_submitted_and_a_decided_round_refuses_changes(world, english):
    priority_list = list_for(world)
    with pytest.raises(ValidationError, match="at least one priority"):
        services.priority_list_submit(actor=None, priority_list=priority_list)
    grant_round = priority_list.round
    grant_round.status = RoundStatus.DECIDED
    grant_round.save()
    priority_list.refresh_from_db()
    with pytest.raises(ValidationError, match="decided"):
        services.priority_list_save(
            actor=None,
            priority_list=priority_list,
            expected_version=priority_list.version,
            note="",
            items=rows(world, (1, "A", "1")),
        )


def test_the_edit_page_saves_the_formset_and_shows_errors_in_one_summary(world, client_for, english):
    priority_list = list_for(world, items=[("Lesing", "100000")])
    item = PriorityItem.objects.get(priority_list=priority_list)
    grant_round = priority_list.round
    client = client_for("holtalen_contact")
    url = reverse("grants:priority_list_edit", args=[grant_round.pk, priority_list.pk])
    assert client.get(url).status_code == 200
    items = [
        {"pk": item.pk, "rank": 2, "theme": "Lesing", "applicant": world.holtalen.pk, "amount": "100 000"},
        {"rank": 1, "theme": "Yrkesfag", "applicant": world.roros.pk, "amount": "75000.50"},
    ]
    response = client.post(url, edit_data(priority_list, items, extra_forms=1))
    assert response.status_code == 302
    saved = list(PriorityItem.objects.filter(priority_list=priority_list).order_by("rank"))
    assert [(i.theme, i.applicant, i.amount) for i in saved] == [
        ("Yrkesfag", world.roros, Decimal("75000.50")),
        ("Lesing", world.holtalen, Decimal("100000.00")),
    ]
    priority_list.refresh_from_db()
    bad = [
        {"pk": saved[0].pk, "rank": 1, "theme": "", "applicant": world.roros.pk, "amount": "1"},
        {"pk": saved[1].pk, "rank": 1, "theme": "Lesing", "applicant": world.oslo_company.pk, "amount": "x"},
    ]
    response = client.post(url, edit_data(priority_list, bad))
    assert response.status_code == 200
    errors = [error for _field, error in response.context["error_links"]]
    assert "Write the theme: what the money is for." in errors
    assert "Choose one of the organisations in the list." in errors
    assert "Write the amount as a number in kroner, e.g. 150 000 or 150 000,50." in errors
    # removing with the tick box
    delete = [
        {"pk": saved[0].pk, "rank": 1, "theme": "Yrkesfag", "applicant": world.roros.pk, "amount": "1", "DELETE": "on"},
        {"pk": saved[1].pk, "rank": 2, "theme": "Lesing", "applicant": world.holtalen.pk, "amount": "100000"},
    ]
    assert client.post(url, edit_data(priority_list, delete)).status_code == 302
    remaining = PriorityItem.objects.get(priority_list=priority_list)
    assert (remaining.theme, remaining.rank) == ("Lesing", 1)


def test_a_member_of_another_organisation_does_not_see_the_list(world, client_for):
    priority_list = list_for(world, submitter=world.roros, items=[("Lesing", "1000")])
    url = reverse("grants:priority_list", args=[priority_list.round.pk, priority_list.pk])
    assert client_for("holtalen_contact").get(url).status_code == 404
    assert client_for("secretariat_sor").get(url).status_code == 200
    # and the round page lists only one's own lists to members
    own = list_for(world, priority_list.round, items=[("Regning", "1000")])
    lists = client_for("holtalen_contact").get(priority_list.round.get_absolute_url()).context["priority_lists"]
    assert [each.pk for each in lists] == [own.pk]


def test_list_pages_use_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    grant_round = round_in(world)
    client = client_for("secretariat_sor")

    def grow(count):
        for _ in range(count):
            organisation = OrganisationFactory(municipality=world.holtalen.municipality)
            list_for(world, grant_round, submitter=organisation, items=[("A", "1000"), ("B", "2000"), ("C", "3000")])

    grow(1)
    priority_list = PriorityList.objects.filter(round=grant_round).first()
    urls = [
        reverse("grants:priority_list", args=[grant_round.pk, priority_list.pk]),
        reverse("grants:priority_list_edit", args=[grant_round.pk, priority_list.pk]),
        reverse("grants:priority_list_create", args=[grant_round.pk]),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    grow(5)
    for _ in range(4):
        PriorityItemFactory(priority_list=priority_list, applicant=world.roros)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_amounts_are_written_the_norwegian_way(world, client_for):
    priority_list = list_for(world)
    url = reverse("grants:priority_list_edit", args=[priority_list.round.pk, priority_list.pk])
    items = [{"rank": 1, "theme": "Yrkesfag", "applicant": world.roros.pk, "amount": "75 000,50"}]
    assert client_for("holtalen_contact").post(url, edit_data(priority_list, items)).status_code == 302
    assert PriorityItem.objects.get(priority_list=priority_list).amount == Decimal("75000.50")
