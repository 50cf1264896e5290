"""Case attachments: type by content, extension agreeing, size limit, random storage name, download only
through the view with safe headers, closed cases for insiders only."""

import hashlib
import io
import pathlib
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.forums.models import CaseAttachment
from kompetansebro.forums.services import attachments as services
from tests.forum_factories import AgendaCaseFactory, MeetingFactory
from tests.test_forums import forum_in

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT_BYTES = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
HTML_BYTES = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Saksframlegg.pdf", PDF_BYTES, "application/pdf"),
        ("Avtale.docx", DOCX_BYTES, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Budsjett.XLSX", XLSX_BYTES, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Notat.odt", ODT_BYTES, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_types_are_stored_under_a_random_name(world, name, content, content_type, settings):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)))
    attachment = services.attachment_add(
        actor=world.users["secretariat_sor"], case=case, uploaded=upload(name, content)
    )
    assert attachment.content_type == content_type
    assert attachment.original_name == name and attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    stored = pathlib.PurePath(attachment.file.name)
    assert stored.name != name and pathlib.PurePath(name).stem not in stored.name
    assert stored.suffix == pathlib.PurePath(name).suffix.lower() and len(stored.stem) == 32
    assert (pathlib.Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes() == content
    assert AuditEntry.objects.filter(action="forums.attachment.added", object_id=str(case.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Saksframlegg.pdf", HTML_BYTES, "The file is called .pdf, but its content is not of the type PDF."),
        ("Avtale.pdf", DOCX_BYTES, "The file is called .pdf, but its content is of the type DOCX. Correct the name."),
        ("Avtale.docx", XLSX_BYTES, "The file is called .docx, but its content is of the type XLSX. Correct the name."),
        (
            "Notat.odt",
            zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "not of the type ODT",
        ),
        ("Tom.docx", zip_bytes({"annet.txt": b"x"}), "not of the type DOCX"),
        ("skript.html", HTML_BYTES, "Only PDF, Word (DOCX), Excel (XLSX) and OpenDocument text (ODT) files."),
        ("uten-endelse", PDF_BYTES, "Only PDF, Word (DOCX), Excel (XLSX) and OpenDocument text (ODT) files."),
        ("Ødelagt.docx", b"PK\x03\x04not really a zip", "not of the type DOCX"),
        ("Tom.pdf", b"", "The file is empty."),
    ],
)
def test_disguised_unknown_and_empty_files_are_refused(world, english, name, content, message):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)))
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=None, case=case, uploaded=upload(name, content))
    assert message in error.value.message_dict["file"][0]
    assert not CaseAttachment.objects.exists()


def test_size_limit_from_the_setting(world, english, settings):
    settings.FORUM_ATTACHMENT_MAX_BYTES = 1000
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)))
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=None, case=case, uploaded=upload("Stor.pdf", PDF_BYTES + b"0" * 1000))
    assert "Files can be at most 1000" in error.value.message_dict["file"][0]
    assert services.max_bytes() == 1000
    del settings.FORUM_ATTACHMENT_MAX_BYTES
    assert services.max_bytes() == 20 * 1024 * 1024


def test_upload_page_shows_the_refusal_beside_the_field(world, client_for, english):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)))
    client = client_for("secretariat_sor")
    url = reverse("forums:attachment_add", args=[case.forum.slug, case.pk])
    response = client.post(url, {"title": "Saksframlegg", "file": upload("Saksframlegg.pdf", HTML_BYTES)})
    assert response.status_code == 200
    assert "its content is not of the type PDF" in response.context["form"].errors["file"][0]
    response = client.post(url, {"title": "Saksframlegg", "file": upload("Saksframlegg.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert CaseAttachment.objects.get().title == "Saksframlegg"


def test_download_headers(world, client_for):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)))
    attachment = services.attachment_add(actor=None, case=case, uploaded=upload("Møtebok «2020».pdf", PDF_BYTES))
    response = client_for("anonymous").get(reverse("forums:attachment", args=[case.forum.slug, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''M%C3%B8tebok%20%C2%AB2020%C2%BB.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    media = client_for("anonymous").get("/media/" + attachment.file.name)
    assert media.status_code == 404


def test_closed_case_attachments_only_for_insiders(world, client_for):
    case = AgendaCaseFactory(
        meeting=MeetingFactory(forum=forum_in(world)), is_closed=True, legal_basis="Offl. § 13, jf. fvl. § 13"
    )
    attachment = services.attachment_add(actor=None, case=case, uploaded=upload("Lukket.pdf", PDF_BYTES))
    url = reverse("forums:attachment", args=[case.forum.slug, attachment.pk])
    for persona in ("anonymous", "outsider", "county_observer", "ntnu_admin"):
        assert client_for(persona).get(url).status_code == 404
    for persona in ("holtalen_contact", "secretariat_sor", "platform_admin"):
        response = client_for(persona).get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_delete_removes_the_row_and_the_file_after_commit(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)))
    attachment = services.attachment_add(actor=None, case=case, uploaded=upload("Borte.pdf", PDF_BYTES))
    path = pathlib.Path(settings.MEDIA_ROOT) / attachment.file.name
    client = client_for("secretariat_sor")
    url = reverse("forums:attachment_delete", args=[case.forum.slug, attachment.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not CaseAttachment.objects.exists() and not path.exists()
    assert AuditEntry.objects.filter(action="forums.attachment.deleted", object_id=str(case.pk)).exists()
