"""Reads for the round page, priority lists, allocations and payments. Who sees what follows grants/rules.py:
adopted allocations are public; priority lists are seen by the submitter's members and the round's managers;
proposed and withdrawn allocations by the managers; payments by the managers and the recipient's members.
Every page reads a fixed number of queries, however many lists, priorities, allocations and payments."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce

from kompetansebro.audit.models import AuditEntry
from kompetansebro.grants.models import (
    Allocation,
    AllocationStatus,
    GrantRound,
    Payment,
    PriorityItem,
    PriorityList,
    RoundStatus,
)
from kompetansebro.grants.services.payments import PaymentTotals, totals_of
from kompetansebro.organisations.access import access_profile

ZERO = Decimal("0")


def round_by_pk(pk: int) -> GrantRound | None:
    return (
        GrantRound.objects.select_related("scheme__owner", "region", "forum", "decision_case__forum")
        .filter(pk=pk)
        .first()
    )


def visible_priority_lists(grant_round: GrantRound, user, *, manages: bool) -> list[PriorityList]:
    """The round's lists the person may see, with the number of priorities and the sum applied for."""
    lists = PriorityList.objects.filter(round=grant_round)
    if not manages:
        lists = lists.filter(submitter_id__in=access_profile(user).member_org_ids)
    return list(
        lists.select_related("submitter", "submitted_by")
        .annotate(item_count=Count("items"), applied_for=Coalesce(Sum("items__amount"), ZERO))
        .order_by("submitter__name", "pk")
    )


def priority_list_by_pk(grant_round: GrantRound, pk: int) -> PriorityList | None:
    priority_list = (
        PriorityList.objects.select_related("submitter", "submitted_by").filter(round=grant_round, pk=pk).first()
    )
    if priority_list is not None:
        priority_list.round = grant_round
    return priority_list


def priority_items(priority_list: PriorityList) -> list[PriorityItem]:
    return list(
        PriorityItem.objects.filter(priority_list=priority_list).select_related("applicant").order_by("rank", "pk")
    )


@dataclass
class AllocationRow:
    allocation: Allocation
    payments: PaymentTotals | None = None  # None: the reader may not see its payments

    @property
    def left_to_pay(self) -> Decimal | None:
        return None if self.payments is None else self.allocation.amount - self.payments.committed


@dataclass
class RoundMoney:
    """The round's allocations against its frame."""

    frame: Decimal
    adopted: Decimal = ZERO
    proposed: Decimal = ZERO
    rows: list[AllocationRow] = field(default_factory=list)
    withdrawn: list[Allocation] = field(default_factory=list)

    @property
    def committed(self) -> Decimal:
        return self.adopted + self.proposed

    @property
    def left(self) -> Decimal:
        return self.frame - self.committed

    @property
    def adopted_left(self) -> Decimal:
        return self.frame - self.adopted

    @property
    def share_used(self) -> Decimal:
        """Per cent of the frame used by proposed and adopted allocations."""
        if not self.frame:
            return ZERO
        return (self.committed * 100 / self.frame).quantize(Decimal("0.1"))

    @property
    def adopted_rows(self) -> list[AllocationRow]:
        return [row for row in self.rows if row.allocation.status == AllocationStatus.ADOPTED]

    @property
    def proposed_rows(self) -> list[AllocationRow]:
        return [row for row in self.rows if row.allocation.status == AllocationStatus.PROPOSED]


def payment_totals(allocation_ids) -> dict[int, PaymentTotals]:
    """One query: each allocation's payments summed by kind and status."""
    rows = (
        Payment.objects.filter(allocation_id__in=list(allocation_ids))
        .values("allocation_id", "kind", "status")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row["allocation_id"], []).append(row)
    return {allocation_id: totals_of(payments) for allocation_id, payments in grouped.items()}


def round_money(grant_round: GrantRound, user, *, manages: bool) -> RoundMoney:
    """The allocations the person may see (proposed and withdrawn ones only for managers) with their payments
    where the person may see them, and the sums against the frame (always from every allocation). Three
    queries."""
    allocations = list(
        Allocation.objects.filter(round=grant_round)
        .select_related("recipient", "priority_item__priority_list__submitter")
        .order_by("recipient__name", "pk")
    )
    money = RoundMoney(frame=grant_round.frame)
    for allocation in allocations:
        allocation.round = grant_round
        if allocation.status == AllocationStatus.ADOPTED:
            money.adopted += allocation.amount
        elif allocation.status == AllocationStatus.PROPOSED:
            money.proposed += allocation.amount
    visible = [allocation for allocation in allocations if manages or allocation.status == AllocationStatus.ADOPTED]
    with_payments = [
        allocation
        for allocation in visible
        if allocation.status == AllocationStatus.ADOPTED and user.has_perm("grants.view_payments", allocation)
    ]
    totals = payment_totals(allocation.pk for allocation in with_payments) if with_payments else {}
    shown_payments = {allocation.pk for allocation in with_payments}
    for allocation in visible:
        if allocation.status == AllocationStatus.WITHDRAWN:
            money.withdrawn.append(allocation)
            continue
        payments = totals.get(allocation.pk, PaymentTotals()) if allocation.pk in shown_payments else None
        money.rows.append(AllocationRow(allocation, payments))
    return money


def payment_summary(rows: list[AllocationRow]) -> PaymentTotals | None:
    """The payments of the rows whose payments the reader sees, added up; None if there are none."""
    seen = [row.payments for row in rows if row.payments is not None]
    if not seen:
        return None
    return PaymentTotals(
        planned=sum((p.planned for p in seen), ZERO),
        approved=sum((p.approved for p in seen), ZERO),
        paid=sum((p.paid for p in seen), ZERO),
        repaid=sum((p.repaid for p in seen), ZERO),
        repayments_pending=sum((p.repayments_pending for p in seen), ZERO),
    )


def allocation_by_pk(grant_round: GrantRound, pk: int) -> Allocation | None:
    allocation = Allocation.objects.select_related("recipient").filter(round=grant_round, pk=pk).first()
    if allocation is not None:
        allocation.round = grant_round
    return allocation


def payment_by_pk(grant_round: GrantRound, pk: int) -> Payment | None:
    payment = (
        Payment.objects.select_related("allocation__recipient").filter(allocation__round=grant_round, pk=pk).first()
    )
    if payment is not None:
        payment.allocation.round = grant_round
    return payment


def allocation_payments(allocation: Allocation) -> list[Payment]:
    return list(Payment.objects.filter(allocation=allocation).order_by("due_on", "pk"))


def payments_for_export(grant_round: GrantRound, allocation_ids=None) -> QuerySet[Payment]:
    payments = Payment.objects.filter(allocation__round=grant_round)
    if allocation_ids is not None:
        payments = payments.filter(allocation_id__in=allocation_ids)
    return payments.select_related("allocation__recipient").order_by("allocation__recipient__name", "due_on", "pk")


def allocations_for_export(grant_round: GrantRound, *, manages: bool) -> list[Allocation]:
    allocations = Allocation.objects.filter(round=grant_round)
    if not manages:
        allocations = allocations.filter(status=AllocationStatus.ADOPTED)
    return list(
        allocations.exclude(status=AllocationStatus.WITHDRAWN)
        .select_related("recipient", "priority_item__priority_list__submitter")
        .order_by("status", "recipient__name", "pk")
    )


def proposal_possible(grant_round: GrantRound) -> bool:
    return grant_round.status in (RoundStatus.OPEN, RoundStatus.PROPOSED) and grant_round.decision_case_id is None


def round_history(grant_round: GrantRound, *, page: int | str = 1, per_page: int = 50):
    """One page of the history of the round, its priority lists, allocations and payments (who changed what,
    with old and new values), newest first."""
    types = ContentType.objects.get_for_models(GrantRound, PriorityList, Allocation, Payment, for_concrete_models=False)

    def ids(queryset):
        return queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")

    condition = Q(content_type=types[GrantRound], object_id=str(grant_round.pk))
    for model, queryset in (
        (PriorityList, PriorityList.objects.filter(round=grant_round)),
        (Allocation, Allocation.objects.filter(round=grant_round)),
        (Payment, Payment.objects.filter(allocation__round=grant_round)),
    ):
        condition |= Q(content_type=types[model], object_id__in=ids(queryset))
    entries = AuditEntry.objects.filter(condition).select_related("actor").order_by("-created_at", "-id")
    return Paginator(entries, per_page).get_page(page)
