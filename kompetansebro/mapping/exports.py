"""The workbook of one round for the forum's case papers: the needs, and who answered."""

from django.http import FileResponse
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from kompetansebro.core import spreadsheets
from kompetansebro.mapping.selectors import delivery_wishes

DATE_FORMAT = "dd.mm.yyyy"


def round_workbook(mapping_round, needs, invitations):
    from openpyxl.styles import Font

    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = _("Needs")[:31]
    spreadsheets.append_row(
        sheet,
        [
            _("Organisation"),
            _("Title"),
            _("Field of competence"),
            _("Wanted level"),
            _("Number of persons"),
            _("Municipality"),
            _("Centrality class"),
            _("Delivery wishes"),
            _("Combined work and education"),
            _("Wanted start"),
            _("Urgency"),
            _("Status"),
        ],
    )
    for need in needs:
        spreadsheets.append_row(
            sheet,
            [
                need.organisation.name,
                need.title,
                need.field.name,
                capfirst(need.get_level_display()) if need.level else "",
                need.persons,
                need.municipality.name,
                need.municipality.centrality_class,
                delivery_wishes(need),
                _("Yes") if need.combined_work_education else _("No"),
                need.wanted_start,
                capfirst(need.get_urgency_display()),
                capfirst(need.get_status_display()),
            ],
        )
        if need.wanted_start:
            sheet.cell(row=sheet.max_row, column=10).number_format = DATE_FORMAT
    answers = workbook.create_sheet(_("Answers")[:31])
    spreadsheets.append_row(
        answers,
        [_("Organisation"), _("Municipality"), _("Answered"), _("Answered on"), _("Needs"), _("Note"), _("Reminders")],
    )
    for invitation in invitations:
        answered_on = invitation.answered_at.date() if invitation.answered_at else None
        spreadsheets.append_row(
            answers,
            [
                invitation.organisation.name,
                invitation.organisation.municipality.name,
                _("Yes") if invitation.answered_at else _("No"),
                answered_on,
                invitation.need_count,
                invitation.answer_note,
                invitation.reminder_count,
            ],
        )
        if answered_on:
            answers.cell(row=answers.max_row, column=4).number_format = DATE_FORMAT
    for worksheet in (sheet, answers):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
    return workbook


def round_xlsx_response(mapping_round, needs, invitations) -> FileResponse:
    stem = slugify(f"kartlegging-{mapping_round.pk}-{mapping_round.title}")[:80] or f"kartlegging-{mapping_round.pk}"
    return spreadsheets.xlsx_response(round_workbook(mapping_round, needs, invitations), f"{stem}.xlsx")
