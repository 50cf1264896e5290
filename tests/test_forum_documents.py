"""The notice and the minutes as HTML and PDF: what the public sees, what insiders see, and that a PDF is
made from local resources only."""

import pytest
from django.urls import reverse

from kompetansebro.core.pdf import local_only_fetcher
from kompetansebro.forums import documents
from kompetansebro.forums.services import decisions, minutes, notices
from tests.forum_minutes_helpers import (
    CLOSED_BACKGROUND,
    CLOSED_TITLE,
    LEGAL_BASIS,
    make_forum,
    make_meeting,
    move_to_past,
    pdf_text,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def forum(world):
    return make_forum(world)


@pytest.fixture
def meeting(forum):
    return make_meeting(forum)


@pytest.fixture
def rendered_html(monkeypatch):
    """The HTML each PDF was made from."""
    pages = []
    original = documents.render_pdf

    def capture(html):
        pages.append(html)
        return original(html)

    monkeypatch.setattr(documents, "render_pdf", capture)
    return pages


def test_public_notice_shows_open_papers_and_only_the_label_of_closed_cases(client_for, forum, meeting):
    response = client_for("anonymous").get(reverse("forums:notice", args=[forum.slug, meeting.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert meeting.open_case.label in body and "Kompetansebehov i helse og omsorg" in body
    assert "Kommunene mangler helsefagarbeidere." in body and "Forumet ber NTNU Videre" in body
    assert "2026/24503" in body and "Røros rådhus" in body
    assert meeting.closed_case.label in body and "Exempt from public access" in body and LEGAL_BASIS in body
    assert CLOSED_TITLE not in body and CLOSED_BACKGROUND not in body
    assert "has not been sent yet" in body


@pytest.mark.parametrize("persona", ["secretariat_sor", "member"])
def test_insiders_read_the_closed_papers(client_for, world, forum, meeting, persona):
    client = client_for("secretariat_sor")
    if persona == "member":
        client = client_for("anonymous")
        client.force_login(forum.member.person, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get(reverse("forums:notice", args=[forum.slug, meeting.pk])).content.decode()
    assert CLOSED_TITLE in body and CLOSED_BACKGROUND in body and "Closed case, exempt from public access" in body


def test_notice_pdf_for_the_public(client_for, forum, meeting, rendered_html):
    response = client_for("anonymous").get(reverse("forums:notice_pdf", args=[forum.slug, meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=") and ".pdf" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    text = pdf_text(pdf)
    assert meeting.open_case.label in text and "Kompetansebehov i helse og omsorg" in text
    assert meeting.closed_case.label in text and CLOSED_TITLE not in text
    [html] = rendered_html
    assert CLOSED_TITLE not in html and CLOSED_BACKGROUND not in html and LEGAL_BASIS in html


def test_notice_pdf_for_insiders_has_the_closed_case(client_for, forum, meeting):
    pdf = client_for("secretariat_sor").get(reverse("forums:notice_pdf", args=[forum.slug, meeting.pk])).content
    assert CLOSED_TITLE in pdf_text(pdf)


def test_the_notice_pdf_in_the_e_mail_is_the_public_one(
    world, meeting, rendered_html, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_send(actor=world.users["secretariat_sor"], meeting=meeting)
    assert rendered_html and all(CLOSED_BACKGROUND not in html and CLOSED_TITLE not in html for html in rendered_html)


def test_pdf_fetches_local_static_files_and_refuses_the_network():
    fetcher = local_only_fetcher()
    response = fetcher.fetch("file:///static/kompetansebro/favicon.svg")
    assert response.read().lstrip().startswith(b"<")
    for url in (
        "https://example.com/tracker.png",
        "http://127.0.0.1:8000/static/kompetansebro/favicon.svg",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "ftp://example.com/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    pdf = documents.render_pdf('<p>Bilde: <img src="https://example.com/x.png" alt=""></p>')
    assert pdf.startswith(b"%PDF")


def test_minutes_pdf(client_for, world, forum, meeting, rendered_html, django_capture_on_commit_callbacks):
    manager = world.users["secretariat_sor"]
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_send(actor=manager, meeting=meeting)
    move_to_past(meeting)
    minutes.meeting_mark_held(actor=manager, meeting=meeting)
    decisions.decision_record(actor=manager, case=meeting.open_case, as_recommended=True)
    decisions.decision_record(actor=manager, case=meeting.closed_case, as_recommended=True)
    draft = minutes.minutes_draft(actor=manager, meeting=meeting)
    url = reverse("forums:minutes_pdf", args=[forum.slug, meeting.pk])
    assert client_for("anonymous").get(url).status_code == 404  # nothing approved yet
    insider = client_for("secretariat_sor").get(url)
    assert insider.content.startswith(b"%PDF") and CLOSED_TITLE in pdf_text(insider.content)
    minutes.minutes_approve(actor=manager, minutes=draft)
    rendered_html.clear()
    public = client_for("anonymous").get(url)
    assert public.status_code == 200 and public.content.startswith(b"%PDF")
    text = pdf_text(public.content)
    assert meeting.open_case.label in text and CLOSED_TITLE not in text
    [html] = rendered_html
    assert "Saken tas til orientering" not in html and CLOSED_TITLE not in html and LEGAL_BASIS in html
    assert client_for("anonymous").get(url + "?versjon=9").status_code == 404


def test_non_public_forum_documents_are_not_found_for_outsiders(client_for, world):
    forum = make_forum(world, is_public=False)
    meeting = make_meeting(forum)
    for name in ("notice", "notice_pdf", "minutes", "meeting_ical"):
        url = reverse(f"forums:{name}", args=[forum.slug, meeting.pk])
        assert client_for("outsider").get(url).status_code == 404
        assert "logg-inn" in client_for("anonymous").get(url)["Location"]
