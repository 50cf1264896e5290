"""The project's budget as .xlsx: three sheets — the budget lines with what has been spent and what remains,
the financing plan with the co-financing check, and the actual costs. Amounts are numbers (Decimal, never
float) with a NOK number format, dates are dates, so the file adds up in Excel as it does on the page."""

from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kompetansebro.core import spreadsheets
from kompetansebro.projects.models import FinancingKind, Project
from kompetansebro.projects.selectors_economy import project_costs, project_economy
from kompetansebro.projects.services.cofinancing import percentage

NOK_FORMAT = '"kr" #,##0.00'
PERCENT_FORMAT = '0.0" %"'
HOURS_FORMAT = "#,##0.0"
DATE_FORMAT = "dd.mm.yyyy"


def _sheet(workbook, title: str, headers: list[str], widths: list[int]):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title[:31])
    spreadsheets.append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _formats(sheet, row: int, formats: dict[int, str]) -> None:
    for column, number_format in formats.items():
        sheet.cell(row=row, column=column).number_format = number_format


def _total_row(sheet, label: str, values: dict[int, Decimal], formats: dict[int, str]) -> None:
    from openpyxl.styles import Font

    width = max(values) if values else 1
    row = [label] + [None] * (width - 1)
    for column, value in values.items():
        row[column - 1] = value
    spreadsheets.append_row(sheet, row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _formats(sheet, sheet.max_row, formats)


def budget_workbook(project: Project):
    economy = project_economy(project)
    check = economy.check
    workbook = spreadsheets.new_workbook()
    workbook.remove(workbook.active)

    budget = _sheet(
        workbook,
        _("Budget"),
        [_("Category"), _("Description"), _("Budget"), _("Actual costs"), _("Remaining"), _("Used (%)")],
        [36, 40, 16, 16, 16, 10],
    )
    money = {3: NOK_FORMAT, 4: NOK_FORMAT, 5: NOK_FORMAT}
    for row in economy.lines:
        spreadsheets.append_row(
            budget,
            [
                capfirst(row.get_category_display()),
                row.description,
                row.amount,
                row.spent,
                row.amount - row.spent,
                percentage(row.spent, row.amount),
            ],
        )
        _formats(budget, budget.max_row, {**money, 6: PERCENT_FORMAT})
    chart = economy.chart
    _total_row(budget, _("Total"), {3: chart.total_budget, 4: chart.total_spent, 5: chart.total_remaining}, money)

    financing = _sheet(
        workbook,
        _("Financing"),
        [
            pgettext("category", "Kind"),
            _("Source"),
            _("Allocation"),
            _("Amount"),
            _("Hours"),
            _("Hourly rate"),
            _("Counted"),
        ],
        [30, 40, 36, 16, 10, 14, 16],
    )
    in_kind = {line.source.pk: line for line in check.in_kind_lines}
    for source in economy.sources:
        if source.kind == FinancingKind.IN_KIND:
            line = in_kind[source.pk]
            counted = line.value if check.in_kind_counts else Decimal("0")
            values = [None, line.hours, line.rate, counted]
        else:
            values = [source.amount, None, None, source.amount]
        spreadsheets.append_row(
            financing,
            [
                capfirst(source.get_kind_display()),
                source.description,
                str(source.allocation) if source.allocation_id else None,
                *values,
            ],
        )
        _formats(financing, financing.max_row, {4: NOK_FORMAT, 5: HOURS_FORMAT, 6: NOK_FORMAT, 7: NOK_FORMAT})
    _total_row(financing, _("Total financing"), {7: check.total_financing}, {7: NOK_FORMAT})
    spreadsheets.append_row(financing, [])
    summary = [
        (_("Total costs"), check.total_costs, NOK_FORMAT),
        (_("Grants"), check.grants, NOK_FORMAT),
        (_("Own contribution"), check.own_contribution, NOK_FORMAT),
        (_("Own share (%)"), check.own_share, PERCENT_FORMAT),
        (_("Grant share (%)"), check.grant_share, PERCENT_FORMAT),
    ]
    if check.min_own_share is not None:
        summary.append((_("Own share the scheme requires (%)"), check.min_own_share, PERCENT_FORMAT))
    for label, value, number_format in summary:
        spreadsheets.append_row(financing, [label, None, None, None, None, None, value])
        _formats(financing, financing.max_row, {7: number_format})
    for finding in check.findings:
        spreadsheets.append_row(financing, [finding.message])

    costs = _sheet(
        workbook, _("Actual costs"), [_("Date"), _("Budget line"), _("Description"), _("Amount")], [12, 36, 50, 16]
    )
    total = Decimal("0")
    for cost in project_costs(project).order_by("incurred_on", "pk").iterator():
        spreadsheets.append_row(costs, [cost.incurred_on, str(cost.budget_line), cost.description, cost.amount])
        _formats(costs, costs.max_row, {1: DATE_FORMAT, 4: NOK_FORMAT})
        total += cost.amount
    _total_row(costs, _("Total"), {4: total}, {4: NOK_FORMAT})
    return workbook


def budget_filename(project: Project) -> str:
    return f"budsjett-{project.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"


def budget_xlsx_response(project: Project) -> FileResponse:
    return spreadsheets.xlsx_response(budget_workbook(project), budget_filename(project))
