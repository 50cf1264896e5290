"""CSV encodings (issue 11 item 3): each file is read as UTF-8 (with or without byte-order mark), UTF-16 (Excel's
"Unicode text") or Windows-1252 (only when it is not UTF-8 and reads as Norwegian), or refused with the line that
went wrong; an import never replaces a stored text with the same text garbled by a wrong decoding."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.transfer import readers
from kompetansebro.transfer.encodings import changed_only_by_encoding
from kompetansebro.transfer.readers import UploadError
from tests.factories import NeedFactory

pytestmark = pytest.mark.usefixtures("english")

TEXT = "ekstern_id;Tittel;Beskrivelse\r\nB-1;Bærekraft på Røros;Økt kompetanse – «grønn» omstilling\r\n"
ROW = {"ekstern_id": "B-1", "tittel": "Bærekraft på Røros", "beskrivelse": "Økt kompetanse – «grønn» omstilling"}


def read(content: bytes):
    return readers.read_upload(SimpleUploadedFile("behov.csv", content))


def refusal(content: bytes) -> str:
    with pytest.raises(UploadError) as caught:
        read(content)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "content",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        b"\xff\xfe" + TEXT.replace(";", "\t").encode("utf-16-le"),
        b"\xfe\xff" + TEXT.replace(";", "\t").encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 with byte-order mark", "utf-16 le (Excel's Unicode text)", "utf-16 be", "windows-1252"],
)
def test_each_encoding_reads_to_the_same_norwegian_text(content):
    table = read(content)
    assert table.headers == ["ekstern_id", "tittel", "beskrivelse"]
    assert table.rows == [(2, ROW)]


def test_a_utf8_file_with_one_stray_byte_is_refused_with_its_line_not_read_as_windows_1252():
    lines = [
        TEXT.encode("utf-8"),
        "B-2;Fagbrev på Oppdal;Helse\r\n".encode(),
        "B-3;Sm\xf8rbr\xf8d;Mat\r\n".encode("cp1252"),
    ]
    message = refusal(b"".join(lines))
    assert "line 4 is not UTF-8" in message and "CSV UTF-8" in message
    with_bom = b"\xef\xbb\xbf" + "ekstern_id;Tittel\r\nB-1;R\xf8ros\r\n".encode("cp1252")
    assert "line 2 is not UTF-8" in refusal(with_bom)


def test_bytes_that_are_not_plausible_norwegian_in_windows_1252_are_refused_with_their_line():
    assert "line 3 has characters that are not Norwegian text" in refusal(b"id;Tittel\nB-1;Kurs\nB-2;\xa4\xa6\xbf\n")
    assert "cannot be recognised (line 2)" in refusal(b"id;Tittel\nB-1;Kurs \x81\n")
    assert "Line 2 of the file is not valid UTF-16" in refusal(b"\xff\xfe" + "id\n".encode("utf-16-le") + b"\x00\xd8a")


def test_changed_only_by_encoding():
    stored = "Bærekraft på Røros"
    assert changed_only_by_encoding(stored, "BÃ¦rekraft pÃ¥ RÃ¸ros")  # UTF-8 read as Windows-1252
    assert changed_only_by_encoding(stored, "B\ufffdrekraft p\ufffd R\ufffdros")  # Windows-1252 read as UTF-8
    assert not changed_only_by_encoding(stored, "Bærekraft på Røros og Holtålen")
    assert not changed_only_by_encoding("BÃ¦rekraft", "Bærekraft")  # correcting a garbled text is allowed


def test_an_import_that_only_re_encodes_a_stored_title_does_not_overwrite_it(world, client_for):
    need = NeedFactory(organisation=world.holtalen, external_id="B-1", title="Bærekraft på Røros")
    garbled = need.title.encode("utf-8").decode("cp1252")
    content = (
        "ekstern_id;Tittel;Beskrivelse;Fagområde;Kommune\r\n"
        f"B-1;{garbled};{need.description};helse-og-omsorg;Holtålen\r\n"
    ).encode()
    client = client_for("holtalen_admin")
    response = client.post(
        reverse("transfer:import_upload"),
        {"kind": "needs", "owner": world.holtalen.pk, "file": SimpleUploadedFile("behov.csv", content)},
    )
    preview = client.get(response["Location"])
    errors = preview.context["errors"]
    assert len(errors) == 1 and "garbled by a wrong text encoding" in errors[0] and errors[0].startswith("Row 2")
    batch = preview.context["batch"]
    assert client.post(reverse("transfer:import_commit", args=[batch.pk])).status_code == 422
    assert CompetenceNeed.objects.get(pk=need.pk).title == "Bærekraft på Røros"
