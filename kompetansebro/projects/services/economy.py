"""Every change to a project's budget lines, financing plan and actual costs: validated, atomic, and recorded in
the project's history with the old and new values (so the project's history page shows the whole economy).

Callers decide permissions with projects/rules.py first (projects.manage_project); these functions check that
the data is valid. Budget lines and financing sources carry no version: a change states the fingerprint of the
line it started from (selectors_economy.line_state), and a line someone else changed or removed meanwhile is
refused with LineChangedError; actual costs are corrected and deleted the same way. A closed project's economy
is kept as it was closed. Amounts, rates and dates are held to the limits in core/bounds.py."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompetansebro.audit.services import diff, log_action, neutral_text, snapshot
from kompetansebro.core import bounds
from kompetansebro.core.money import format_nok, round_nok
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.grants.models import Allocation, AllocationStatus
from kompetansebro.projects.models import (
    ActualCost,
    BudgetLine,
    CostCategory,
    FinancingKind,
    FinancingSource,
    Project,
    ProjectStatus,
)
from kompetansebro.projects.selectors_economy import line_state

BUDGET_FIELDS = ["category", "description", "amount"]
FINANCING_FIELDS = ["kind", "description", "allocation", "amount", "hours", "hourly_rate"]
COST_FIELDS = ["budget_line", "incurred_on", "description", "amount"]
CLOSED_MESSAGE = gettext_lazy("The project is closed: its budget, financing and costs can no longer be changed.")


class LineChangedError(ConcurrentEditError):
    """The line was changed or removed by someone else after the editor opened it; carries the stored line
    (None when it was removed). Its fingerprint is the version an edit form of the line carries."""


def _open(project: Project) -> None:
    if project.status == ProjectStatus.CLOSED:
        raise ValidationError(CLOSED_MESSAGE)


def _changes(line: str, before: dict, after: dict, model, key: str) -> dict:
    """{f"{key}.{field}": {"old": …, "new": …, "model": …, "field": …, "object": line}} for the fields that
    changed: several lines change on the project's history, so each change names its line."""
    return {
        f"{key}.{name}": {**change, "field": name, "object": line}
        for name, change in diff(before, after, model=model).items()
    }


def _locked_as_seen(model, pk: int, project: Project, fields, expected_state: str):
    """The row, locked for the change; LineChangedError when it is gone or no longer the one the editor saw."""
    stored = model.objects.select_for_update().filter(pk=pk, **_project_filter(model, project)).first()
    if stored is None or line_state(stored, fields) != expected_state:
        raise LineChangedError(stored)
    return stored


def _project_filter(model, project: Project) -> dict:
    return {"budget_line__project": project} if model is ActualCost else {"project": project}


# ---- budget lines ----------------------------------------------------------------------------------------------


def _check_budget(category: str, amount) -> dict:
    errors: dict[str, list] = {}
    if category not in CostCategory.values:
        errors["category"] = [_("Choose a category.")]
    if amount is None:
        errors["amount"] = [_("Write the amount in kroner, e.g. 15 000.")]
    elif Decimal(amount) < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    elif error := bounds.amount_error(amount):
        errors["amount"] = [error]
    return errors


def budget_line_add(*, actor, project: Project, category: str, amount: Decimal, description: str = "") -> BudgetLine:
    _open(project)
    description = (description or "").strip()
    errors = _check_budget(category, amount)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        line = BudgetLine.objects.create(
            project=project, category=category, description=description, amount=round_nok(amount)
        )
        log_action(
            actor=actor,
            action="projects.budget.line_added",
            target=project,
            changes=_changes(
                neutral_text(line), {}, snapshot(line, BUDGET_FIELDS), BudgetLine, f"budget_line.{line.pk}"
            ),
            data={"budget_line": line.pk, **snapshot(line, BUDGET_FIELDS)},
        )
    return line


def budget_line_change(*, actor, line: BudgetLine, data: dict, expected_state: str) -> BudgetLine:
    """Change category, description and/or amount. Raises LineChangedError when the stored line is not the
    one the editor started from."""
    project = line.project
    _open(project)
    with transaction.atomic():
        stored = _locked_as_seen(BudgetLine, line.pk, project, BUDGET_FIELDS, expected_state)
        before = snapshot(stored, BUDGET_FIELDS)
        line_name = neutral_text(stored)
        for name in BUDGET_FIELDS:
            if name in data:
                value = data[name]
                if name == "description":
                    value = (value or "").strip()
                if name == "amount" and value is not None:
                    value = round_nok(value)
                setattr(stored, name, value)
        errors = _check_budget(stored.category, stored.amount)
        if errors:
            raise ValidationError(errors)
        stored.save(update_fields=BUDGET_FIELDS)
        changes = _changes(line_name, before, snapshot(stored, BUDGET_FIELDS), BudgetLine, f"budget_line.{stored.pk}")
        if changes:
            log_action(
                actor=actor,
                action="projects.budget.line_changed",
                target=project,
                changes=changes,
                data={"budget_line": stored.pk},
            )
    return stored


def budget_line_remove(*, actor, line: BudgetLine, expected_state: str) -> None:
    """Remove a line. A line with actual costs is kept: the costs would lose their place in the budget."""
    project = line.project
    _open(project)
    with transaction.atomic():
        stored = _locked_as_seen(BudgetLine, line.pk, project, BUDGET_FIELDS, expected_state)
        if stored.actual_costs.exists():
            raise ValidationError(
                _("“%(line)s” has actual costs registered and cannot be removed; set its amount to 0 instead.")
                % {"line": stored}
            )
        log_action(
            actor=actor,
            action="projects.budget.line_removed",
            target=project,
            changes=_changes(
                neutral_text(stored), snapshot(stored, BUDGET_FIELDS), {}, BudgetLine, f"budget_line.{stored.pk}"
            ),
            data={"budget_line": stored.pk, **snapshot(stored, BUDGET_FIELDS)},
        )
        stored.delete()


# ---- the financing plan ----------------------------------------------------------------------------------------


def allocation_choices(project: Project):
    """Allocations a grant line may point to: those given to this project or to its owner, not withdrawn."""
    return (
        Allocation.objects.filter(Q(project=project) | Q(recipient_id=project.owner_id))
        .exclude(status=AllocationStatus.WITHDRAWN)
        .select_related("round")
        .order_by("-round__year", "pk")
    )


def _clean_financing(project: Project, values: dict, *, exclude_pk: int | None = None) -> dict:
    """Validate and normalise a financing line: grants, cash and other have an amount; in-kind lines have
    hours and (optionally) their own rate, and no amount; only grants point to an allocation."""
    kind = values.get("kind")
    description = (values.get("description") or "").strip()
    allocation = values.get("allocation")
    amount, hours, rate = values.get("amount"), values.get("hours"), values.get("hourly_rate")
    errors: dict[str, list] = {}
    if kind not in FinancingKind.values:
        errors["kind"] = [_("Choose the kind of financing.")]
    if not description:
        errors["description"] = [_("Name the source, e.g. KMD via Trøndelag fylkeskommune.")]
    if kind == FinancingKind.IN_KIND:
        if hours is None or Decimal(hours) <= 0:
            errors["hours"] = [_("Write the number of hours, e.g. 200.")]
        elif error := bounds.hours_error(hours):
            errors["hours"] = [error]
        if error := bounds.hourly_rate_error(rate):
            errors["hourly_rate"] = [error]
        amount, allocation = None, None
    elif kind:
        if amount is None or Decimal(amount) <= 0:
            errors["amount"] = [_("Write the amount in kroner, e.g. 450 000.")]
        elif error := bounds.amount_error(amount):
            errors["amount"] = [error]
        hours, rate = None, None
        if kind != FinancingKind.GRANT:
            allocation = None
    if allocation is not None and not errors:
        if not allocation_choices(project).filter(pk=allocation.pk).exists():
            errors["allocation"] = [_("Choose an allocation given to the project or its owner.")]
        else:
            others = FinancingSource.objects.filter(allocation=allocation).exclude(pk=exclude_pk).aggregate(
                total=Sum("amount")
            )["total"] or Decimal("0")
            if others + Decimal(amount) > allocation.amount:
                errors["amount"] = [
                    _("The allocation is %(allocation)s; with this line its financing lines add up to %(total)s.")
                    % {"allocation": format_nok(allocation.amount), "total": format_nok(others + Decimal(amount))}
                ]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "description": description,
        "allocation": allocation,
        "amount": round_nok(amount) if amount is not None else None,
        "hours": Decimal(hours) if hours is not None else None,
        "hourly_rate": round_nok(rate) if rate is not None else None,
    }


def financing_add(*, actor, project: Project, **values) -> FinancingSource:
    """A line of the financing plan: kind, description, amount (grants, cash, other), hours and an optional
    hourly rate (in kind), an optional allocation (grants)."""
    _open(project)
    with transaction.atomic():
        clean = _clean_financing(project, values)
        source = FinancingSource.objects.create(project=project, scheme=project.scheme, **clean)
        log_action(
            actor=actor,
            action="projects.financing.added",
            target=project,
            changes=_changes(
                source.description, {}, snapshot(source, FINANCING_FIELDS), FinancingSource, f"financing.{source.pk}"
            ),
            data={"financing": source.pk, **snapshot(source, FINANCING_FIELDS)},
        )
    return source


def financing_change(*, actor, source: FinancingSource, data: dict, expected_state: str) -> FinancingSource:
    project = source.project
    _open(project)
    with transaction.atomic():
        stored = _locked_as_seen(FinancingSource, source.pk, project, FINANCING_FIELDS, expected_state)
        before = snapshot(stored, FINANCING_FIELDS)
        values = {name: getattr(stored, name) for name in FINANCING_FIELDS}
        values.update({name: data[name] for name in FINANCING_FIELDS if name in data})
        clean = _clean_financing(project, values, exclude_pk=stored.pk)
        for name, value in clean.items():
            setattr(stored, name, value)
        stored.save(update_fields=FINANCING_FIELDS)
        changes = _changes(
            before["description"], before, snapshot(stored, FINANCING_FIELDS), FinancingSource, f"financing.{stored.pk}"
        )
        if changes:
            log_action(
                actor=actor,
                action="projects.financing.changed",
                target=project,
                changes=changes,
                data={"financing": stored.pk},
            )
    return stored


def financing_remove(*, actor, source: FinancingSource, expected_state: str) -> None:
    project = source.project
    _open(project)
    with transaction.atomic():
        stored = _locked_as_seen(FinancingSource, source.pk, project, FINANCING_FIELDS, expected_state)
        log_action(
            actor=actor,
            action="projects.financing.removed",
            target=project,
            changes=_changes(
                stored.description, snapshot(stored, FINANCING_FIELDS), {}, FinancingSource, f"financing.{stored.pk}"
            ),
            data={"financing": stored.pk, **snapshot(stored, FINANCING_FIELDS)},
        )
        stored.delete()


# ---- actual costs ----------------------------------------------------------------------------------------------


def _clean_cost(project: Project, values: dict) -> dict:
    """A cost's date within the project's period, a description, and an amount other than 0 within the
    limits (a negative amount is a credit note); the budget line must be the project's."""
    description = (values.get("description") or "").strip()
    incurred_on, amount, line = values.get("incurred_on"), values.get("amount"), values.get("budget_line")
    errors: dict[str, list] = {}
    if line is None or line.project_id != project.pk:
        errors["budget_line"] = [_("Choose the budget line the cost belongs to.")]
    if incurred_on is None:
        errors["incurred_on"] = [_("Write the date of the cost.")]
    elif error := bounds.date_in_period_error(incurred_on, starts_on=project.starts_on, ends_on=project.ends_on):
        errors["incurred_on"] = [error]
    if not description:
        errors["description"] = [_("Describe the cost, e.g. the invoice it comes from.")]
    if amount is None or Decimal(amount) == 0:
        errors["amount"] = [_("Write the amount in kroner; a correction is negative.")]
    elif error := bounds.amount_error(amount):
        errors["amount"] = [error]
    if errors:
        raise ValidationError(errors)
    return {"budget_line": line, "incurred_on": incurred_on, "description": description, "amount": round_nok(amount)}


def cost_add(
    *,
    actor,
    budget_line: BudgetLine,
    incurred_on: datetime.date,
    description: str,
    amount: Decimal,
) -> ActualCost:
    """An actual cost on a budget line. A negative amount corrects an earlier cost (a credit note); a wrong
    cost can also be changed or deleted, and the project's history keeps what it was."""
    project = budget_line.project
    _open(project)
    clean = _clean_cost(
        project, {"budget_line": budget_line, "incurred_on": incurred_on, "description": description, "amount": amount}
    )
    with transaction.atomic():
        cost = ActualCost.objects.create(**clean)
        log_action(
            actor=actor,
            action="projects.cost.added",
            target=project,
            changes=_changes(
                neutral_text(budget_line),
                {},
                snapshot(cost, ["incurred_on", "description", "amount"]),
                ActualCost,
                f"cost.{cost.pk}",
            ),
            data={"cost": cost.pk, **snapshot(cost, COST_FIELDS)},
        )
    return cost


def cost_change(*, actor, cost: ActualCost, data: dict, expected_state: str) -> ActualCost:
    """Correct a cost's budget line, date, description or amount. Raises LineChangedError when the stored cost
    is not the one the editor started from."""
    project = cost.budget_line.project
    _open(project)
    with transaction.atomic():
        stored = _locked_as_seen(ActualCost, cost.pk, project, COST_FIELDS, expected_state)
        before = snapshot(stored, COST_FIELDS)
        line_name = neutral_text(stored.budget_line)
        values = {name: getattr(stored, name) for name in COST_FIELDS}
        values.update({name: data[name] for name in COST_FIELDS if name in data})
        for name, value in _clean_cost(project, values).items():
            setattr(stored, name, value)
        stored.save(update_fields=COST_FIELDS)
        changes = _changes(line_name, before, snapshot(stored, COST_FIELDS), ActualCost, f"cost.{stored.pk}")
        if changes:
            log_action(
                actor=actor,
                action="projects.cost.changed",
                target=project,
                changes=changes,
                data={"cost": stored.pk},
            )
    return stored


def cost_remove(*, actor, cost: ActualCost, expected_state: str) -> None:
    """Delete a cost registered by mistake; the project's history keeps what it was."""
    project = cost.budget_line.project
    _open(project)
    with transaction.atomic():
        stored = _locked_as_seen(ActualCost, cost.pk, project, COST_FIELDS, expected_state)
        log_action(
            actor=actor,
            action="projects.cost.removed",
            target=project,
            changes=_changes(
                neutral_text(stored.budget_line),
                snapshot(stored, ["incurred_on", "description", "amount"]),
                {},
                ActualCost,
                f"cost.{stored.pk}",
            ),
            data={"cost": stored.pk, **snapshot(stored, COST_FIELDS)},
        )
        stored.delete()
