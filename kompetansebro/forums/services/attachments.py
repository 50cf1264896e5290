"""Case papers: PDF, DOCX, XLSX and ODT only, recognised by their content (not only their name), under a
size limit, stored under a random name with their SHA-256, and served only through the download view.

The type is read from the bytes: a PDF starts with %PDF-; DOCX and XLSX are ZIP files holding
word/document.xml or xl/workbook.xml; an ODT text is a ZIP whose `mimetype` member says
application/vnd.oasis.opendocument.text. The file name's extension must name the same type, so a `.pdf`
that is really HTML (or a renamed spreadsheet) is refused."""

import hashlib
import pathlib
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kompetansebro.audit.services import log_action
from kompetansebro.forums.models import AgendaCase, CaseAttachment

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_LABEL = gettext_noop("attachment")


@dataclass(frozen=True)
class FileKind:
    name: str
    extension: str
    content_type: str


PDF = FileKind("PDF", "pdf", "application/pdf")
DOCX = FileKind("DOCX", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileKind("ODT", "odt", "application/vnd.oasis.opendocument.text")
KINDS = {kind.extension: kind for kind in (PDF, DOCX, XLSX, ODT)}


def max_bytes() -> int:
    return int(getattr(settings, "FORUM_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def detect_kind(uploaded) -> FileKind | None:
    """The allowed type the content is, or None. Reads the head of the file and, for ZIP files, only the
    member list and the small `mimetype` member (never extracts the rest)."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read("mimetype").strip() == ODT.content_type.encode():
                    return ODT
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
            if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
                return XLSX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError):
        return None
    finally:
        uploaded.seek(0)
    return None


def check_upload(uploaded) -> FileKind:
    """Refuse empty, oversized, unknown or disguised files with a message for the person uploading."""
    if uploaded is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    if uploaded.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    limit = max_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s. Files can be at most %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            }
        )
    extension = pathlib.PurePath(uploaded.name or "").suffix.lower().lstrip(".")
    named = KINDS.get(extension)
    if named is None:
        raise ValidationError({"file": _("Only PDF, Word (DOCX), Excel (XLSX) and OpenDocument text (ODT) files.")})
    actual = detect_kind(uploaded)
    if actual is None:
        raise ValidationError(
            {
                "file": _(
                    "The file is called .%(extension)s, but its content is not of the type %(kind)s. "
                    "Only real PDF, DOCX, XLSX and ODT files can be uploaded."
                )
                % {"extension": extension, "kind": named.name}
            }
        )
    if actual != named:
        raise ValidationError(
            {
                "file": _(
                    "The file is called .%(extension)s, but its content is of the type %(kind)s. Correct the name."
                )
                % {"extension": extension, "kind": actual.name}
            }
        )
    return actual


def _safe_original_name(name: str, kind: FileKind) -> str:
    """The name shown and offered on download: the base name only, no path or control characters."""
    base = pathlib.PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"/\\;').strip() or f"vedlegg.{kind.extension}"
    return base[:255]


def attachment_add(*, actor, case: AgendaCase, uploaded, title: str = "") -> CaseAttachment:
    kind = check_upload(uploaded)
    original_name = _safe_original_name(uploaded.name, kind)
    title = (title or "").strip() or pathlib.PurePath(original_name).stem
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    uploaded.name = f"{uuid.uuid4().hex}.{kind.extension}"
    with transaction.atomic():
        attachment = CaseAttachment(
            case=case,
            title=title[:200],
            original_name=original_name,
            content_type=kind.content_type,
            size=uploaded.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        attachment.file.save(uploaded.name, uploaded, save=False)
        stored_name = attachment.file.name
        try:
            attachment.save()
            log_action(
                actor=actor,
                action="forums.attachment.added",
                target=case,
                data={
                    "title": attachment.title,
                    "file": original_name,
                    "size": attachment.size,
                    "sha256": digest.hexdigest(),
                },
                changes={"attachment": {"old": None, "new": attachment.title, "label": ATTACHMENT_LABEL}},
            )
        except Exception:
            attachment.file.storage.delete(stored_name)
            raise
    return attachment


def attachment_delete(*, actor, attachment: CaseAttachment) -> None:
    """Remove the attachment; the file is deleted from storage once the removal is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    case = attachment.case
    with transaction.atomic():
        log_action(
            actor=actor,
            action="forums.attachment.deleted",
            target=case,
            changes={"attachment": {"old": attachment.title, "new": None, "label": ATTACHMENT_LABEL}},
            data={
                "file": attachment.original_name,
                "sha256": attachment.sha256,
                "deleted_at": timezone.now().isoformat(),
            },
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
