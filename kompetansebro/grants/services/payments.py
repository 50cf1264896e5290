"""Payments on adopted allocations: planned → approved → paid (with the day it was paid), in parts, and
repayments when money comes back.

Two sums hold at every moment, checked with the allocation row locked (select_for_update), so two people
recording payments at once cannot together pass them:
- what is planned, approved and paid out, less what has been paid back, never exceeds the allocation;
- what is repaid (in any status) never exceeds what has been paid.
A paid payment keeps its kind and amount (a correction is a repayment); its status never goes back."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.core.money import format_nok, round_nok
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.grants.models import Allocation, AllocationStatus, Payment, PaymentKind, PaymentStatus

PAYMENT_FIELDS = ["kind", "amount", "status", "due_on", "paid_on", "reference"]
STATUS_ORDER = [PaymentStatus.PLANNED, PaymentStatus.APPROVED, PaymentStatus.PAID]
ZERO = Decimal("0")


@dataclass(frozen=True)
class PaymentTotals:
    """An allocation's payments summed: `committed` (planned + approved + paid, less paid repayments) is what
    the allocation limits."""

    planned: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO
    repaid: Decimal = ZERO  # repayments received (paid)
    repayments_pending: Decimal = ZERO  # planned or approved repayments

    @property
    def committed(self) -> Decimal:
        return self.planned + self.approved + self.paid - self.repaid

    @property
    def net_paid(self) -> Decimal:
        return self.paid - self.repaid


def totals_of(payments) -> PaymentTotals:
    """Sum payments (objects or dicts with kind, status, amount)."""
    sums = {"planned": ZERO, "approved": ZERO, "paid": ZERO, "repaid": ZERO, "repayments_pending": ZERO}
    for payment in payments:
        kind, status, amount = _read(payment, "kind"), _read(payment, "status"), _read(payment, "amount")
        if kind == PaymentKind.REPAYMENT:
            sums["repaid" if status == PaymentStatus.PAID else "repayments_pending"] += amount
        else:
            sums[status] += amount
    return PaymentTotals(**sums)


def _read(payment, name):
    return payment[name] if isinstance(payment, dict) else getattr(payment, name)


def _check_values(*, kind, amount, status, paid_on) -> None:
    errors: dict[str, list] = {}
    if kind not in PaymentKind.values:
        errors["kind"] = [_("Choose payment or repayment.")]
    if amount is None or amount <= 0:
        errors["amount"] = [_("The amount must be more than kr 0.")]
    if status not in PaymentStatus.values:
        errors["status"] = [_("Choose the status.")]
    if status == PaymentStatus.PAID and paid_on is None:
        errors["paid_on"] = [_("Write the day it was paid.")]
    if paid_on is not None and paid_on > timezone.localdate():
        errors["paid_on"] = [_("The day it was paid cannot be in the future.")]
    if errors:
        raise ValidationError(errors)


def _check_sums(allocation: Allocation, *, others, kind: str, amount: Decimal, status: str) -> None:
    """`allocation` is the locked row; `others` are its other payments."""
    totals = totals_of([*others, {"kind": kind, "status": status, "amount": amount}])
    if kind == PaymentKind.PAYMENT and totals.committed > allocation.amount:
        left = allocation.amount - totals_of(others).committed
        raise ValidationError(
            {
                "amount": [
                    _(
                        "The payments would add up to %(total)s, above the allocation of %(allocation)s. "
                        "At most %(left)s can still be paid out."
                    )
                    % {
                        "total": format_nok(totals.committed),
                        "allocation": format_nok(allocation.amount),
                        "left": format_nok(max(left, ZERO)),
                    }
                ]
            }
        )
    if kind == PaymentKind.REPAYMENT and totals.repaid + totals.repayments_pending > totals.paid:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "A repayment cannot be more than what has been paid: %(paid)s is paid and %(repaid)s "
                        "is already repaid or recorded as a repayment."
                    )
                    % {
                        "paid": format_nok(totals.paid),
                        "repaid": format_nok(totals.repaid + totals.repayments_pending - amount),
                    }
                ]
            }
        )


def _lock_allocation(allocation: Allocation) -> Allocation:
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if locked.status != AllocationStatus.ADOPTED:
        raise ValidationError(_("Payments can only be made on an adopted allocation."))
    return locked


def _other_payments(allocation: Allocation, exclude_pk: int | None = None) -> list[dict]:
    payments = Payment.objects.filter(allocation=allocation)
    if exclude_pk is not None:
        payments = payments.exclude(pk=exclude_pk)
    return list(payments.values("kind", "status", "amount"))


def payment_create(
    *,
    actor,
    allocation: Allocation,
    kind: str,
    amount: Decimal,
    status: str = PaymentStatus.PLANNED,
    due_on: datetime.date | None = None,
    paid_on: datetime.date | None = None,
    reference: str = "",
) -> Payment:
    amount = round_nok(amount) if amount is not None else None
    _check_values(kind=kind, amount=amount, status=status, paid_on=paid_on)
    if status != PaymentStatus.PAID:
        paid_on = None
    with transaction.atomic():
        locked = _lock_allocation(allocation)
        _check_sums(locked, others=_other_payments(locked), kind=kind, amount=amount, status=status)
        payment = Payment.objects.create(
            allocation=locked,
            kind=kind,
            amount=amount,
            status=status,
            due_on=due_on,
            paid_on=paid_on,
            reference=(reference or "").strip(),
        )
        log_action(
            actor=actor,
            action="grants.payment.created",
            target=payment,
            changes=diff({}, snapshot(payment, PAYMENT_FIELDS), model=Payment),
            data={"allocation": locked.pk, "round": locked.round_id},
        )
    return payment


def payment_update(
    *,
    actor,
    payment: Payment,
    expected_version: int,
    kind: str,
    amount: Decimal,
    status: str,
    due_on: datetime.date | None = None,
    paid_on: datetime.date | None = None,
    reference: str = "",
) -> Payment:
    """Change a payment. Its status only moves forward; a paid one keeps its kind and amount.
    Raises ConcurrentEditError on a stale version."""
    amount = round_nok(amount) if amount is not None else None
    _check_values(kind=kind, amount=amount, status=status, paid_on=paid_on)
    if status != PaymentStatus.PAID:
        paid_on = None
    with transaction.atomic():
        locked = _lock_allocation(payment.allocation)
        stored = Payment.objects.select_for_update().get(pk=payment.pk)
        if stored.version != expected_version:
            raise ConcurrentEditError(stored)
        if STATUS_ORDER.index(status) < STATUS_ORDER.index(stored.status):
            raise ValidationError(
                {
                    "status": [
                        _("The status cannot go back from “%(status)s”.") % {"status": stored.get_status_display()}
                    ]
                }
            )
        if stored.status == PaymentStatus.PAID and (kind != stored.kind or amount != stored.amount):
            raise ValidationError(
                {
                    "amount": [
                        _(
                            "A paid payment keeps its kind and amount. Record a repayment or a new payment "
                            "for the difference."
                        )
                    ]
                }
            )
        _check_sums(
            locked, others=_other_payments(locked, exclude_pk=stored.pk), kind=kind, amount=amount, status=status
        )
        before = snapshot(stored, PAYMENT_FIELDS)
        payment.kind, payment.amount, payment.status = kind, amount, status
        payment.due_on, payment.paid_on, payment.reference = due_on, paid_on, (reference or "").strip()
        changes = diff(before, snapshot(payment, PAYMENT_FIELDS), model=Payment)
        if not changes:
            payment.version = stored.version
            return payment
        payment.version = stored.version + 1
        payment.save(update_fields=[*PAYMENT_FIELDS, "version"])
        log_action(
            actor=actor,
            action="grants.payment.changed",
            target=payment,
            changes=changes,
            data={"allocation": locked.pk, "round": locked.round_id},
        )
    return payment
