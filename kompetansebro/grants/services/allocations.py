"""The allocation proposal and its way to a decision.

1. The secretariat builds a proposal from the submitted priority lists within the frame (`proposal_lines`,
   the rule below), or adds, changes and withdraws allocations by hand. Every write that adds money locks
   the round first (services/rounds.py), so the proposed and adopted allocations never exceed the frame.
2. The proposal becomes a case on an upcoming meeting of the round's forum, its recommendation listing the
   allocations (`allocation_case_create`); the round links the case.
3. When the forum has decided the case — or the round's manager adopts with a note where no forum
   decides — the proposed allocations are adopted and the round is decided (`allocations_adopt`).
4. After that, an adopted allocation changes only through a new decision: a later decided case of the
   forum (or, for a round without a forum, a note with the decision's reference); a change never brings
   the allocation below what is planned or paid out on it.

The proposal rule (shown on the round page): round by round across the submitted lists — every list's
first priority, then every list's second, and so on; within a round lists submitted on time come before
late ones, each in the order they were submitted. Each priority is funded in full while the frame allows;
the first that does not fit gets what is left, and the ones after it get nothing."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kompetansebro.audit.services import diff, log_action, model_label, neutral_text, snapshot
from kompetansebro.core.money import format_nok, round_nok
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.forums.models import AgendaCase, Decision, Meeting
from kompetansebro.forums.services.cases import case_create
from kompetansebro.grants.models import (
    Allocation,
    AllocationStatus,
    GrantRound,
    Payment,
    PriorityItem,
    PriorityList,
    RoundStatus,
)
from kompetansebro.grants.services.payments import totals_of
from kompetansebro.grants.services.rounds import check_frame, committed_sum, lock_round, round_set_status
from kompetansebro.organisations.models import Organisation

ALLOCATION_FIELDS = ["recipient", "purpose", "amount", "status"]
EDITABLE_FIELDS = ["recipient", "purpose", "amount"]
PROPOSING_STATUSES = (RoundStatus.OPEN, RoundStatus.PROPOSED)
PURPOSE_MAX = Allocation._meta.get_field("purpose").max_length

FULL, PARTIAL, SKIPPED = "full", "partial", "skipped"
OUTCOME_LABELS = {
    FULL: gettext_lazy("in full"),
    PARTIAL: gettext_lazy("in part: what was left of the frame"),
    SKIPPED: gettext_lazy("not funded: the frame is used up"),
}


# ---- the rule -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalLine:
    item: PriorityItem
    priority_list: PriorityList
    position: int  # 1 for a list's first priority
    amount: Decimal
    outcome: str

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


def submitted_lists(grant_round: GrantRound) -> list[PriorityList]:
    """The round's submitted lists in proposal order (on time first, then by submission), with their
    priorities in rank order. Two queries."""
    return list(
        PriorityList.objects.filter(round=grant_round, submitted_at__isnull=False)
        .select_related("submitter")
        .prefetch_related(
            Prefetch("items", queryset=PriorityItem.objects.select_related("applicant").order_by("rank", "pk"))
        )
        .order_by("is_late", "submitted_at", "pk")
    )


def proposal_lines(lists: Iterable[PriorityList], available: Decimal) -> list[ProposalLine]:
    """Apply the proposal rule (see the module) to `lists` (in proposal order, items prefetched in rank
    order) with `available` NOK. Pure: reads nothing from the database."""
    queues = [(priority_list, list(priority_list.items.all())) for priority_list in lists]
    remaining = max(round_nok(available), Decimal("0"))
    lines = []
    depth = max((len(items) for _list, items in queues), default=0)
    for index in range(depth):
        for priority_list, items in queues:
            if index >= len(items):
                continue
            item = items[index]
            wanted = round_nok(item.amount)
            if wanted > 0 and wanted <= remaining:
                amount, outcome = wanted, FULL
            elif wanted > 0 and remaining > 0:
                amount, outcome = remaining, PARTIAL
            else:
                amount, outcome = Decimal("0"), SKIPPED
            remaining -= amount
            lines.append(ProposalLine(item, priority_list, index + 1, amount, outcome))
    return lines


# ---- helpers --------------------------------------------------------------------------------------------------


def _plain(value: str) -> str:
    return (value or "").strip()


def _paid_out(allocation: Allocation) -> Decimal:
    """What is planned, approved or paid on the allocation, less what is repaid (paid back)."""
    return totals_of(Payment.objects.filter(allocation=allocation).values("kind", "status", "amount")).committed


def decided_cases(grant_round: GrantRound):
    """Cases of the round's forum with a recorded decision, other than the one that adopted the round: the
    decisions that may change adopted allocations."""
    if grant_round.forum_id is None:
        return AgendaCase.objects.none()
    cases = AgendaCase.objects.filter(forum_id=grant_round.forum_id, decision__isnull=False)
    if grant_round.decision_case_id:
        cases = cases.exclude(pk=grant_round.decision_case_id)
    return cases.select_related("forum").order_by("-year", "-number")


def _check_new_decision(grant_round: GrantRound, decision_case: AgendaCase | None, decision_note: str) -> dict:
    """For a change to an adopted allocation (or a new one in a decided round): the new decision, as audit data.
    Raises ValidationError when there is none."""
    if grant_round.forum_id is not None:
        if decision_case is None or not decided_cases(grant_round).filter(pk=decision_case.pk).exists():
            raise ValidationError(
                {
                    "decision_case": [
                        _(
                            "An adopted allocation changes only by a new decision. Put the change before the forum "
                            "as a case, record its decision, and choose that case here."
                        )
                    ]
                }
            )
        return {"decision_case": decision_case.label, "decision_case_id": decision_case.pk}
    if not decision_note:
        raise ValidationError(
            {
                "decision_note": [
                    _("An adopted allocation changes only by a new decision. Write which decision changes it.")
                ]
            }
        )
    return {"decision_note": decision_note}


def _check_values(*, recipient, purpose: str, amount) -> dict[str, list]:
    errors: dict[str, list] = {}
    if recipient is None:
        errors["recipient"] = [_("Choose who receives the money.")]
    if not purpose:
        errors["purpose"] = [_("Write what the money is for.")]
    if amount is None or amount <= 0:
        errors["amount"] = [_("The amount must be more than kr 0.")]
    return errors


# ---- proposal -------------------------------------------------------------------------------------------------


def allocation_propose(*, actor, grant_round: GrantRound) -> list[ProposalLine]:
    """Build the proposal from the submitted lists within what the frame leaves after adopted allocations.
    A proposal made earlier is withdrawn (kept in the history). Returns every line, funded or not."""
    with transaction.atomic():
        locked = lock_round(grant_round)
        if locked.status not in PROPOSING_STATUSES:
            raise ValidationError(_("The round is decided. Changes to its allocations need a new decision."))
        if locked.decision_case_id is not None:
            raise ValidationError(
                _(
                    "The proposal is already case %(case)s for the forum. Change single allocations instead, "
                    "so the case and the proposal stay the same."
                )
                % {"case": locked.decision_case.label}
            )
        lists = submitted_lists(locked)
        if not lists:
            raise ValidationError(_("No priority list has been submitted yet, so there is nothing to propose from."))
        available = locked.frame - committed_sum(locked.pk, statuses=[AllocationStatus.ADOPTED])
        lines = proposal_lines(lists, available)
        for old in Allocation.objects.filter(round=locked, status=AllocationStatus.PROPOSED).select_related(
            "recipient"
        ):
            _withdraw(actor=actor, allocation=old, data={"replaced_by_new_proposal": True})
        created = 0
        for line in lines:
            if line.amount <= 0:
                continue
            allocation = Allocation.objects.create(
                round=locked,
                recipient=line.item.applicant,
                priority_item=line.item,
                purpose=line.item.theme[:PURPOSE_MAX],
                amount=line.amount,
                status=AllocationStatus.PROPOSED,
            )
            created += 1
            log_action(
                actor=actor,
                action="grants.allocation.proposed",
                target=allocation,
                changes=diff({}, snapshot(allocation, ALLOCATION_FIELDS), model=Allocation),
                data={
                    "priority_list": line.priority_list.pk,
                    "submitter": line.priority_list.submitter.name,
                    "position": line.position,
                    "applied_for": str(line.item.amount),
                    "outcome": line.outcome,
                },
            )
        check_frame(locked, total=committed_sum(locked.pk), field=None)
        round_set_status(actor=actor, grant_round=locked, status=RoundStatus.PROPOSED)
        log_action(
            actor=actor,
            action="grants.round.proposal_made",
            target=locked,
            data={
                "lists": len(lists),
                "allocations": created,
                "available": str(available),
                "proposed": str(sum((line.amount for line in lines), Decimal("0"))),
            },
        )
    grant_round.status, grant_round.version = locked.status, locked.version
    return lines


# ---- single allocations ---------------------------------------------------------------------------------------


def allocation_create(
    *,
    actor,
    grant_round: GrantRound,
    recipient: Organisation,
    purpose: str,
    amount: Decimal,
    decision_case: AgendaCase | None = None,
    decision_note: str = "",
) -> Allocation:
    """Add an allocation by hand: proposed while the round is open or proposed; in a decided round only by a
    new decision, and then adopted at once."""
    purpose, decision_note = _plain(purpose), _plain(decision_note)
    amount = round_nok(amount) if amount is not None else None
    errors = _check_values(recipient=recipient, purpose=purpose, amount=amount)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_round(grant_round)
        if locked.status == RoundStatus.CLOSED:
            raise ValidationError(pgettext("grant", "The round is closed."))
        data = None
        status = AllocationStatus.PROPOSED
        if locked.status == RoundStatus.DECIDED:
            data = _check_new_decision(locked, decision_case, decision_note)
            status = AllocationStatus.ADOPTED
        check_frame(locked, total=committed_sum(locked.pk) + amount)
        allocation = Allocation.objects.create(
            round=locked, recipient=recipient, purpose=purpose, amount=amount, status=status
        )
        log_action(
            actor=actor,
            action="grants.allocation.created",
            target=allocation,
            changes=diff({}, snapshot(allocation, ALLOCATION_FIELDS), model=Allocation),
            data=data,
        )
        if locked.status == RoundStatus.OPEN:
            round_set_status(actor=actor, grant_round=locked, status=RoundStatus.PROPOSED)
    return allocation


def allocation_update(
    *,
    actor,
    allocation: Allocation,
    expected_version: int,
    recipient: Organisation,
    purpose: str,
    amount: Decimal,
    decision_case: AgendaCase | None = None,
    decision_note: str = "",
) -> Allocation:
    """Change who receives an allocation, what it is for and its amount. A larger amount is checked against
    the frame with the round locked. Raises ConcurrentEditError on a stale version."""
    purpose, decision_note = _plain(purpose), _plain(decision_note)
    amount = round_nok(amount) if amount is not None else None
    errors = _check_values(recipient=recipient, purpose=purpose, amount=amount)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_round(allocation.round)
        stored = Allocation.objects.select_for_update().select_related("recipient").get(pk=allocation.pk)
        if stored.version != expected_version:
            raise ConcurrentEditError(stored)
        if stored.status == AllocationStatus.WITHDRAWN:
            raise ValidationError(_("The allocation is withdrawn. Add a new one instead."))
        data = None
        if stored.status == AllocationStatus.ADOPTED:
            data = _check_new_decision(locked, decision_case, decision_note)
            paid_out = _paid_out(stored)
            if amount < paid_out:
                raise ValidationError(
                    {
                        "amount": [
                            _(
                                "%(paid)s is planned or paid out on this allocation, so it cannot be lower. "
                                "Record a repayment first."
                            )
                            % {"paid": format_nok(paid_out)}
                        ]
                    }
                )
        check_frame(locked, total=committed_sum(locked.pk, exclude_pk=stored.pk) + amount)
        before = snapshot(stored, ALLOCATION_FIELDS)
        allocation.recipient, allocation.purpose, allocation.amount = recipient, purpose, amount
        after = snapshot(allocation, ALLOCATION_FIELDS)
        after["status"] = before["status"]
        changes = diff(before, after, model=Allocation)
        if not changes:
            allocation.version = stored.version
            return allocation
        allocation.version = stored.version + 1
        allocation.save(update_fields=[*EDITABLE_FIELDS, "version"])
        log_action(actor=actor, action="grants.allocation.changed", target=allocation, changes=changes, data=data)
    return allocation


def _withdraw(*, actor, allocation: Allocation, data: dict | None = None) -> None:
    before = snapshot(allocation, ALLOCATION_FIELDS)
    allocation.status = AllocationStatus.WITHDRAWN
    allocation.version += 1
    allocation.save(update_fields=["status", "version"])
    log_action(
        actor=actor,
        action="grants.allocation.withdrawn",
        target=allocation,
        changes=diff(before, snapshot(allocation, ALLOCATION_FIELDS), model=Allocation),
        data=data,
    )


def allocation_withdraw(
    *, actor, allocation: Allocation, expected_version: int, decision_case=None, decision_note: str = ""
) -> Allocation:
    """Take an allocation out of the proposal (or, by a new decision, out of the adopted ones). Refused while
    anything is planned or paid out on it."""
    decision_note = _plain(decision_note)
    with transaction.atomic():
        locked = lock_round(allocation.round)
        stored = Allocation.objects.select_for_update().select_related("recipient").get(pk=allocation.pk)
        if stored.version != expected_version:
            raise ConcurrentEditError(stored)
        if stored.status == AllocationStatus.WITHDRAWN:
            raise ValidationError(_("The allocation is already withdrawn."))
        data = None
        if stored.status == AllocationStatus.ADOPTED:
            data = _check_new_decision(locked, decision_case, decision_note)
            paid_out = _paid_out(stored)
            if paid_out > 0:
                raise ValidationError(
                    _(
                        "%(paid)s is planned or paid out on this allocation, so it cannot be withdrawn. "
                        "Record a repayment first."
                    )
                    % {"paid": format_nok(paid_out)}
                )
        _withdraw(actor=actor, allocation=stored, data=data)
    allocation.status, allocation.version = stored.status, stored.version
    return allocation


# ---- the forum case and the decision -------------------------------------------------------------------------


def proposed_allocations(grant_round: GrantRound) -> list[Allocation]:
    return list(
        Allocation.objects.filter(round=grant_round, status=AllocationStatus.PROPOSED)
        .select_related("recipient")
        .order_by("pk")
    )


def recommendation_text(grant_round: GrantRound, allocations: list[Allocation]) -> str:
    """The recommendation of the forum case: every proposed allocation, the sum and what is left of the frame."""
    allocations = sorted(allocations, key=lambda allocation: (allocation.recipient.name, allocation.pk))
    total = sum((allocation.amount for allocation in allocations), Decimal("0"))
    adopted = committed_sum(grant_round.pk, statuses=[AllocationStatus.ADOPTED])
    lines = [
        _("The means of %(round)s are allocated within the frame of %(frame)s as follows:")
        % {"round": grant_round.name, "frame": format_nok(grant_round.frame)},
        "",
    ]
    lines += [
        _("– %(recipient)s: %(purpose)s, %(amount)s")
        % {
            "recipient": allocation.recipient.name,
            "purpose": allocation.purpose,
            "amount": format_nok(allocation.amount),
        }
        for allocation in allocations
    ]
    lines += [
        "",
        _("In total %(total)s. Left of the frame: %(left)s.")
        % {"total": format_nok(total), "left": format_nok(grant_round.frame - adopted - total)},
    ]
    return "\n".join(lines)


def upcoming_meetings(grant_round: GrantRound):
    if grant_round.forum_id is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(forum_id=grant_round.forum_id, starts_at__gte=timezone.now()).order_by("starts_at")


def allocation_case_create(*, actor, grant_round: GrantRound, meeting: Meeting) -> AgendaCase:
    """Put the proposal before the round's forum as a case on `meeting` (an upcoming meeting of that forum),
    with the allocations as the recommendation, and link it to the round."""
    with transaction.atomic():
        locked = lock_round(grant_round)
        if locked.forum_id is None:
            raise ValidationError(_("The round has no deciding forum. Choose one for the round first."))
        if locked.status != RoundStatus.PROPOSED:
            raise ValidationError(_("Only a proposal that is not yet decided can become a case."))
        if locked.decision_case_id is not None:
            raise ValidationError(_("The proposal is already case %(case)s.") % {"case": locked.decision_case.label})
        if meeting.forum_id != locked.forum_id or not upcoming_meetings(locked).filter(pk=meeting.pk).exists():
            raise ValidationError({"meeting": [_("Choose an upcoming meeting of the round's forum.")]})
        allocations = proposed_allocations(locked)
        if not allocations:
            raise ValidationError(_("The proposal has no allocations yet."))
        lists = list(PriorityList.objects.filter(round=locked).select_related("submitter").order_by("submitter__name"))
        submitted = [pl for pl in lists if pl.submitted_at]
        facts = [
            _("Frame: %(frame)s. Priority lists submitted: %(submitted)s of %(count)s.")
            % {"frame": format_nok(locked.frame), "submitted": len(submitted), "count": len(lists)}
        ]
        for priority_list in lists:
            marks = []
            if priority_list.submitted_at is None:
                marks.append(_("not submitted"))
            if priority_list.is_late:
                marks.append(_("submitted after the deadline"))
            if priority_list.changed_after_submission:
                marks.append(_("changed after it was submitted"))
            if marks:
                facts.append(f"{priority_list.submitter.name}: {', '.join(marks)}.")
        case = case_create(
            actor=actor,
            meeting=meeting,
            title=_("Allocation of %(round)s") % {"round": locked.name},
            background=_(
                "The secretariat has prepared a proposal for the allocation of %(round)s (%(scheme)s) "
                "from the priority lists of the networks, within the round's frame."
            )
            % {"round": locked.name, "scheme": locked.scheme.name},
            facts="\n".join(facts),
            recommendation=recommendation_text(locked, allocations),
        )
        locked.decision_case = case
        locked.version += 1
        locked.save(update_fields=["decision_case", "version"])
        log_action(
            actor=actor,
            action="grants.round.case_created",
            target=locked,
            changes={"decision_case": {"old": None, "new": neutral_text(case), "model": model_label(GrantRound)}},
            data={"case": case.pk, "meeting": meeting.pk, "allocations": [a.pk for a in allocations]},
        )
    grant_round.decision_case, grant_round.version = case, locked.version
    return case


def round_decision(grant_round: GrantRound) -> Decision | None:
    if grant_round.decision_case_id is None:
        return None
    return Decision.objects.filter(case_id=grant_round.decision_case_id).first()


def allocations_adopt(*, actor, grant_round: GrantRound, note: str = "") -> int:
    """Adopt the proposed allocations: after the forum recorded its decision in the round's case, or by the
    round's manager with a note (a round decided elsewhere). The round becomes decided. Returns how many."""
    note = _plain(note)
    with transaction.atomic():
        locked = lock_round(grant_round)
        if locked.status != RoundStatus.PROPOSED:
            raise ValidationError(_("Only a proposed allocation can be adopted."))
        decision = round_decision(locked)
        if decision is None and not note:
            raise ValidationError(
                {
                    "note": [
                        _(
                            "The forum has not recorded a decision in the round's case yet. Wait for the decision, "
                            "or write a note on where and when the allocation was decided."
                        )
                    ]
                }
            )
        allocations = proposed_allocations(locked)
        if not allocations:
            raise ValidationError(_("The proposal has no allocations to adopt."))
        check_frame(locked, total=committed_sum(locked.pk), field=None)
        for allocation in allocations:
            before = snapshot(allocation, ALLOCATION_FIELDS)
            allocation.status = AllocationStatus.ADOPTED
            allocation.version += 1
            allocation.save(update_fields=["status", "version"])
            log_action(
                actor=actor,
                action="grants.allocation.adopted",
                target=allocation,
                changes=diff(before, snapshot(allocation, ALLOCATION_FIELDS), model=Allocation),
            )
        data = {"allocations": len(allocations), "note": note}
        if decision is not None:
            data |= {
                "case": locked.decision_case.label,
                "decision": decision.text,
                "as_recommended": decision.as_recommended,
            }
        round_set_status(actor=actor, grant_round=locked, status=RoundStatus.DECIDED, data=data)
    grant_round.status, grant_round.version = locked.status, locked.version
    return len(allocations)
