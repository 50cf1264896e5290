"""Reads for the economy pages and sections: the budget lines with what has been spent on each, the financing
plan, the co-financing check and the chart of actual costs against the budget. A fixed number of queries
however many lines, sources and costs a project has."""

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from kompetansebro.projects.models import ActualCost, BudgetLine, FinancingSource, Project
from kompetansebro.projects.services.cofinancing import CofinancingCheck, cofinancing_check, percentage

ZERO = Decimal("0")
BAR_WIDTH = 300  # the longest bar in the chart, in SVG units
ROW_HEIGHT = 52


def budget_lines(project: Project, *, until=None) -> list[BudgetLine]:
    """The project's budget lines, each with `spent`: the sum of its actual costs (up to `until`). One query."""
    spent = Sum("actual_costs__amount")
    if until is not None:
        spent = Sum("actual_costs__amount", filter=Q(actual_costs__incurred_on__lte=until))
    lines = BudgetLine.objects.filter(project=project).annotate(
        spent=Coalesce(spent, Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))
    )
    return list(lines.order_by("pk"))


def financing_sources(project: Project) -> list[FinancingSource]:
    """The financing plan: grants first, then own contribution in cash and in kind, then other. One query."""
    order = {"grant": 0, "cash": 1, "in_kind": 2, "other": 3}
    sources = list(
        FinancingSource.objects.filter(project=project).select_related("allocation", "allocation__round", "scheme")
    )
    return sorted(sources, key=lambda source: (order.get(source.kind, 9), source.pk))


def region_municipalities(project: Project) -> list:
    if project.region_id is None:
        return []
    return list(project.region.municipalities.order_by("name"))


def project_check(project: Project, *, lines=None, sources=None) -> CofinancingCheck:
    """The co-financing check of the project's current budget and financing against its scheme."""
    return cofinancing_check(
        budget_lines=budget_lines(project) if lines is None else lines,
        financing=financing_sources(project) if sources is None else sources,
        scheme=project.scheme,
        municipalities=region_municipalities(project) if project.scheme_id else (),
    )


@dataclass
class ChartRow:
    label: str
    budget: Decimal
    spent: Decimal
    budget_bar: int
    spent_bar: int
    y: int

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def used_share(self) -> Decimal | None:
        return percentage(self.spent, self.budget)

    @property
    def over(self) -> bool:
        return self.spent > self.budget

    @property
    def budget_y(self) -> int:
        return self.y + 20

    @property
    def spent_y(self) -> int:
        return self.y + 36

    @property
    def budget_text_y(self) -> int:
        return self.y + 32

    @property
    def spent_text_y(self) -> int:
        return self.y + 48


@dataclass
class Chart:
    rows: list[ChartRow] = field(default_factory=list)
    total_budget: Decimal = ZERO
    total_spent: Decimal = ZERO

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.rows) + 8

    @property
    def total_remaining(self) -> Decimal:
        return self.total_budget - self.total_spent

    @property
    def used_share(self) -> Decimal | None:
        return percentage(self.total_spent, self.total_budget)


def _bar(amount: Decimal, largest: Decimal) -> int:
    if not largest or amount <= 0:
        return 0
    return int((Decimal(BAR_WIDTH) * amount / largest).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def actual_vs_budget(lines: list[BudgetLine]) -> Chart:
    """Bars of the budget and the actual costs per line (widths in whole SVG units, scaled to the largest)."""
    largest = max([line.amount for line in lines] + [line.spent for line in lines] + [ZERO])
    chart = Chart()
    for index, line in enumerate(lines):
        chart.rows.append(
            ChartRow(
                label=str(line),
                budget=line.amount,
                spent=line.spent,
                budget_bar=_bar(line.amount, largest),
                spent_bar=_bar(line.spent, largest),
                y=4 + ROW_HEIGHT * index,
            )
        )
        chart.total_budget += line.amount
        chart.total_spent += line.spent
    return chart


@dataclass
class Economy:
    project: Project
    lines: list[BudgetLine]
    sources: list[FinancingSource]
    check: CofinancingCheck
    chart: Chart


def project_economy(project: Project) -> Economy:
    """Everything the economy section shows. Three queries (four with a scheme and a region)."""
    lines = budget_lines(project)
    sources = financing_sources(project)
    return Economy(
        project=project,
        lines=lines,
        sources=sources,
        check=project_check(project, lines=lines, sources=sources),
        chart=actual_vs_budget(lines),
    )


def project_costs(project: Project):
    """The project's actual costs, newest first, with their budget line."""
    return (
        ActualCost.objects.filter(budget_line__project=project)
        .select_related("budget_line")
        .order_by("-incurred_on", "-pk")
    )


def line_state(obj, fields: list[str]) -> str:
    """A short fingerprint of a line's stored values: a change form carries it, so a save over someone
    else's change is noticed (budget lines and financing sources carry no version of their own)."""
    values = [getattr(obj, f"{name}_id") if hasattr(obj, f"{name}_id") else getattr(obj, name) for name in fields]
    text = "|".join(str(value.normalize() if isinstance(value, Decimal) else value) for value in values)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
