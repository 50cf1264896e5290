"""What every write on a round's money shares: the lock on the round, the sum held against its frame, the
round's status steps.

The frame rule: the proposed and adopted allocations of a round never add up to more than its frame. Every
service that adds money (a proposal, a new allocation, a larger amount) locks the round row with
select_for_update inside its transaction before it sums, so two secretaries saving at the same moment are
served one after the other and the second sees the first one's allocation (tests/test_grants_allocations.py
runs that race on PostgreSQL with two connections)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import log_action, model_label
from kompetansebro.core.money import format_nok
from kompetansebro.grants.models import Allocation, AllocationStatus, GrantRound, RoundStatus

COUNTED_STATUSES = (AllocationStatus.PROPOSED, AllocationStatus.ADOPTED)


def lock_round(grant_round: GrantRound) -> GrantRound:
    """The round's row, locked until the surrounding transaction ends. Call inside transaction.atomic."""
    return GrantRound.objects.select_for_update().get(pk=grant_round.pk)


def committed_sum(round_id: int, *, exclude_pk: int | None = None, statuses=COUNTED_STATUSES) -> Decimal:
    """What the round's proposed and adopted allocations add up to (without allocation `exclude_pk`)."""
    allocations = Allocation.objects.filter(round_id=round_id, status__in=statuses)
    if exclude_pk is not None:
        allocations = allocations.exclude(pk=exclude_pk)
    return allocations.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def check_frame(grant_round: GrantRound, *, total: Decimal, field: str | None = "amount") -> None:
    """Refuse a total above the frame, saying how much is left. `grant_round` must be the locked row."""
    if total > grant_round.frame:
        message = _(
            "The allocations would add up to %(total)s, above the round's frame of %(frame)s. "
            "Lower the amount by at least %(excess)s."
        ) % {
            "total": format_nok(total),
            "frame": format_nok(grant_round.frame),
            "excess": format_nok(total - grant_round.frame),
        }
        raise ValidationError({field: [message]} if field else message)


def round_set_status(*, actor, grant_round: GrantRound, status: str, data: dict | None = None) -> None:
    """Move the locked round to `status` (bumping its version, so an open edit form of the round sees that
    it changed) and record it."""
    if grant_round.status == status:
        return
    old = grant_round.status
    grant_round.status = status
    grant_round.version += 1
    grant_round.save(update_fields=["status", "version"])
    log_action(
        actor=actor,
        action="grants.round.status_changed",
        target=grant_round,
        changes={"status": {"old": old, "new": grant_round.status, "model": model_label(GrantRound)}},
        data=data,
    )


def check_priority_lists_open(grant_round: GrantRound) -> None:
    if grant_round.status in (RoundStatus.DECIDED, RoundStatus.CLOSED):
        raise ValidationError(_("The round is decided, so its priority lists can no longer be changed."))
