"""A round's allocations and payments as .xlsx: one sheet each, a header row in bold, money as numbers with
two decimals (written from Decimal, never through float), dates as dates. The rows are the ones the reader may
see on the round page: adopted allocations for everyone, proposed ones for the round's managers; payments for
the managers and for the recipient's members (their own allocations only)."""

from datetime import date
from decimal import Decimal

from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kompetansebro.core import spreadsheets
from kompetansebro.grants.models import Allocation, GrantRound, Payment

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "dd.mm.yyyy"


def _workbook(title: str, headers: list[str], rows):
    from openpyxl.styles import Font

    workbook = spreadsheets.new_workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    spreadsheets.append_row(sheet, headers, font=Font(bold=True))
    for row in rows:
        formats = {}
        for index, value in enumerate(row):
            if isinstance(value, Decimal):
                formats[index] = MONEY_FORMAT
            elif isinstance(value, date):
                formats[index] = DATE_FORMAT
        spreadsheets.append_row(sheet, row, formats=formats)
    return workbook


def _response(workbook, stem: str) -> FileResponse:
    return spreadsheets.xlsx_response(workbook, f"{stem}.xlsx")


def _stem(prefix: str, grant_round: GrantRound) -> str:
    return slugify(f"{prefix}-{grant_round.name}")[:80] or f"{prefix}-{grant_round.pk}"


def allocation_rows(allocations: list[Allocation], payments: dict):
    for allocation in allocations:
        item = allocation.priority_item
        totals = payments.get(allocation.pk)
        yield [
            allocation.pk,
            allocation.recipient.name,
            allocation.recipient.org_number or "",
            allocation.purpose,
            allocation.amount,
            str(allocation.get_status_display()),
            item.priority_list.submitter.name if item else "",
            item.rank if item else None,
            item.amount if item else None,
            totals.committed if totals is not None else None,
            totals.net_paid if totals is not None else None,
        ]


def allocations_xlsx(grant_round: GrantRound, allocations: list[Allocation], payments: dict) -> FileResponse:
    """`payments`: {allocation pk: PaymentTotals} for the allocations whose payments the reader sees."""
    headers = [
        "id",
        _("recipient"),
        _("organisation number"),
        _("for"),
        _("amount (NOK)"),
        _("status"),
        _("priority list"),
        _("priority"),
        _("amount applied for (NOK)"),
        _("planned, approved and paid (NOK)"),
        _("paid, less repaid (NOK)"),
    ]
    workbook = _workbook(_("Allocations"), headers, allocation_rows(allocations, payments))
    return _response(workbook, _stem("tildelinger", grant_round))


def payment_rows(payments: list[Payment]):
    for payment in payments:
        yield [
            payment.pk,
            payment.allocation.recipient.name,
            payment.allocation.purpose,
            payment.allocation.amount,
            str(payment.get_kind_display()),
            payment.amount,
            str(payment.get_status_display()),
            payment.due_on,
            payment.paid_on,
            payment.reference,
        ]


def payments_xlsx(grant_round: GrantRound, payments: list[Payment]) -> FileResponse:
    headers = [
        "id",
        _("recipient"),
        _("allocation for"),
        _("allocation (NOK)"),
        pgettext("category", "kind"),
        _("amount (NOK)"),
        _("status"),
        _("planned for"),
        _("paid"),
        _("reference"),
    ]
    workbook = _workbook(_("Payments"), headers, payment_rows(payments))
    return _response(workbook, _stem("utbetalinger", grant_round))
