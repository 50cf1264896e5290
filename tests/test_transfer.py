"""Import with preview and all-or-nothing commit, exports equal to the filtered lists, JSON Lines."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kompetansebro.competences.models import CompetenceField
from kompetansebro.geography.models import Municipality
from kompetansebro.needs.models import CompetenceNeed, Visibility
from kompetansebro.needs.selectors import need_search
from kompetansebro.needs.services import need_register
from kompetansebro.offerings.models import Offering
from kompetansebro.offerings.selectors import offering_search
from kompetansebro.organisations.selectors import organisation_search
from kompetansebro.transfer import jsonl, readers
from kompetansebro.transfer.exports import read_back
from kompetansebro.transfer.models import ImportBatch

FIXTURES = Path(__file__).parent / "fixtures"


def xlsx_upload(rows, name="behov.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


NEED_HEADER = [
    "ekstern_id",
    "Tittel",
    "Beskrivelse",
    "Fagområde",
    "Stikkord",
    "Nivå",
    "Antall personer",
    "Kommune",
    "Nett",
    "I bedrift",
    "Ønsket oppstart",
    "Synlighet",
]


def need_rows(level_of_second="kurs"):
    return [
        NEED_HEADER,
        [
            "H-1",
            "Velferdsteknologi",
            "Tre ansatte må lære nye verktøy.",
            "Helse og omsorg",
            "velferdsteknologi",
            "kurs",
            3,
            "Holtålen",
            "ja",
            "x",
            date(2027, 1, 15),
            "region",
        ],
        [
            "H-2",
            "Fagbrev i helsearbeiderfaget",
            "Assistenter uten fagbrev.",
            "helse-og-omsorg",
            "",
            level_of_second,
            2,
            "5026",
            "nei",
            "",
            "22.11.2026",
            "offentlig",
        ],
    ]


def upload(client, kind, owner, file):
    return client.post(reverse("transfer:import_upload"), {"kind": kind, "owner": owner.pk, "file": file})


def preview_and_commit(client, response):
    assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    batch = preview.context["batch"]
    assert batch.errors == []
    committed = client.post(reverse("transfer:import_commit", args=[batch.pk]))
    assert committed.status_code == 302
    return ImportBatch.objects.get(pk=batch.pk)


def test_csv_in_windows_1252_with_semicolons_and_decimal_commas(world, client_for):
    client = client_for("ntnu_admin")
    file = SimpleUploadedFile("tilbud.csv", (FIXTURES / "tilbud_cp1252.csv").read_bytes())
    batch = preview_and_commit(client, upload(client, "offerings", world.ntnu, file))
    assert batch.result == {"new": 2, "update": 0, "unchanged": 0}
    first = Offering.objects.get(provider=world.ntnu, external_id="VU-1")
    assert first.credits == Decimal("7.5") and first.credit_unit == "studiepoeng"
    assert first.price == Decimal("9500.50") and first.capacity == 30
    assert first.start_date == date(2027, 1, 11) and first.application_deadline == date(2026, 12, 1)
    assert first.delivery_online and first.delivery_gatherings and not first.delivery_campus
    assert [m.number for m in first.gathering_locations.all()] == ["5025"]
    assert sorted(t.name for t in first.tags.all()) == ["digitalisering", "velferdsteknologi"]
    assert first.field.code == "helse-og-omsorg" and first.status == "open"
    second = Offering.objects.get(provider=world.ntnu, external_id="VU-2")
    assert second.continuous_admission and second.price == 0 and second.status == "planned"
    assert second.field.code == "ledelse-og-administrasjon" and second.credits == 15


def test_xlsx_needs_import_then_reimport_creates_no_duplicates_and_updates_changes(world, client_for):
    client = client_for("holtalen_admin")
    batch = preview_and_commit(client, upload(client, "needs", world.holtalen, xlsx_upload(need_rows())))
    assert batch.result == {"new": 2, "update": 0, "unchanged": 0}
    need = CompetenceNeed.objects.get(organisation=world.holtalen, external_id="H-1")
    assert need.persons == 3 and need.wants_online and need.wants_workplace and not need.campus_acceptable
    assert need.wanted_start == date(2027, 1, 15) and need.municipality.number == "5026"
    assert CompetenceNeed.objects.get(external_id="H-2").visibility == Visibility.PUBLIC_ANONYMISED

    again = preview_and_commit(client, upload(client, "needs", world.holtalen, xlsx_upload(need_rows())))
    assert again.result == {"new": 0, "update": 0, "unchanged": 2}
    changed = upload(client, "needs", world.holtalen, xlsx_upload(need_rows(level_of_second="fagbrev")))
    preview = client.get(changed["Location"])
    assert [row["status"] for row in preview.context["preview"]] == ["unchanged", "update"]
    assert "H-2" in preview.content.decode()
    third = preview_and_commit(client, changed)
    assert third.result == {"new": 0, "update": 1, "unchanged": 1}
    assert CompetenceNeed.objects.filter(organisation=world.holtalen).count() == 2
    assert CompetenceNeed.objects.get(external_id="H-2").level == "fagbrev"


def test_bad_rows_are_listed_row_by_row_and_nothing_is_saved(world, client_for):
    client = client_for("holtalen_admin")
    rows = need_rows()
    rows[1][5] = "doktorgrad"  # level
    rows[2][6] = "to"  # persons
    rows[2][7] = "Atlantis"  # municipality
    rows.append(["H-1", "Duplikat", "Samme id.", "Helse og omsorg", "", "", 1, "Holtålen", "", "", "", ""])
    response = upload(client, "needs", world.holtalen, xlsx_upload(rows))
    preview = client.get(response["Location"])
    batch = preview.context["batch"]
    assert [(error["row"], error["column"]) for error in batch.errors] == [
        (2, "Nivå"),
        (3, "Antall personer"),
        (3, "Kommune"),
        (4, "ekstern_id"),
    ]
    page = preview.content.decode()
    assert "«Nivå»" in page and "doktorgrad" in page and "Atlantis" in page
    assert preview.context["may_commit"] is False
    refused = client.post(reverse("transfer:import_commit", args=[batch.pk]))
    assert refused.status_code == 422
    assert not CompetenceNeed.objects.exists()


def test_missing_required_column_is_named(world, client_for):
    client = client_for("holtalen_admin")
    response = upload(client, "needs", world.holtalen, xlsx_upload([["Tittel"], ["Noe"]]))
    errors = client.get(response["Location"]).context["errors"]
    assert any("ekstern_id" in error for error in errors) and any("kommune" in error for error in errors)


def test_commit_is_all_or_nothing_when_a_service_refuses_a_row(world, client_for, monkeypatch):
    from kompetansebro.needs import services

    client = client_for("holtalen_admin")
    response = upload(client, "needs", world.holtalen, xlsx_upload(need_rows()))
    original = services.need_register

    def refuse_second(*, data, **kwargs):
        if data["external_id"] == "H-2":
            raise ValidationError({"title": "refused"})
        return original(data=data, **kwargs)

    monkeypatch.setattr(services, "need_register", refuse_second)
    batch_pk = client.get(response["Location"]).context["batch"].pk
    failed = client.post(reverse("transfer:import_commit", args=[batch_pk]))
    assert failed.status_code == 422
    assert any("refused" in error for error in failed.context["errors"])
    assert not CompetenceNeed.objects.exists()
    assert ImportBatch.objects.get(pk=batch_pk).committed_at is None


def test_a_batch_is_committed_once_and_only_by_its_owner(world, client_for):
    client = client_for("holtalen_admin")
    batch = preview_and_commit(client, upload(client, "needs", world.holtalen, xlsx_upload(need_rows())))
    assert client.post(reverse("transfer:import_commit", args=[batch.pk])).status_code == 422
    assert CompetenceNeed.objects.count() == 2
    other = client_for("secretariat_sor")
    assert other.get(reverse("transfer:import_preview", args=[batch.pk])).status_code == 404
    assert other.post(reverse("transfer:import_commit", args=[batch.pk])).status_code == 404


def test_upload_only_for_organisations_the_person_may_register_for(world, client_for):
    client = client_for("holtalen_admin")
    response = upload(client, "needs", world.roros, xlsx_upload(need_rows()))
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    response = upload(client, "offerings", world.ntnu, xlsx_upload(need_rows()))
    assert response.status_code == 200 and response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_disguised_upload_is_refused(world, client_for):
    client = client_for("holtalen_admin")
    fake = SimpleUploadedFile("behov.xlsx", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    response = upload(client, "needs", world.holtalen, fake)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_oversized_upload_is_refused(world, client_for, monkeypatch):
    monkeypatch.setattr(readers, "MAX_UPLOAD_BYTES", 1000)
    client = client_for("holtalen_admin")
    big = SimpleUploadedFile("behov.csv", b"ekstern_id;tittel\n" + b"a;b\n" * 500)
    response = upload(client, "needs", world.holtalen, big)
    assert "file" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


# Exports ----------------------------------------------------------------------------------------------------


def make_need(world, organisation, title, *, visibility=Visibility.REGION, level="kurs", external_id=""):
    return need_register(
        actor=None,
        organisation=organisation,
        data={
            "title": title,
            "description": f"{title} – beskrivelse",
            "field": CompetenceField.objects.get(code="helse-og-omsorg"),
            "level": level,
            "municipality": organisation.municipality,
            "visibility": visibility,
            "external_id": external_id,
            "public_title": title,  # what the anonymised export shows (issue 11 item 14)
            "tags": ["helse", title.lower()],
        },
    )


def csv_ids(response) -> list[int]:
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = read_back(content)
    return [int(row[0]) for row in rows[1:]]


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_needs_export_equals_the_filtered_list_and_is_anonymised_for_outsiders(world, client_for):
    make_need(world, world.holtalen, "Kurs A", visibility=Visibility.PUBLIC_ANONYMISED, external_id="HOL-A")
    make_need(world, world.holtalen, "Fagbrev B", level="fagbrev")
    make_need(world, world.roros, "Kurs C", visibility=Visibility.PUBLIC_ANONYMISED)
    make_need(world, world.company, "Kurs D", visibility=Visibility.ORGANISATION)
    for persona in ("anonymous", "holtalen_admin", "secretariat_sor", "platform_admin"):
        client = client_for(persona)
        user = world.users.get(persona)
        expected = [n.pk for n in need_search(user=user if user else _anonymous(), filters={"level": "kurs"})]
        assert csv_ids(client.get(reverse("transfer:export", args=["behov", "csv"]) + "?level=kurs")) == expected
        rows = xlsx_rows(client.get(reverse("transfer:export", args=["behov", "xlsx"]) + "?level=kurs"))
        assert [row[0] for row in rows[1:]] == expected
    anonymous_rows = read_back(
        b"".join(client_for("anonymous").get(reverse("transfer:export", args=["behov", "csv"])).streaming_content)
    )
    header = anonymous_rows[0]
    exported = {row[header.index("title")]: row for row in anonymous_rows[1:]}
    assert set(exported) == {"Kurs A", "Kurs C"}
    assert "Holtålen kommune" not in b"".join(
        client_for("anonymous").get(reverse("transfer:export", args=["behov", "csv"])).streaming_content
    ).decode("utf-8-sig")
    assert exported["Kurs A"][header.index("external_id")] == ""
    member_rows = read_back(
        b"".join(client_for("holtalen_admin").get(reverse("transfer:export", args=["behov", "csv"])).streaming_content)
    )
    member = {row[header.index("title")]: row for row in member_rows[1:]}
    assert member["Kurs A"][header.index("organisation")] == "Holtålen kommune"
    assert member["Kurs A"][header.index("external_id")] == "HOL-A"
    assert member["Kurs C"][header.index("organisation")] != "Røros kommune"


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_offerings_export_equals_the_catalogue_with_money_and_dates(world, client_for):
    client = client_for("ntnu_admin")
    file = SimpleUploadedFile("tilbud.csv", (FIXTURES / "tilbud_cp1252.csv").read_bytes())
    preview_and_commit(client, upload(client, "offerings", world.ntnu, file))
    for persona in ("anonymous", "ntnu_admin"):
        user = world.users.get(persona) or _anonymous()
        expected = [o.pk for o in offering_search(user=user, filters={})]
        response = client_for(persona).get(reverse("transfer:export", args=["tilbud", "csv"]))
        assert csv_ids(response) == expected
    rows = xlsx_rows(client.get(reverse("transfer:export", args=["tilbud", "xlsx"]) + "?q=velferdsteknologi"))
    header = rows[0]
    assert len(rows) == 2
    assert rows[1][header.index("price")] == 9500.5
    assert rows[1][header.index("start_date")].date() == date(2027, 1, 11)
    csv_rows = read_back(
        b"".join(
            client.get(reverse("transfer:export", args=["tilbud", "csv"]) + "?q=velferdsteknologi").streaming_content
        )
    )
    assert csv_rows[1][header.index("price")] == "9500,50"
    assert csv_rows[1][header.index("credits")] == "7,5"
    assert csv_rows[1][header.index("start_date")] == "11.01.2027"


def test_exported_offerings_import_again_unchanged(world, client_for):
    client = client_for("ntnu_admin")
    file = SimpleUploadedFile("tilbud.csv", (FIXTURES / "tilbud_cp1252.csv").read_bytes())
    preview_and_commit(client, upload(client, "offerings", world.ntnu, file))
    content = b"".join(client.get(reverse("transfer:export", args=["tilbud", "csv"])).streaming_content)
    batch = preview_and_commit(client, upload(client, "offerings", world.ntnu, SimpleUploadedFile("t.csv", content)))
    assert batch.result == {"new": 0, "update": 0, "unchanged": 2}


def test_organisations_export_equals_the_filtered_list(world, client_for):
    expected = [o.pk for o in organisation_search(query="kommune")]
    assert (
        csv_ids(client_for("anonymous").get(reverse("transfer:export", args=["organisasjoner", "csv"]) + "?q=kommune"))
        == expected
    )
    assert len(expected) >= 3


def test_unknown_export_is_not_found(client_for):
    assert client_for("anonymous").get(reverse("transfer:export", args=["personer", "csv"])).status_code == 404
    assert client_for("anonymous").get(reverse("transfer:export", args=["behov", "pdf"])).status_code == 404


def test_needs_export_makes_no_query_per_row(world, client_for, django_assert_max_num_queries):
    for number in range(30):
        make_need(world, world.holtalen, f"Behov {number}")
    client = client_for("secretariat_sor")
    url = reverse("transfer:export", args=["behov", "csv"])
    with django_assert_max_num_queries(12):
        assert len(csv_ids(client.get(url))) == 30


def test_export_links_keep_the_filters_without_the_page(rf):
    from django.template import Context, Template

    request = rf.get("/behov/?level=kurs&page=3")
    html = Template('{% include "transfer/_export_links.html" with kind="needs" %}').render(
        Context({"request": request})
    )
    assert "/import-eksport/eksport/behov.xlsx?level=kurs" in html
    assert "/import-eksport/eksport/behov.csv?level=kurs" in html and "page" not in html


# JSON Lines ---------------------------------------------------------------------------------------------------


def test_jsonl_reader_names_bad_lines():
    lines = ['{"id": "o1"}\n', "not json\n"]
    with pytest.raises(jsonl.JsonlError) as failure:
        jsonl.read_jsonl(lines, kind="offerings", name="x.jsonl")
    assert any(message.startswith("x.jsonl, line 1: missing key 'title'") for message in failure.value.messages)
    assert any(message.startswith("x.jsonl, line 2: not valid JSON") for message in failure.value.messages)


def test_jsonl_round_trip_on_a_small_sample(reference_data):
    with (FIXTURES / "offerings_sample.jsonl").open(encoding="utf-8") as handle:
        offerings = jsonl.read_jsonl(handle, kind="offerings", name="offerings_sample.jsonl")
    with (FIXTURES / "needs_sample.jsonl").open(encoding="utf-8") as handle:
        needs = jsonl.read_jsonl(handle, kind="needs", name="needs_sample.jsonl")
    result = jsonl.import_jsonl(offerings=offerings, needs=needs)
    assert result["offerings"]["new"] == 3 and result["needs"]["new"] == 2
    out = io.StringIO()
    assert jsonl.export_offerings(out) == 3
    exported = {record["id"]: record for record in map(json.loads, out.getvalue().splitlines())}
    for record in offerings:
        original = {key: record[key] for key in jsonl.OFFERING_KEYS}
        original["tags"] = sorted(original["tags"])  # tags are a set, written in alphabetical order
        assert exported[record["id"]] == original
    out = io.StringIO()
    assert jsonl.export_needs(out) == 2
    exported_needs = [json.loads(line) for line in out.getvalue().splitlines()]
    for record, original in zip(exported_needs, needs, strict=True):
        assert record["organisation"] == ""  # anonymised
        for key in (
            "municipality",
            "description",
            "persons",
            "level_wish",
            "delivery_wish",
            "combined_work_education",
            "desired_start",
            "organisation_type",
        ):
            assert record[key] == original[key], key
    again = jsonl.import_jsonl(offerings=offerings, needs=needs)
    assert again["offerings"] == {"new": 0, "update": 0, "unchanged": 3}
    assert again["needs"] == {"new": 0, "update": 0, "unchanged": 2}
    assert Municipality.objects.filter(number="5025").exists()
