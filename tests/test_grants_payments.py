"""Payments on adopted allocations: planned → approved → paid, in parts; repayments; the sums that can never be
passed (also by two transactions at once on PostgreSQL); the history with old and new values; the pages and the
xlsx."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.grants.models import AllocationStatus, Payment, PaymentKind, PaymentStatus
from kompetansebro.grants.services import allocations as allocation_services
from kompetansebro.grants.services import payments as services
from tests.grant_factories import AllocationFactory
from tests.test_grants_priorities import round_in

pytestmark = pytest.mark.django_db


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def adopted(world, amount="300000", **kwargs):
    return AllocationFactory(
        round=round_in(world, status="decided"),
        recipient=world.holtalen,
        amount=Decimal(amount),
        status=AllocationStatus.ADOPTED,
        **kwargs,
    )


def pay(allocation, amount, status=PaymentStatus.PLANNED, kind=PaymentKind.PAYMENT, **kwargs):
    if status == PaymentStatus.PAID:
        kwargs.setdefault("paid_on", timezone.localdate() - datetime.timedelta(days=1))
    return services.payment_create(
        actor=None, allocation=allocation, kind=kind, amount=Decimal(amount), status=status, **kwargs
    )


def test_partial_payments_up_to_the_allocation_and_not_beyond(world, english):
    allocation = adopted(world)
    pay(allocation, "100000", PaymentStatus.PAID)
    pay(allocation, "150000", PaymentStatus.APPROVED)
    with pytest.raises(ValidationError) as error:
        pay(allocation, "50001")
    assert error.value.message_dict["amount"] == [
        "The payments would add up to kr\xa0300\xa0001, above the allocation of kr\xa0300\xa0000. "
        "At most kr\xa050\xa0000 can still be paid out."
    ]
    pay(allocation, "50000")
    totals = services.totals_of(Payment.objects.filter(allocation=allocation))
    assert (totals.planned, totals.approved, totals.paid, totals.committed) == (
        Decimal("50000"),
        Decimal("150000"),
        Decimal("100000"),
        Decimal("300000"),
    )


def test_a_repayment_cannot_exceed_what_was_paid_and_frees_room_when_received(world, english):
    allocation = adopted(world)
    pay(allocation, "200000", PaymentStatus.PAID)
    pay(allocation, "100000")
    with pytest.raises(ValidationError, match="cannot be more than what has been paid"):
        pay(allocation, "200001", kind=PaymentKind.REPAYMENT)
    repayment = pay(allocation, "50000", kind=PaymentKind.REPAYMENT)
    with pytest.raises(ValidationError, match="cannot be more than what has been paid"):
        pay(allocation, "150001", kind=PaymentKind.REPAYMENT)  # 50 000 is already recorded as a repayment
    # a planned repayment does not yet free room; a received one does
    with pytest.raises(ValidationError, match="above the allocation"):
        pay(allocation, "1")
    services.payment_update(
        actor=None,
        payment=repayment,
        expected_version=repayment.version,
        kind=PaymentKind.REPAYMENT,
        amount=Decimal("50000"),
        status=PaymentStatus.PAID,
        paid_on=yesterday(),
    )
    pay(allocation, "50000")
    assert services.totals_of(Payment.objects.filter(allocation=allocation)).committed == Decimal("300000")


def test_status_moves_forward_a_paid_payment_keeps_its_amount_and_changes_are_recorded(world, english):
    allocation = adopted(world)
    actor = world.users["secretariat_sor"]
    payment = services.payment_create(
        actor=actor, allocation=allocation, kind=PaymentKind.PAYMENT, amount=Decimal("100000"), reference=" A-1 "
    )
    assert payment.reference == "A-1" and payment.status == PaymentStatus.PLANNED
    with pytest.raises(ValidationError) as error:
        services.payment_update(
            actor=actor,
            payment=payment,
            expected_version=payment.version,
            kind=PaymentKind.PAYMENT,
            amount=Decimal("100000"),
            status=PaymentStatus.PAID,
        )
    assert error.value.message_dict["paid_on"] == ["Write the day it was paid."]
    services.payment_update(
        actor=actor,
        payment=payment,
        expected_version=payment.version,
        kind=PaymentKind.PAYMENT,
        amount=Decimal("120000"),
        status=PaymentStatus.PAID,
        paid_on=yesterday(),
    )
    entry = AuditEntry.objects.get(action="grants.payment.changed", object_id=str(payment.pk))
    assert entry.actor == actor
    assert entry.changes["amount"] == {"old": "100000.00", "new": "120000.00", "model": "grants.payment"}
    assert entry.changes["status"]["old"] == "planned" and entry.changes["status"]["new"] == "paid"
    assert entry.changes["paid_on"]["new"] == yesterday().isoformat()
    with pytest.raises(ValidationError, match="cannot go back"):
        services.payment_update(
            actor=actor,
            payment=payment,
            expected_version=payment.version,
            kind=PaymentKind.PAYMENT,
            amount=Decimal("120000"),
            status=PaymentStatus.APPROVED,
        )
    with pytest.raises(ValidationError, match="keeps its kind and amount"):
        services.payment_update(
            actor=actor,
            payment=payment,
            expected_version=payment.version,
            kind=PaymentKind.PAYMENT,
            amount=Decimal("1"),
            status=PaymentStatus.PAID,
            paid_on=yesterday(),
        )
    assert AuditEntry.objects.filter(action="grants.payment.created", object_id=str(payment.pk)).exists()


def test_payments_only_on_adopted_allocations_and_the_allocation_stays_above_them(world, english):
    proposed = AllocationFactory(round=round_in(world), amount=Decimal("1000"))
    with pytest.raises(ValidationError, match="only be made on an adopted allocation"):
        pay(proposed, "100")
    allocation = adopted(world)
    new_case_round = allocation.round
    pay(allocation, "200000", PaymentStatus.PAID)
    with pytest.raises(ValidationError, match="cannot be lower"):
        allocation_services.allocation_update(
            actor=None,
            allocation=allocation,
            expected_version=allocation.version,
            recipient=allocation.recipient,
            purpose=allocation.purpose,
            amount=Decimal("150000"),
            decision_note="Styret 01.09.",
        )
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        allocation_services.allocation_withdraw(
            actor=None, allocation=allocation, expected_version=allocation.version, decision_note="Styret 01.09."
        )
    assert new_case_round.forum_id is None


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_cannot_exceed_the_allocation(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    allocation = adopted(world)
    barrier = threading.Barrier(2)
    outcomes = []

    def add():
        try:
            barrier.wait()
            pay(allocation, "200000")
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert services.totals_of(Payment.objects.filter(allocation=allocation)).committed == Decimal("200000")


def test_the_payment_pages(world, client_for, english):
    allocation = adopted(world)
    grant_round = allocation.round
    client = client_for("secretariat_sor")
    url = reverse("grants:payment_create", args=[grant_round.pk, allocation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "payment", "amount": "400000", "status": "planned"})
    assert "above the allocation" in response.context["form"].errors["amount"][0]
    response = client.post(url, {"kind": "payment", "amount": "100000", "status": "planned", "due_on": "30.06.2027"})
    assert response.status_code == 302 and response["Location"].endswith("#payments")
    payment = Payment.objects.get(allocation=allocation)
    assert payment.due_on == datetime.date(2027, 6, 30)
    edit = reverse("grants:payment_edit", args=[grant_round.pk, payment.pk])
    response = client.post(
        edit,
        {
            "version": payment.version,
            "kind": "payment",
            "amount": "100000",
            "status": "paid",
            "due_on": "30.06.2027",
            "paid_on": yesterday().strftime("%d.%m.%Y"),
            "reference": "Bilag 12",
        },
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.reference == "Bilag 12"
    # a stale version shows the other person's values
    response = client.post(
        edit,
        {"version": 1, "kind": "payment", "amount": "100000", "status": "paid", "paid_on": "01.01.2020"},
    )
    assert response.context["conflict"].pk == payment.pk
    # the round page shows the summary to the manager and to the recipient's members, not to others
    page = client.get(grant_round.get_absolute_url())
    assert page.context["payments_summary"].paid == Decimal("100000")
    assert client_for("holtalen_contact").get(grant_round.get_absolute_url()).context["payments_summary"].paid == 100000
    assert client_for("ntnu_admin").get(grant_round.get_absolute_url()).context["payments_summary"] is None


def test_the_payments_xlsx_for_the_manager_and_the_recipient(world, client_for):
    from openpyxl import load_workbook

    allocation = adopted(world)
    other = AllocationFactory(
        round=allocation.round, recipient=world.roros, amount=Decimal("1000"), status=AllocationStatus.ADOPTED
    )
    pay(allocation, "1234.50", PaymentStatus.PAID)
    pay(other, "1000")
    url = reverse("grants:payments_xlsx", args=[allocation.round.pk])

    def rows(persona):
        response = client_for(persona).get(url)
        return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))

    manager_rows = rows("secretariat_sor")
    assert len(manager_rows) == 3
    holtalen_rows = rows("holtalen_contact")
    assert len(holtalen_rows) == 2 and holtalen_rows[1][1] == "Holtålen kommune"
    assert holtalen_rows[1][5] == 1234.5
    assert client_for("ntnu_admin").get(url).status_code == 403
