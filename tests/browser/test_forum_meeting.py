"""A forum's meeting end to end in a real browser, as in issue 5's "Done when"; every page checked with axe-core.

The secretariat of Trøndelag Sør creates a competence forum, gives it a chair, a member who may decide and a
deputy member, plans a meeting two weeks ahead (first with a date in the past, which is refused beside the
field) and puts on its agenda a case for decision with background, assessment and recommendation, an item for
information and a closed case with its legal basis. A case paper is attached after a disguised upload (HTML
named .pdf) is refused beside the field; the region's qualified need becomes the fixed "needs" case and is
presented. The notice goes out: each member gets one e-mail with the notice as PDF and a calendar invitation.

The meeting cannot be marked as held before it starts (the page's refusal is shown). Two weeks pass (the
meeting's time is moved into the past in the database): the secretariat marks it held, records attendance (a
deputy attends for the member), decisions (one as recommended, one amended with votes and dissent), drafts and
approves the minutes; a decision can no longer be changed, and a change to the approved minutes is a visible
version 2 with its reason, version 1 still listed.

An anonymous visitor sees the mandate, members and meetings, the open cases, the closed case only as exempt
with its legal basis (never its title), and the approved minutes; the closed case's own address is "not
found". The pages are checked at 320 CSS pixels for sideways scrolling.

Texts of this app may not be translated yet, so its own controls are found by their names and addresses.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kompetansebro.forums.models import (
    AgendaCase,
    Attendance,
    AttendanceStatus,
    CaseAttachment,
    Decision,
    Forum,
    ForumKind,
    ForumMembership,
    Meeting,
    MeetingStatus,
    MemberRole,
    Minutes,
    MinutesStatus,
)
from kompetansebro.needs.models import NeedStatus
from kompetansebro.needs.services import need_change_status
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import MembershipFactory, NeedFactory, UserFactory

pytestmark = pytest.mark.browser

SLUG = "kompetanseforum-sor"
MANDATE = "Forumet samordner behovet for kompetanse i helse og omsorg i Trøndelag Sør."
OPEN_TITLE = "Desentralisert sykepleierutdanning 2027"
INFO_TITLE = "Orientering om fagskoletilbudet"
CLOSED_TITLE = "Søknad om tilskudd fra Sagbruket AS"
LEGAL_BASIS = "Offentleglova § 13, jf. forvaltningsloven § 13"
AMENDED = "Forumet ber om en ny vurdering av antall studieplasser før saken avgjøres."
DISSENT = "Rita Røros stemte mot og ville vedta innstillingen."

# A minimal one-page PDF; the upload is recognised as PDF by its content (the %PDF- header), not by its name.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
DISGUISED = b"<!doctype html><html><body><script>alert('x')</script></body></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit(page, selector: str):
    """Click the button and wait for the page the form leads to."""
    with page.expect_navigation():
        page.locator(selector).click()


def day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def check(page, label: str):
    """axe-core on the page, and every table in it has a caption and headers with their scope."""
    tables = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map((table) => ({
            caption: table.caption ? table.caption.textContent.trim() : '',
            unscoped: table.querySelectorAll('th:not([scope])').length,
        }))"""
    )
    for table in tables:
        assert table["caption"] and not table["unscoped"], f"{label}: a table without caption or th scope: {table}"
    assert_accessible(page, label)


def assert_focus_visible(page, steps: int):
    """Tab from the start of main through `steps` controls: each shows where the focus is."""
    page.evaluate(
        "document.querySelector('main').setAttribute('tabindex', '-1'); document.querySelector('main').focus()"
    )
    seen = set()
    for _ in range(steps):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                return {
                    tag: element.tagName.toLowerCase(),
                    text: (element.textContent || element.name || '').trim().slice(0, 40),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                    shadow: style.boxShadow !== 'none',
                };
            }"""
        )
        assert info["outline"] or info["shadow"], f"no visible focus on {info}"
        seen.add(info["tag"])
    return seen


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def field_error(page, field_id: str) -> str:
    """The message beside the field: the field is marked invalid, names its message and the summary links it."""
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true", f"{field_id} is not marked invalid"
    assert f"{field_id}_error" in (field.get_attribute("aria-describedby") or "")
    assert page.locator(f".ds-error-summary a[href='#{field_id}']").count() == 1
    assert page.evaluate("document.activeElement.classList.contains('ds-error-summary')")
    return page.locator(f"#{field_id}_error").inner_text()


def add_member(page, email: str, organisation, role: str, *, may_decide: bool = True):
    page.goto(f"/fora/{SLUG}/medlemmer/ny/")
    page.fill("#id_email", email)
    page.select_option("#id_organisation", str(organisation.pk))
    page.select_option("#id_role", role)
    page.set_checked("#id_may_decide", may_decide)
    page.fill("#id_starts_on", day(-30))
    submit(page, "main form[method=post] button[type=submit]")
    assert page.url.endswith(f"/fora/{SLUG}/medlemmer/"), page.url


def add_case(page, meeting: Meeting, kind: str, **fields) -> AgendaCase:
    page.goto(f"/fora/{SLUG}/moter/{meeting.pk}/saker/ny/")
    page.check(f"input[name=kind][value={kind}]")
    for name, value in fields.items():
        if name == "is_closed":
            page.set_checked("#id_is_closed", value)
        else:
            page.fill(f"#id_{name}", value)
    submit(page, "main form button[type=submit]")
    case = AgendaCase.objects.get(meeting=meeting, title=fields["title"])
    assert page.url.endswith(f"/fora/{SLUG}/saker/{case.pk}/"), page.url
    return case


def test_secretariat_runs_a_forum_meeting_and_the_public_sees_it(open_tab, world):
    chair = world.users["holtalen_contact"]
    member = MembershipFactory(
        organisation=world.roros, user__full_name="Rita Røros", user__email="rita@roros.example.no"
    ).user
    deputy = UserFactory(full_name="Dag Vara", email="dag.vara@roros.example.no")
    need = NeedFactory(organisation=world.holtalen, title="Helsefagarbeidere i hjemmetjenesten", persons=4)
    need_change_status(actor=world.users["secretariat_sor"], need=need, to_status=NeedStatus.QUALIFIED)

    page = open_tab().page
    log_in(page, world.users["secretariat_sor"].email)

    # 1. The forum, from the list of forums.
    page.goto("/fora/")
    check(page, "forum list")
    page.locator("main a[href='/fora/ny/']").click()
    page.wait_for_url("**/fora/ny/")
    check(page, "create forum")
    page.fill("#id_name", "Kompetanseforum Trøndelag Sør")
    page.fill("#id_slug", SLUG)
    page.select_option("#id_kind", ForumKind.REGIONAL_COMPETENCE_FORUM)
    page.select_option("#id_owner", str(world.council.pk))
    page.select_option("#id_region", str(world.region.pk))
    page.fill("#id_mandate", MANDATE)
    page.fill("#id_appointed_from", day(-30))
    page.set_checked("#id_is_public", True)
    submit(page, "main form button[type=submit]")
    forum = Forum.objects.get(slug=SLUG)
    assert page.url.endswith(f"/fora/{SLUG}/")
    assert (forum.owner, forum.region, forum.is_public) == (world.council, world.region, True)
    check(page, "forum page, new")

    # Members: the chair found by the search, then a member who may decide and a deputy member.
    page.locator(f"main a[href='/fora/{SLUG}/medlemmer/']").click()
    page.wait_for_url(f"**/fora/{SLUG}/medlemmer/")
    check(page, "members, none yet")
    page.locator(f"main a[href='/fora/{SLUG}/medlemmer/ny/']").click()
    page.wait_for_url(f"**/fora/{SLUG}/medlemmer/ny/")
    page.fill("#id_q", chair.full_name[:5])
    submit(page, "main form[role=search] button[type=submit]")
    page.locator(f"main a[href*='email={chair.email.replace('@', '%40')}']").click()
    page.wait_for_url("**email=**")
    assert page.input_value("#id_email") == chair.email
    check(page, "add a member, person found")
    page.select_option("#id_organisation", str(world.holtalen.pk))
    page.select_option("#id_role", MemberRole.CHAIR)
    page.fill("#id_starts_on", day(-30))
    submit(page, "main form[method=post] button[type=submit]")
    assert page.url.endswith(f"/fora/{SLUG}/medlemmer/")
    add_member(page, member.email, world.roros, MemberRole.MEMBER)
    add_member(page, deputy.email, world.roros, MemberRole.DEPUTY, may_decide=False)
    seats = {seat.person: seat for seat in ForumMembership.objects.filter(forum=forum)}
    assert {person: seat.role for person, seat in seats.items()} == {
        chair: MemberRole.CHAIR,
        member: MemberRole.MEMBER,
        deputy: MemberRole.DEPUTY,
    }
    assert seats[member].may_decide and not seats[deputy].may_decide
    assert page.locator("section[aria-labelledby=current-heading] tbody tr").count() == 3
    check(page, "members")

    # 2. A meeting two weeks ahead; a date in the past is refused beside the field.
    page.goto(forum.get_absolute_url())
    page.locator(f"main a[href='/fora/{SLUG}/moter/ny/']").click()
    page.wait_for_url(f"**/fora/{SLUG}/moter/ny/")
    check(page, "plan a meeting")
    page.fill("#id_title", "Møte i kompetanseforumet")
    page.fill("#id_date", day(-1))
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "14:00")
    page.fill("#id_place", "Røros rådhus, møterom 1")
    submit(page, "main form button[type=submit]")
    assert field_error(page, "id_date")
    assert not Meeting.objects.exists()
    check(page, "plan a meeting, with errors")
    page.fill("#id_date", day(14))
    submit(page, "main form button[type=submit]")
    meeting = Meeting.objects.get(forum=forum)
    assert page.url.endswith(f"/fora/{SLUG}/moter/{meeting.pk}/")
    starts = timezone.localtime(meeting.starts_at)
    assert (starts.date(), starts.hour, str(starts.tzinfo)) == (
        timezone.localdate() + datetime.timedelta(days=14),
        10,
        "Europe/Oslo",
    )
    check(page, "meeting page, no cases")

    # The agenda: a case for decision, an item for information and a closed case (first without its basis).
    page.locator(f"main a[href='/fora/{SLUG}/moter/{meeting.pk}/saker/ny/']").click()
    page.wait_for_url(f"**/moter/{meeting.pk}/saker/ny/")
    check(page, "add a case")
    opened = add_case(
        page,
        meeting,
        "PS",
        title=OPEN_TITLE,
        archive_number="2026/24503",
        background="Kommunene mangler sykepleiere, særlig i hjemmetjenesten.",
        assessment="Et desentralisert tilbud gir flest studenter som blir boende i regionen.",
        recommendation="Forumet støtter søknaden om et desentralisert tilbud fra høsten 2027.",
    )
    check(page, "case page, for decision")
    information = add_case(page, meeting, "RS", title=INFO_TITLE, background="Fagskolen orienterer om høstens opptak.")
    page.goto(f"/fora/{SLUG}/moter/{meeting.pk}/saker/ny/")
    page.check("input[name=kind][value=PS]")
    page.fill("#id_title", CLOSED_TITLE)
    page.check("#id_is_closed")
    page.fill("#id_recommendation", "Søknaden innvilges.")
    submit(page, "main form button[type=submit]")
    assert field_error(page, "id_legal_basis")
    assert not AgendaCase.objects.filter(title=CLOSED_TITLE).exists()
    check(page, "add a case, with errors")
    page.fill("#id_legal_basis", LEGAL_BASIS)
    submit(page, "main form button[type=submit]")
    closed = AgendaCase.objects.get(title=CLOSED_TITLE)
    assert closed.is_closed and page.url.endswith(closed.get_absolute_url())
    assert page.locator(".ds-alert[data-color=warning]").count() == 1
    check(page, "case page, closed")
    year = f"{starts.year % 100:02d}"
    assert [opened.label, information.label, closed.label] == [f"PS 1/{year}", f"RS 1/{year}", f"PS 2/{year}"]

    # A case paper: HTML named .pdf is refused beside the field; a real PDF is attached.
    page.goto(opened.get_absolute_url())
    page.set_input_files(
        "#id_file", files=[{"name": "Innstilling.pdf", "mimeType": "application/pdf", "buffer": DISGUISED}]
    )
    submit(page, "#attachments form button[type=submit]")
    assert page.url.endswith(f"/fora/{SLUG}/saker/{opened.pk}/vedlegg/ny/")
    assert ".pdf" in field_error(page, "id_file")
    assert not CaseAttachment.objects.exists()
    check(page, "attach a file, with errors")
    page.fill("#id_title", "Søknad om studieplasser")
    page.set_input_files("#id_file", files=[{"name": "Søknad.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    submit(page, "main form button[type=submit]")
    attachment = CaseAttachment.objects.get(case=opened)
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF_BYTES))
    assert page.locator(f"#attachments a[href='/fora/{SLUG}/vedlegg/{attachment.pk}/']").count() == 1
    check(page, "case page with an attachment")

    # 3. Needs as a fixed agenda item, built from the meeting page and presented.
    page.goto(meeting.get_absolute_url())
    submit(page, f"form[action='/fora/{SLUG}/moter/{meeting.pk}/behovssak/'] button")
    needs_case = AgendaCase.objects.get(meeting=meeting, needs=need)
    assert page.url.endswith(needs_case.get_absolute_url())
    assert page.locator("section[aria-labelledby=needs-heading] tbody tr").count() == 1
    check(page, "needs case")
    submit(page, f"form[action='/fora/{SLUG}/saker/{needs_case.pk}/legg-fram-behov/'] button")
    need.refresh_from_db()
    assert need.status == NeedStatus.PRESENTED

    # 4. The notice: the HTML version, then sent; each member gets one e-mail with the PDF and the invitation.
    page.goto(meeting.get_absolute_url())
    assert page.locator("#agenda tbody tr").count() == 4
    assert page.locator(f"form[action='/fora/{SLUG}/moter/{meeting.pk}/avholdt/']").count() == 0
    check(page, "meeting page with the agenda")
    assert {"a", "button", "div"} <= assert_focus_visible(page, 14)  # links, the agenda's scroll region, buttons
    page.locator(f"main a[href='/fora/{SLUG}/moter/{meeting.pk}/innkalling/']").click()
    page.wait_for_url(f"**/moter/{meeting.pk}/innkalling/")
    assert CLOSED_TITLE in page.locator("main").inner_text()  # the secretariat sees the closed paper
    check(page, "notice, before sending")
    page.goto(meeting.get_absolute_url())
    submit(page, f"form[action='/fora/{SLUG}/moter/{meeting.pk}/innkalling/send/'] button")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTICE_SENT
    assert page.locator(".kb-messages [role=status]").count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted([chair.email, member.email, deputy.email])
    for message in mail.outbox:
        assert len(message.to) == 1
        pdfs = [part for part in message.attachments if isinstance(part, tuple) and part[2] == "application/pdf"]
        invitations = [part for part in message.attachments if not isinstance(part, tuple)]
        assert len(pdfs) == 1 and pdfs[0][1].startswith(b"%PDF-")
        assert CLOSED_TITLE.encode() not in pdfs[0][1]
        assert len(invitations) == 1 and invitations[0].get_content_type() == "text/calendar"
        assert invitations[0].get_filename().endswith(".ics")
        assert b"BEGIN:VEVENT" in invitations[0].get_payload(decode=True)
    check(page, "meeting page, notice sent")

    # 5. Not held before it starts: the page's own refusal.
    page.evaluate(
        """(action) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = action;
            form.append(document.querySelector('input[name=csrfmiddlewaretoken]').cloneNode());
            document.body.append(form);
            form.submit();
        }""",
        f"/fora/{SLUG}/moter/{meeting.pk}/avholdt/",
    )
    page.wait_for_selector(".kb-messages [role=alert]")
    assert page.url.endswith(meeting.get_absolute_url())
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTICE_SENT
    check(page, "meeting page, refused as held")

    # Two weeks pass: the meeting was yesterday.
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=yesterday, ends_at=yesterday + datetime.timedelta(hours=4))
    page.goto(meeting.get_absolute_url())
    submit(page, f"form[action='/fora/{SLUG}/moter/{meeting.pk}/avholdt/'] button")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD

    # Attendance: nothing chosen is refused; then the chair is present and the deputy attends for the member.
    page.locator(f"main a[href='/fora/{SLUG}/moter/{meeting.pk}/oppmote/']").click()
    page.wait_for_url(f"**/moter/{meeting.pk}/oppmote/")
    check(page, "attendance")
    submit(page, "main form button[type=submit]")
    assert page.locator(".ds-error-summary").count() == 1
    check(page, "attendance, with errors")
    page.check(f"input[name=status_{seats[chair].pk}][value={AttendanceStatus.PRESENT}]")
    page.check(f"input[name=status_{seats[member].pk}][value={AttendanceStatus.DEPUTY}]")
    page.select_option(f"#id_deputy_{seats[member].pk}", str(seats[deputy].pk))
    submit(page, "main form button[type=submit]")
    assert page.url.endswith(meeting.get_absolute_url())
    recorded = {row.person: (row.status, row.deputy_for) for row in Attendance.objects.filter(meeting=meeting)}
    assert recorded[chair] == (AttendanceStatus.PRESENT, None)
    assert recorded[deputy] == (AttendanceStatus.DEPUTY, member)

    # Decisions: the open case amended (first without the text, refused), with votes and dissent; the closed
    # case as recommended.
    page.goto(opened.get_absolute_url())
    page.locator(f"main a[href='/fora/{SLUG}/saker/{opened.pk}/vedtak/']").click()
    page.wait_for_url(f"**/saker/{opened.pk}/vedtak/")
    check(page, "record a decision")
    page.check("input[name=as_recommended][value=no]")
    submit(page, "main form button[type=submit]")
    assert field_error(page, "id_text")
    check(page, "record a decision, with errors")
    page.fill("#id_text", AMENDED)
    page.fill("#id_votes_for", "1")
    page.fill("#id_votes_against", "1")
    page.fill("#id_dissent", DISSENT)
    submit(page, "main form button[type=submit]")
    assert page.url.endswith(opened.get_absolute_url())
    assert AMENDED in page.locator("section[aria-labelledby=case-decision-heading]").inner_text()
    check(page, "case page with its decision")
    page.goto(f"/fora/{SLUG}/saker/{closed.pk}/vedtak/")
    page.check("input[name=as_recommended][value=yes]")
    submit(page, "main form button[type=submit]")
    decisions = {decision.case: decision for decision in Decision.objects.all()}
    assert (decisions[opened].as_recommended, decisions[opened].votes_for, decisions[opened].dissent) == (
        False,
        1,
        DISSENT,
    )
    assert decisions[closed].as_recommended and decisions[closed].text == "Søknaden innvilges."

    # The minutes: drafted, read, approved and locked.
    page.goto(meeting.get_absolute_url())
    submit(page, f"form[action='/fora/{SLUG}/moter/{meeting.pk}/protokoll/utkast/'] button")
    assert page.url.endswith(f"/moter/{meeting.pk}/protokoll/?versjon=1")
    assert AMENDED in page.locator("main article:not(.kb-case-paper)").inner_text()
    check(page, "draft minutes")
    submit(page, f"form[action='/fora/{SLUG}/moter/{meeting.pk}/protokoll/godkjenn/'] button")
    first = Minutes.objects.get(meeting=meeting)
    assert first.status == MinutesStatus.APPROVED
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    check(page, "approved minutes")

    # A decision in approved minutes is locked: the form says so, and saving is refused.
    page.goto(f"/fora/{SLUG}/saker/{opened.pk}/vedtak/")
    assert page.locator("main .ds-alert[data-color=warning]").count() == 1
    check(page, "decision form, locked")
    page.fill("#id_text", "Forumet støtter søknaden likevel.")
    submit(page, "main form button[type=submit]")
    assert page.locator(".ds-error-summary").count() == 1
    assert Decision.objects.get(case=opened).text == AMENDED
    check(page, "decision form, refused")

    # A change to the approved minutes: a new version with its reason; version 1 is still listed.
    page.goto(f"/fora/{SLUG}/moter/{meeting.pk}/protokoll/#revise")
    submit(page, "#revise form button[type=submit]")
    assert field_error(page, "id_reason")
    assert Minutes.objects.filter(meeting=meeting).count() == 1
    check(page, "minutes, revise with errors")
    page.fill("#id_reason", "Rita Røros' dissens var gjengitt feil.")
    submit(page, "#revise form button[type=submit]")
    assert page.url.endswith(f"/moter/{meeting.pk}/protokoll/?versjon=2")
    versions = page.locator("section[aria-labelledby=versions-heading] tbody tr")
    assert versions.count() == 2
    assert "2" in versions.nth(0).locator("th").inner_text() and "1" in versions.nth(1).locator("th").inner_text()
    assert "dissens var gjengitt feil" in page.locator("main").inner_text()
    assert Minutes.objects.get(meeting=meeting, number=2).status == MinutesStatus.DRAFT
    check(page, "minutes, version 2")

    # 6. The public: the forum, its meeting and agenda, and the approved minutes; never the closed case.
    public = open_tab().page
    public.goto("/fora/")
    check(public, "forum list, public")
    public.locator(f"main a[href='/fora/{SLUG}/']").click()
    public.wait_for_url(f"**/fora/{SLUG}/")
    text = public.locator("main").inner_text()
    assert MANDATE in text
    for person in (chair, member, deputy):
        assert person.full_name in text
    assert public.locator(f"main a[href='{meeting.get_absolute_url()}']").count() == 1
    check(public, "forum page, public")
    public.locator(f"main a[href='/fora/{SLUG}/medlemmer/']").click()
    public.wait_for_url(f"**/fora/{SLUG}/medlemmer/")
    assert public.locator("section[aria-labelledby=current-heading] tbody tr").count() == 3
    check(public, "members, public")

    public.goto(meeting.get_absolute_url())
    agenda = public.locator("#agenda").inner_text()
    assert OPEN_TITLE in agenda and INFO_TITLE in agenda
    assert CLOSED_TITLE not in public.content()
    assert LEGAL_BASIS in public.locator("#agenda tbody tr", has_text=closed.label).inner_text()
    assert public.locator(f"a[href='{closed.get_absolute_url()}']").count() == 0
    check(public, "meeting page, public")

    public.locator(f"main a[href='/fora/{SLUG}/moter/{meeting.pk}/innkalling/']").click()
    public.wait_for_url(f"**/moter/{meeting.pk}/innkalling/")
    assert OPEN_TITLE in public.locator("main").inner_text()
    assert CLOSED_TITLE not in public.content()
    check(public, "notice, public")

    public.goto(opened.get_absolute_url())
    assert AMENDED in public.locator("main").inner_text()
    check(public, "case page, public")

    public.goto(meeting.get_absolute_url())
    public.locator(f"main a[href='/fora/{SLUG}/moter/{meeting.pk}/protokoll/']").click()
    public.wait_for_url(f"**/moter/{meeting.pk}/protokoll/")
    minutes_text = public.locator("main article:not(.kb-case-paper)").inner_text()
    assert AMENDED in minutes_text and DISSENT in minutes_text
    assert LEGAL_BASIS in minutes_text
    assert CLOSED_TITLE not in public.content() and "Søknaden innvilges" not in public.content()
    assert public.locator("section[aria-labelledby=versions-heading] tbody tr").count() == 1  # no draft
    check(public, "approved minutes, public")

    assert public.request.get(closed.get_absolute_url()).status == 404

    # Reflow: the public pages and the secretariat's pages fit 320 CSS pixels.
    small = open_tab(viewport={"width": 320, "height": 640}).page
    for path in (
        forum.get_absolute_url(),
        f"/fora/{SLUG}/medlemmer/",
        meeting.get_absolute_url(),
        opened.get_absolute_url(),
        f"/fora/{SLUG}/moter/{meeting.pk}/innkalling/",
        f"/fora/{SLUG}/moter/{meeting.pk}/protokoll/",
    ):
        small.goto(path)
        assert overflow(small) <= 0, f"{path} is {overflow(small)}px too wide at 320px"
        check(small, f"{path} at 320px, public")
    small_secretariat = open_tab(viewport={"width": 320, "height": 640}).page
    log_in(small_secretariat, world.users["secretariat_sor"].email)
    for path in (
        f"/fora/{SLUG}/medlemmer/",
        meeting.get_absolute_url(),
        closed.get_absolute_url(),
        f"/fora/{SLUG}/moter/{meeting.pk}/protokoll/",
    ):
        small_secretariat.goto(path)
        assert overflow(small_secretariat) <= 0, f"{path} is {overflow(small_secretariat)}px too wide at 320px"
        check(small_secretariat, f"{path} at 320px, secretariat")
