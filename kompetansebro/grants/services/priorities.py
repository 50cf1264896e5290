"""Ranked priority lists: a network or region says what (the theme) and who (the order of its priorities)
for a round. A list is submitted once; after the round's deadline it is marked late, and a change after it
was submitted is marked too — the marks stay, so the forum sees them.

Callers decide permissions with grants/rules.py first (grants.submit_priority_list on the round,
grants.change_priority_list on the list); these functions check the data and the step."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.core import bounds
from kompetansebro.core.money import format_nok, round_nok
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.grants.eligibility import is_eligible_recipient
from kompetansebro.grants.models import GrantRound, PriorityItem, PriorityList
from kompetansebro.grants.services.rounds import check_priority_lists_open
from kompetansebro.organisations.models import Organisation

LIST_FIELDS = ["round", "submitter", "note"]
ITEMS_LABEL = gettext_noop("priorities")
# Ranks are renumbered 1, 2, 3 … in two steps so the unique (list, rank) constraint never sees a clash.
RANK_OFFSET = 10000


@dataclass
class ItemInput:
    """One row of the edit form: `pk` None for a new priority."""

    rank: int
    theme: str
    applicant: Organisation
    amount: Decimal
    description: str = ""
    pk: int | None = None


def item_line(rank: int, theme: str, applicant, amount: Decimal) -> str:
    """A priority as the history shows it: "1. Lesing i alle fag – Holtålen kommune – kr 100 000"."""
    return f"{rank}. {theme} – {applicant} – {format_nok(amount)}"


def _item_lines(items) -> list[str]:
    return [item_line(item.rank, item.theme, item.applicant, item.amount) for item in items]


def _stored_items(priority_list: PriorityList) -> list[PriorityItem]:
    return list(PriorityItem.objects.filter(priority_list=priority_list).select_related("applicant").order_by("rank"))


def _is_late(grant_round: GrantRound) -> bool:
    return grant_round.priority_deadline is not None and timezone.localdate() > grant_round.priority_deadline


def priority_list_create(*, actor, grant_round: GrantRound, submitter: Organisation, note: str = "") -> PriorityList:
    """An empty list for `submitter` in the round (one per organisation and round). The submitter must be an
    eligible recipient of the round, whoever creates the list: a manager cannot open the round to others."""
    check_priority_lists_open(grant_round)
    if not is_eligible_recipient(grant_round, submitter):
        raise ValidationError(
            {
                "submitter": [
                    _(
                        "%(name)s may not receive money from this round, so it cannot submit a priority list. "
                        "The scheme's owner decides who may."
                    )
                    % {"name": submitter.name}
                ]
            }
        )
    duplicate = ValidationError(
        {
            "submitter": [
                _("%(name)s already has a priority list in this round. Open it from the round's page.")
                % {"name": submitter.name}
            ]
        }
    )
    if PriorityList.objects.filter(round=grant_round, submitter=submitter).exists():
        raise duplicate
    try:
        with transaction.atomic():
            priority_list = PriorityList.objects.create(
                round=grant_round, submitter=submitter, note=(note or "").strip()
            )
            log_action(
                actor=actor,
                action="grants.priority_list.created",
                target=priority_list,
                changes=diff({}, snapshot(priority_list, LIST_FIELDS), model=PriorityList),
            )
    except IntegrityError as error:
        raise duplicate from error
    return priority_list


def _check_items(rows: list[ItemInput], *, frame: Decimal) -> dict[str, list]:
    """The rows' numbers, themes and amounts: none negative, none and not all together above the round's
    frame (core/bounds.py)."""
    errors: dict[str, list] = {}
    ranks = [row.rank for row in rows]
    if any(rank is None or rank < 1 for rank in ranks):
        errors.setdefault("items", []).append(_("Every priority needs a number, 1 or higher."))
    elif len(set(ranks)) != len(ranks):
        errors.setdefault("items", []).append(
            _("Two priorities have the same number. Give each its own place in the order.")
        )
    if any(not row.theme for row in rows):
        errors.setdefault("items", []).append(_("Every priority needs a theme: what the money is for."))
    if any(row.amount is None or row.amount < 0 for row in rows):
        errors.setdefault("items", []).append(_("The amounts cannot be negative."))
        return errors
    for row in rows:
        if error := bounds.ask_error(row.amount, frame=frame):
            errors.setdefault("items", []).append(
                _("Priority %(rank)s: %(error)s") % {"rank": row.rank, "error": error}
            )
    total = sum((row.amount for row in rows), Decimal("0"))
    if not errors and (error := bounds.ask_error(total, frame=frame)):
        errors.setdefault("items", []).append(_("In total: %(error)s") % {"error": error})
    return errors


def priority_list_save(
    *, actor, priority_list: PriorityList, expected_version: int, note: str, items: list[ItemInput]
) -> bool:
    """Replace the list's note and priorities with `items` (existing ones by pk; those left out are removed),
    numbered 1, 2, 3 … in the order of their ranks. Returns False when nothing changed.

    Raises ConcurrentEditError when someone saved the list after `expected_version`, ValidationError for
    invalid rows or when the round is decided."""
    check_priority_lists_open(priority_list.round)
    rows = [
        ItemInput(
            rank=row.rank,
            theme=(row.theme or "").strip(),
            applicant=row.applicant,
            amount=round_nok(row.amount) if row.amount is not None else None,
            description=(row.description or "").strip(),
            pk=row.pk,
        )
        for row in items
    ]
    errors = _check_items(rows, frame=priority_list.round.frame)
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    rows.sort(key=lambda row: row.rank)
    with transaction.atomic():
        stored = PriorityList.objects.select_for_update().select_related("round").get(pk=priority_list.pk)
        if stored.version != expected_version:
            raise ConcurrentEditError(stored)
        check_priority_lists_open(stored.round)
        before_items = _stored_items(stored)
        by_pk = {item.pk: item for item in before_items}
        unknown = [row.pk for row in rows if row.pk is not None and row.pk not in by_pk]
        if unknown:
            raise ValidationError(_("A priority was removed by someone else. Open the list again."))
        after_lines = [
            item_line(position, row.theme, row.applicant, row.amount) for position, row in enumerate(rows, start=1)
        ]
        descriptions_before = {item.pk: item.description for item in before_items}
        descriptions_changed = any(
            row.pk is None and row.description or row.pk is not None and descriptions_before[row.pk] != row.description
            for row in rows
        )
        item_changes = _item_lines(before_items) != after_lines or descriptions_changed
        changes = diff({"note": stored.note}, {"note": note}, model=PriorityList)
        if item_changes:
            changes["items"] = {"label": ITEMS_LABEL, "old": _item_lines(before_items), "new": after_lines}
        if not changes:
            return False
        kept = {row.pk for row in rows if row.pk is not None}
        PriorityItem.objects.filter(priority_list=stored).exclude(pk__in=kept).delete()
        PriorityItem.objects.filter(priority_list=stored).update(rank=F("rank") + RANK_OFFSET)
        for position, row in enumerate(rows, start=1):
            if row.pk is None:
                PriorityItem.objects.create(
                    priority_list=stored,
                    rank=position,
                    theme=row.theme,
                    applicant=row.applicant,
                    amount=row.amount,
                    description=row.description,
                )
            else:
                item = by_pk[row.pk]
                item.rank, item.theme, item.applicant = position, row.theme, row.applicant
                item.amount, item.description = row.amount, row.description
                item.save(update_fields=["rank", "theme", "applicant", "amount", "description"])
        stored.note = note
        stored.version += 1
        update_fields = ["note", "version"]
        marked = stored.submitted_at is not None and not stored.changed_after_submission
        if stored.submitted_at is not None:
            stored.changed_after_submission = True
            update_fields.append("changed_after_submission")
        stored.save(update_fields=update_fields)
        log_action(
            actor=actor,
            action="grants.priority_list.changed",
            target=stored,
            changes=changes,
            data={"changed_after_submission": True} if marked else None,
        )
    priority_list.note, priority_list.version = stored.note, stored.version
    priority_list.changed_after_submission = stored.changed_after_submission
    return True


def priority_list_move(*, actor, priority_list: PriorityList, item_pk: int, direction: str) -> bool:
    """Move one priority a place up or down. Returns False when it is already first (up) or last (down)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."))
    check_priority_lists_open(priority_list.round)
    with transaction.atomic():
        stored = PriorityList.objects.select_for_update().select_related("round").get(pk=priority_list.pk)
        check_priority_lists_open(stored.round)
        items = _stored_items(stored)
        index = next((i for i, item in enumerate(items) if item.pk == item_pk), None)
        if index is None:
            raise ValidationError(_("The priority is not on this list."))
        other = index - 1 if direction == "up" else index + 1
        if other < 0 or other >= len(items):
            return False
        before = _item_lines(items)
        first, second = items[index], items[other]
        first_rank, second_rank = first.rank, second.rank
        PriorityItem.objects.filter(pk=first.pk).update(rank=first_rank + RANK_OFFSET)
        PriorityItem.objects.filter(pk=second.pk).update(rank=first_rank)
        PriorityItem.objects.filter(pk=first.pk).update(rank=second_rank)
        first.rank, second.rank = second_rank, first_rank
        items.sort(key=lambda item: item.rank)
        stored.version += 1
        update_fields = ["version"]
        if stored.submitted_at is not None:
            stored.changed_after_submission = True
            update_fields.append("changed_after_submission")
        stored.save(update_fields=update_fields)
        log_action(
            actor=actor,
            action="grants.priority_list.reordered",
            target=stored,
            changes={"items": {"label": ITEMS_LABEL, "old": before, "new": _item_lines(items)}},
        )
    priority_list.version = stored.version
    priority_list.changed_after_submission = stored.changed_after_submission
    return True


def priority_list_submit(*, actor, priority_list: PriorityList) -> PriorityList:
    """Submit the list: the time and the person are kept; after the round's deadline it is marked late."""
    with transaction.atomic():
        stored = PriorityList.objects.select_for_update().select_related("round").get(pk=priority_list.pk)
        check_priority_lists_open(stored.round)
        if stored.submitted_at is not None:
            raise ValidationError(
                _("The list was already submitted %(when)s. Changes you save now are marked as made after submission.")
                % {"when": timezone.localtime(stored.submitted_at).strftime("%d.%m.%Y %H:%M")}
            )
        if not PriorityItem.objects.filter(priority_list=stored).exists():
            raise ValidationError(_("Add at least one priority before you submit the list."))
        stored.submitted_at = timezone.now()
        stored.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        stored.is_late = _is_late(stored.round)
        stored.version += 1
        stored.save(update_fields=["submitted_at", "submitted_by", "is_late", "version"])
        log_action(
            actor=actor,
            action="grants.priority_list.submitted",
            target=stored,
            changes=diff(
                {"submitted_at": None, "is_late": False},
                snapshot(stored, ["submitted_at", "is_late"]),
                model=PriorityList,
            ),
            data={"deadline": stored.round.priority_deadline.isoformat() if stored.round.priority_deadline else None},
        )
    for name in ("submitted_at", "submitted_by", "is_late", "version"):
        setattr(priority_list, name, getattr(stored, name))
    return priority_list
