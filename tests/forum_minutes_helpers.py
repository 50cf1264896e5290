"""Shared set-up for the notice, decision, minutes, documents and calendar tests: a forum of Trøndelag Sør
managed by the region's secretariat, with members, a deputy and a meeting with an open and a closed case."""

import datetime
import re
import zlib

from django.utils import timezone

from kompetansebro.forums.models import Meeting, MemberRole
from tests.factories import UserFactory
from tests.forum_factories import AgendaCaseFactory, ForumFactory, ForumMembershipFactory, MeetingFactory

CLOSED_TITLE = "Personalsak ved Holtålen helsetun"
CLOSED_BACKGROUND = "Opplysninger om en navngitt ansatt."
LEGAL_BASIS = "Offentleglova § 13, jf. forvaltningsloven § 13"


def make_forum(world, *, is_public=True, **kwargs):
    forum = ForumFactory(owner=world.council, region=world.region, is_public=is_public, **kwargs)
    forum.chair = ForumMembershipFactory(
        forum=forum, person=UserFactory(full_name="Kari Leder", email="kari@example.no"), role=MemberRole.CHAIR
    )
    forum.member = ForumMembershipFactory(
        forum=forum,
        person=UserFactory(full_name="Per Medlem", email="per@example.no"),
        organisation=world.holtalen,
    )
    forum.deputy = ForumMembershipFactory(
        forum=forum, person=UserFactory(full_name="Vara Varasen", email="vara@example.no"), role=MemberRole.DEPUTY
    )
    return forum


def make_meeting(forum, *, closed=True, **kwargs):
    meeting = MeetingFactory(forum=forum, **kwargs)
    meeting.open_case = AgendaCaseFactory(
        meeting=meeting,
        position=1,
        title="Kompetansebehov i helse og omsorg",
        archive_number="2026/24503",
        background="Kommunene mangler helsefagarbeidere.",
        assessment="Et desentralisert løp er best.",
        recommendation="Forumet ber NTNU Videre utvikle et desentralisert tilbud.",
    )
    if closed:
        meeting.closed_case = AgendaCaseFactory(
            meeting=meeting,
            position=2,
            title=CLOSED_TITLE,
            background=CLOSED_BACKGROUND,
            recommendation="Saken tas til orientering.",
            is_closed=True,
            legal_basis=LEGAL_BASIS,
        )
    return meeting


def move_to_past(meeting, *, days=1):
    """Time travel: the meeting started `days` ago (as if the calendar had moved on)."""
    starts = timezone.now() - datetime.timedelta(days=days)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    meeting.refresh_from_db()
    return meeting


def pdf_text(pdf: bytes) -> str:
    """The text strings in a PDF (titles and bookmarks: WeasyPrint makes one per heading), from compressed
    streams too. Enough to check which headings a document has without a PDF library."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    blob = b"\n".join(chunks)
    texts = [m.group(1).decode("latin-1") for m in re.finditer(rb"\(((?:[^()\\]|\\.)*)\)", blob)]
    for match in re.finditer(rb"<feff([0-9a-fA-F]*)>", blob):
        texts.append(bytes.fromhex(match.group(1).decode()).decode("utf-16-be", "replace"))
    return "\n".join(texts)
