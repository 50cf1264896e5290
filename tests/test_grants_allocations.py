"""The allocation proposal and its way to a decision: the proposal rule, the frame that is never exceeded (also by
two transactions at once on PostgreSQL), the forum case, adoption, changes after adoption only by a new decision,
the history with old and new values, the round page, the PDF and the xlsx."""

import datetime
import io
import threading
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.forums.models import MeetingStatus
from kompetansebro.forums.services.decisions import decision_record
from kompetansebro.grants.models import Allocation, AllocationStatus, GrantRound, RoundStatus
from kompetansebro.grants.services import allocations as services
from kompetansebro.grants.services import rounds as round_services
from kompetansebro.grants.services.allocations import FULL, PARTIAL, SKIPPED, proposal_lines
from tests.factories import OrganisationFactory
from tests.forum_factories import AgendaCaseFactory, MeetingFactory
from tests.grant_factories import AllocationFactory, PriorityItemFactory
from tests.test_forums import forum_in, in_days
from tests.test_grants_priorities import list_for, round_in

pytestmark = pytest.mark.django_db


def submitted(world, grant_round, submitter, amounts, *, late=False, minutes_ago=60):
    """A submitted list with one priority per amount, each for a new organisation in Holtålen."""
    priority_list = list_for(
        world,
        grant_round,
        submitter=submitter,
        submitted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        is_late=late,
    )
    for rank, amount in enumerate(amounts, start=1):
        PriorityItemFactory(
            priority_list=priority_list,
            rank=rank,
            theme=f"{submitter.name} {rank}",
            applicant=OrganisationFactory(name=f"{submitter.name} mottaker {rank}"),
            amount=Decimal(amount),
        )
    return priority_list


def networks(world, grant_round):
    """Three networks' lists as in DEKOM: A and B on time (A first), C late."""
    a = submitted(world, grant_round, OrganisationFactory(name="Nettverk A"), ["300000", "200000"], minutes_ago=90)
    b = submitted(world, grant_round, OrganisationFactory(name="Nettverk B"), ["250000", "150000", "100000"])
    c = submitted(world, grant_round, OrganisationFactory(name="Nettverk C"), ["200000"], late=True, minutes_ago=120)
    return a, b, c


# ---- the rule -------------------------------------------------------------------------------------------------


def test_the_rule_goes_round_by_round_and_funds_in_full_then_in_part_then_not(world):
    grant_round = round_in(world, frame=Decimal("1000000"))
    networks(world, grant_round)
    lines = proposal_lines(services.submitted_lists(grant_round), grant_round.frame)
    summary = [(line.priority_list.submitter.name, line.position, line.amount, line.outcome) for line in lines]
    assert summary == [
        ("Nettverk A", 1, Decimal("300000.00"), FULL),
        ("Nettverk B", 1, Decimal("250000.00"), FULL),
        ("Nettverk C", 1, Decimal("200000.00"), FULL),  # late: last within its round
        ("Nettverk A", 2, Decimal("200000.00"), FULL),
        ("Nettverk B", 2, Decimal("50000.00"), PARTIAL),  # what is left of the frame
        ("Nettverk B", 3, Decimal("0"), SKIPPED),
    ]
    assert sum(line.amount for line in lines) == grant_round.frame


def test_making_the_proposal_allocates_within_the_frame_and_records_it(world):
    grant_round = round_in(world, frame=Decimal("1000000"))
    networks(world, grant_round)
    actor = world.users["secretariat_sor"]
    services.allocation_propose(actor=actor, grant_round=grant_round)
    grant_round.refresh_from_db()
    allocations = Allocation.objects.filter(round=grant_round)
    assert grant_round.status == RoundStatus.PROPOSED
    assert allocations.count() == 5 and {a.status for a in allocations} == {AllocationStatus.PROPOSED}
    assert round_services.committed_sum(grant_round.pk) == Decimal("1000000")
    entry = AuditEntry.objects.filter(action="grants.allocation.proposed").order_by("pk").first()
    assert entry.actor == actor and entry.changes["amount"]["new"] == "300000.00"
    assert AuditEntry.objects.filter(action="grants.round.proposal_made", object_id=str(grant_round.pk)).exists()
    # making it again withdraws the first proposal (kept) and makes a new one
    services.allocation_propose(actor=actor, grant_round=grant_round)
    assert Allocation.objects.filter(round=grant_round, status=AllocationStatus.WITHDRAWN).count() == 5
    assert Allocation.objects.filter(round=grant_round, status=AllocationStatus.PROPOSED).count() == 5
    assert round_services.committed_sum(grant_round.pk) == Decimal("1000000")


def test_without_submitted_lists_there_is_nothing_to_propose(world, english):
    grant_round = round_in(world)
    list_for(world, grant_round, items=[("Lesing", "1000")])  # not submitted
    with pytest.raises(ValidationError, match="No priority list has been submitted"):
        services.allocation_propose(actor=None, grant_round=grant_round)


# ---- the frame ------------------------------------------------------------------------------------------------


def test_an_allocation_above_the_frame_is_refused_with_what_to_lower(world, client_for, english):
    grant_round = round_in(world, frame=Decimal("500000"))
    AllocationFactory(round=grant_round, amount=Decimal("400000"))
    with pytest.raises(ValidationError) as error:
        services.allocation_create(
            actor=None, grant_round=grant_round, recipient=world.holtalen, purpose="Mer", amount=Decimal("150000")
        )
    assert error.value.message_dict["amount"] == [
        "The allocations would add up to kr\xa0550\xa0000, above the round's frame of kr\xa0500\xa0000. "
        "Lower the amount by at least kr\xa050\xa0000."
    ]
    # the same through the form, beside the field
    response = client_for("secretariat_sor").post(
        reverse("grants:allocation_create", args=[grant_round.pk]),
        {"recipient": world.holtalen.pk, "purpose": "Mer", "amount": "150000"},
    )
    assert "Lower the amount by at least" in response.context["form"].errors["amount"][0]
    created = services.allocation_create(
        actor=None, grant_round=grant_round, recipient=world.holtalen, purpose="Resten", amount=Decimal("100000")
    )
    assert created.status == AllocationStatus.PROPOSED and round_services.committed_sum(grant_round.pk) == 500000


def test_raising_an_amount_is_checked_against_the_frame_and_withdrawn_ones_do_not_count(world, english):
    grant_round = round_in(world, frame=Decimal("500000"))
    one = AllocationFactory(round=grant_round, amount=Decimal("300000"))
    AllocationFactory(round=grant_round, amount=Decimal("200000"), status=AllocationStatus.WITHDRAWN)
    other = AllocationFactory(round=grant_round, amount=Decimal("100000"))
    with pytest.raises(ValidationError, match="above the round's frame"):
        services.allocation_update(
            actor=None,
            allocation=one,
            expected_version=one.version,
            recipient=one.recipient,
            purpose=one.purpose,
            amount=Decimal("400001"),
        )
    services.allocation_update(
        actor=world.users["secretariat_sor"],
        allocation=one,
        expected_version=one.version,
        recipient=one.recipient,
        purpose=one.purpose,
        amount=Decimal("400000"),
    )
    entry = AuditEntry.objects.get(action="grants.allocation.changed", object_id=str(one.pk))
    assert entry.changes["amount"] == {"old": "300000.00", "new": "400000.00", "model": "grants.allocation"}
    services.allocation_withdraw(actor=None, allocation=other, expected_version=other.version)
    assert round_services.committed_sum(grant_round.pk) == Decimal("400000")


@pytest.mark.django_db(transaction=True)
def test_two_transactions_at_once_cannot_exceed_the_frame(world):
    """Two secretaries add 600 000 each to a round with a 1 000 000 frame at the same moment, each in its own
    transaction on its own connection. Each waits a moment after summing (as a slow request would), so without
    the lock on the round both would see 0 allocated and both would save. With it, the second waits for the
    first to commit, sees 600 000 and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    grant_round = round_in(world, frame=Decimal("1000000"))
    barrier = threading.Barrier(2)
    results, errors = [], []
    real_sum = round_services.committed_sum

    def slow_sum(*args, **kwargs):
        total = real_sum(*args, **kwargs)
        time.sleep(0.5)
        return total

    def add(name):
        try:
            barrier.wait()
            allocation = services.allocation_create(
                actor=None,
                grant_round=GrantRound.objects.get(pk=grant_round.pk),
                recipient=world.holtalen,
                purpose=name,
                amount=Decimal("600000"),
            )
            results.append(allocation.pk)
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(services, "committed_sum", slow_sum):
        threads = [threading.Thread(target=add, args=(f"Tiltak {i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 1 and len(errors) == 1
    assert "above the round's frame" in str(errors[0]) or "over rundens ramme" in str(errors[0])
    assert round_services.committed_sum(grant_round.pk) == Decimal("600000")


@pytest.mark.django_db(transaction=True)
def test_a_raise_and_a_new_allocation_at_once_cannot_exceed_the_frame(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    grant_round = round_in(world, frame=Decimal("1000000"))
    existing = AllocationFactory(round=grant_round, amount=Decimal("400000"))
    barrier = threading.Barrier(2)
    outcomes = []
    real_sum = round_services.committed_sum

    def slow_sum(*args, **kwargs):
        total = real_sum(*args, **kwargs)
        time.sleep(0.5)
        return total

    def raise_existing():
        try:
            barrier.wait()
            allocation = Allocation.objects.get(pk=existing.pk)
            services.allocation_update(
                actor=None,
                allocation=allocation,
                expected_version=allocation.version,
                recipient=allocation.recipient,
                purpose=allocation.purpose,
                amount=Decimal("700000"),
            )
            outcomes.append("raised")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    def add_new():
        try:
            barrier.wait()
            services.allocation_create(
                actor=None,
                grant_round=GrantRound.objects.get(pk=grant_round.pk),
                recipient=world.roros,
                purpose="Nytt",
                amount=Decimal("500000"),
            )
            outcomes.append("added")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    with mock.patch.object(services, "committed_sum", slow_sum):
        threads = [threading.Thread(target=raise_existing), threading.Thread(target=add_new)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) in (["raised", "refused"], ["added", "refused"])
    assert round_services.committed_sum(grant_round.pk) <= Decimal("1000000")


# ---- the forum case and the decision --------------------------------------------------------------------------


def proposed_round(world, **kwargs):
    forum = forum_in(world)
    grant_round = round_in(world, forum=forum, frame=Decimal("1000000"), **kwargs)
    networks(world, grant_round)
    services.allocation_propose(actor=None, grant_round=grant_round)
    grant_round.refresh_from_db()
    return grant_round


def test_the_proposal_becomes_a_case_with_the_allocations_as_the_recommendation(world, client_for, english):
    grant_round = proposed_round(world)
    past = MeetingFactory(forum=grant_round.forum, starts_at=in_days(-7))
    other_forum_meeting = MeetingFactory(starts_at=in_days(7))
    meeting = MeetingFactory(forum=grant_round.forum, starts_at=in_days(21))
    client = client_for("secretariat_sor")
    url = reverse("grants:allocation_case", args=[grant_round.pk])
    for wrong in (past, other_forum_meeting):
        response = client.post(url, {"meeting": wrong.pk}, follow=True)
        assert "Choose an upcoming meeting of the round's forum." in [str(m) for m in response.context["messages"]]
    client.post(url, {"meeting": meeting.pk})
    grant_round.refresh_from_db()
    case = grant_round.decision_case
    assert case is not None and case.meeting == meeting and case.title == f"Allocation of {grant_round.name}"
    assert "Nettverk A mottaker 1: Nettverk A 1, kr\xa0300\xa0000" in case.recommendation
    assert "In total kr\xa01\xa0000\xa0000. Left of the frame: kr\xa00." in case.recommendation
    assert "Nettverk C: submitted after the deadline." in case.facts
    assert AuditEntry.objects.filter(action="forums.case.created", object_id=str(case.pk)).exists()
    assert AuditEntry.objects.filter(action="grants.round.case_created", object_id=str(grant_round.pk)).exists()
    # a second case is refused, and so is a new proposal that would no longer match it
    with pytest.raises(ValidationError, match="already case"):
        services.allocation_case_create(actor=None, grant_round=grant_round, meeting=meeting)
    with pytest.raises(ValidationError, match="already case"):
        services.allocation_propose(actor=None, grant_round=grant_round)
    # the page warns when the proposal changes after the case was made
    page = client.get(grant_round.get_absolute_url())
    assert not page.context["case_out_of_date"]
    allocation = Allocation.objects.filter(round=grant_round, status=AllocationStatus.PROPOSED).first()
    services.allocation_update(
        actor=None,
        allocation=allocation,
        expected_version=allocation.version,
        recipient=allocation.recipient,
        purpose=allocation.purpose,
        amount=allocation.amount - 1000,
    )
    assert client.get(grant_round.get_absolute_url()).context["case_out_of_date"]


def test_adoption_waits_for_the_forums_decision_then_fixes_the_allocations(world, client_for, english):
    grant_round = proposed_round(world)
    meeting = MeetingFactory(forum=grant_round.forum, starts_at=in_days(21))
    services.allocation_case_create(actor=None, grant_round=grant_round, meeting=meeting)
    client = client_for("secretariat_sor")
    url = reverse("grants:allocation_adopt", args=[grant_round.pk])
    response = client.post(url, {}, follow=True)
    assert any("has not recorded a decision" in str(m) for m in response.context["messages"])
    grant_round.refresh_from_db()
    assert grant_round.status == RoundStatus.PROPOSED
    meeting.status = MeetingStatus.NOTICE_SENT
    meeting.save()
    decision_record(actor=None, case=grant_round.decision_case, as_recommended=True)
    client.post(url, {})
    grant_round.refresh_from_db()
    assert grant_round.status == RoundStatus.DECIDED
    adopted = Allocation.objects.filter(round=grant_round, status=AllocationStatus.ADOPTED)
    assert adopted.count() == 5
    entry = AuditEntry.objects.filter(action="grants.allocation.adopted").order_by("pk").first()
    assert entry.changes["status"] == {"old": "proposed", "new": "adopted", "model": "grants.allocation"}
    status_entry = AuditEntry.objects.get(action="grants.round.status_changed", changes__status__new="decided")
    assert status_entry.data["case"] == grant_round.decision_case.label


def test_after_adoption_a_change_needs_a_new_decision(world, client_for, english):
    grant_round = proposed_round(world)
    services.allocations_adopt(actor=None, grant_round=grant_round, note="Vedtatt i møte 20.03.")
    allocation = Allocation.objects.filter(round=grant_round).exclude(status=AllocationStatus.WITHDRAWN).first()
    client = client_for("secretariat_sor")
    url = reverse("grants:allocation_edit", args=[grant_round.pk, allocation.pk])
    data = {
        "version": allocation.version,
        "recipient": allocation.recipient.pk,
        "purpose": allocation.purpose,
        "amount": "100000",
    }
    response = client.post(url, data)
    assert (
        response.context["form"]
        .errors["decision_case"][0]
        .startswith("An adopted allocation changes only by a new decision.")
    )
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("300000")
    new_case = AgendaCaseFactory(meeting=MeetingFactory(forum=grant_round.forum, status=MeetingStatus.NOTICE_SENT))
    decision_record(actor=None, case=new_case, as_recommended=True)
    response = client.post(url, {**data, "decision_case": new_case.pk})
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("100000") and allocation.status == AllocationStatus.ADOPTED
    entry = AuditEntry.objects.get(action="grants.allocation.changed", object_id=str(allocation.pk))
    assert entry.data["decision_case"] == new_case.label and entry.changes["amount"]["old"] == "300000.00"
    # a new allocation in the decided round is adopted at once, also only by a decision, and within the frame
    with pytest.raises(ValidationError, match="new decision"):
        services.allocation_create(
            actor=None, grant_round=grant_round, recipient=world.holtalen, purpose="Ekstra", amount=Decimal("1000")
        )
    extra = services.allocation_create(
        actor=None,
        grant_round=grant_round,
        recipient=world.holtalen,
        purpose="Ekstra",
        amount=Decimal("200000"),
        decision_case=new_case,
    )
    assert extra.status == AllocationStatus.ADOPTED
    with pytest.raises(ValidationError, match="above the round's frame"):
        services.allocation_create(
            actor=None,
            grant_round=grant_round,
            recipient=world.holtalen,
            purpose="For mye",
            amount=Decimal("1"),
            decision_case=new_case,
        )


def test_a_round_without_a_forum_is_adopted_by_the_manager_with_a_note(world, client_for, english):
    grant_round = round_in(world, frame=Decimal("1000000"))
    networks(world, grant_round)
    client = client_for("secretariat_sor")
    client.post(reverse("grants:allocation_propose", args=[grant_round.pk]))
    url = reverse("grants:allocation_adopt", args=[grant_round.pk])
    response = client.post(url, {"note": ""}, follow=True)
    assert any("write a note" in str(m) for m in response.context["messages"])
    client.post(url, {"note": "Vedtatt av styret 12.05."})
    grant_round.refresh_from_db()
    assert grant_round.status == RoundStatus.DECIDED
    # a change now needs the decision written down
    allocation = Allocation.objects.filter(round=grant_round, status=AllocationStatus.ADOPTED).first()
    with pytest.raises(ValidationError) as error:
        services.allocation_withdraw(actor=None, allocation=allocation, expected_version=allocation.version)
    assert "decision_note" in error.value.message_dict
    services.allocation_withdraw(
        actor=None, allocation=allocation, expected_version=allocation.version, decision_note="Styret 01.09., sak 4"
    )
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.WITHDRAWN


# ---- pages and files ------------------------------------------------------------------------------------------


def test_the_public_sees_adopted_allocations_only(world, client_for):
    grant_round = proposed_round(world)
    anonymous = client_for("anonymous").get(grant_round.get_absolute_url())
    assert anonymous.status_code == 200
    assert anonymous.context["money"].rows == [] and "preview" not in anonymous.context
    manager = client_for("secretariat_sor").get(grant_round.get_absolute_url())
    assert len(manager.context["money"].proposed_rows) == 5 and len(manager.context["preview"]) == 6
    services.allocations_adopt(actor=None, grant_round=grant_round, note="Vedtatt.")
    anonymous = client_for("anonymous").get(grant_round.get_absolute_url())
    assert len(anonymous.context["money"].adopted_rows) == 5
    assert anonymous.context["payments_summary"] is None  # payments are not public


def test_the_round_page_uses_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    grant_round = proposed_round(world)
    AllocationFactory(round=grant_round, amount=Decimal("1"), status=AllocationStatus.ADOPTED)
    clients = {persona: client_for(persona) for persona in ("anonymous", "holtalen_contact", "secretariat_sor")}
    counts = {}
    for persona, client in clients.items():
        with django_assert_max_num_queries(40) as captured:
            assert client.get(grant_round.get_absolute_url()).status_code == 200
        counts[persona] = len(captured.captured_queries)
    for _ in range(4):
        submitted(world, grant_round, OrganisationFactory(), ["1000", "2000", "3000"])
    for _ in range(5):
        AllocationFactory(round=grant_round, amount=Decimal("1"), status=AllocationStatus.ADOPTED)
    for persona, client in clients.items():
        with django_assert_max_num_queries(counts[persona]):
            assert client.get(grant_round.get_absolute_url()).status_code == 200


def test_the_allocation_pdf_and_xlsx(world, client_for):
    from openpyxl import load_workbook

    grant_round = proposed_round(world)
    services.allocations_adopt(actor=None, grant_round=grant_round, note="Vedtatt.")
    response = client_for("anonymous").get(reverse("grants:allocation_pdf", args=[grant_round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = client_for("anonymous").get(reverse("grants:allocations_xlsx", args=[grant_round.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6
    amounts = sorted(row[4] for row in rows[1:])
    assert amounts == [50000, 200000, 200000, 250000, 300000]
    assert sum(amounts) == 1000000
