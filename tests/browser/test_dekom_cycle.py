"""The DEKOM cycle end to end in a real browser, as in issue 6's "Done when"; every page state checked with
axe-core (a page seen again in the same state, differing only by one more row, is not checked twice), the main
pages also at 320 CSS pixels for sideways scrolling.

Statsforvalteren's administrator creates the DEKOM scheme (a grant share of 120 % is refused beside the field)
with its four report questions, a round with a frame of kr 1 000 000, a deadline for priority lists and the
DEKOM collaboration forum as the deciding forum, and the annual wheel's steps (the experience seminar in
February, priority lists due 20 March, the forum decides in April, payments late June; a step that ends before
it starts is refused). The wheel shows the steps month by month and as a list, and is rolled over to the next
year, where the steps are again.

Three competence networks submit ranked priority lists (the theme is what, the order is who): Gauldal on time,
Fosen on time after moving its first priority down, Trondheimsregionen after the deadline (the deadline is
moved into the past in the database), marked late. Gauldal then changes its submitted list, marked changed.

The forum's secretary makes the proposal from the lists within the frame, lowers one allocation, is refused
when raising another above the frame (the refusal says by how much), puts the proposal before the forum's
meeting as a case, records the forum's decision on the case's decision page, adopts the allocations and
downloads them as .xlsx and the decision as PDF. Payments: a partial payment approved, then paid; a payment
that would pass the allocation refused with what can still be paid; a repayment.

Anonymous visitors see the scheme, the wheel and the round with its adopted allocations, never the priority
lists (log in first) or the proposal; a network never sees another network's list (not found).

Texts of this app may not be translated yet, so its controls are found by their names and addresses.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from kompetansebro.forums.models import Decision, ForumKind, Meeting, MeetingStatus, MemberRole
from kompetansebro.geography.models import Municipality
from kompetansebro.grants.models import (
    Allocation,
    AllocationStatus,
    GrantRound,
    GrantScheme,
    Payment,
    PaymentKind,
    PaymentStatus,
    PriorityItem,
    PriorityList,
    ReportQuestion,
    RoundStatus,
    WheelStep,
)
from kompetansebro.organisations.models import MembershipRole, OrganisationKind
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import MembershipFactory, OrganisationFactory
from tests.forum_factories import ForumFactory, ForumMembershipFactory, MeetingFactory

pytestmark = pytest.mark.browser

YEAR = timezone.localdate().year + 1  # the round is next year's: its deadline of 20 March is ahead
SLUG = "dekom-trondelag"
QUESTIONS = [
    "Hvordan er arbeidet forankret lokalt?",
    "Hvordan unngår dere fragmentering av tiltakene?",
    "Hvordan er arbeidet skolebasert?",
    "Hvordan kommer elevenes stemme fram?",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def submit(page, selector: str = "main form[novalidate] button[type=submit]"):
    """Click the button and wait for the page the form leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def on(year: int, month: int, day: int) -> str:
    return datetime.date(year, month, day).strftime("%d.%m.%Y")


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def fits_320(page, label: str):
    """WCAG 1.4.10 Reflow: at 320 CSS pixels the page does not scroll sideways (tables scroll in their region)."""
    assert page.viewport_size["width"] == 320
    assert overflow(page) <= 0, f"{label} is {overflow(page)}px too wide at 320px"
    assert_accessible(page, f"{label} at 320px")


def sign_in(page, user, base_url: str):
    """A session for `user` in the tab, without the login form (the administrator logs in through it)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def kr(amount: int) -> str:
    """As the pages write money: "kr 30 000" with non-breaking spaces."""
    return "kr\xa0" + f"{amount:,}".replace(",", "\xa0")


@pytest.fixture
def dekom(world):
    """Statsforvalteren with its administrator, the DEKOM collaboration forum with a secretary and a meeting
    in April, three competence networks with one member each, and the school owners they apply for."""
    municipality = {
        m.number: m for m in Municipality.objects.filter(number__in=["5001", "5026", "5031", "5054", "5057"])
    }
    governor = OrganisationFactory(
        name="Statsforvalteren i Trøndelag", kind=OrganisationKind.STATE_GOVERNOR, municipality=municipality["5001"]
    )
    admin = MembershipFactory(
        organisation=governor,
        role=MembershipRole.ADMIN,
        user__email="dekom@statsforvalteren.example.no",
        user__full_name="Siri Statsforvalter",
    ).user
    forum = ForumFactory(
        name="Samarbeidsforum for DEKOM i Trøndelag",
        slug="samarbeidsforum-dekom",
        kind=ForumKind.DEKOM_FORUM,
        owner=governor,
    )
    secretary = ForumMembershipFactory(
        forum=forum,
        role=MemberRole.SECRETARIAT,
        may_decide=False,
        person__email="sekretar@dekom.example.no",
        person__full_name="Sverre Sekretær",
    ).person
    meeting = MeetingFactory(
        forum=forum,
        title="Samarbeidsforum: fordeling av DEKOM-midlene",
        starts_at=timezone.make_aware(datetime.datetime.combine(datetime.date(YEAR, 4, 15), datetime.time(10))),
        ends_at=timezone.make_aware(datetime.datetime.combine(datetime.date(YEAR, 4, 15), datetime.time(14))),
    )
    networks, members = {}, {}
    for key, name, number in [
        ("gauldal", "Kompetansenettverk Gauldal", "5026"),
        ("fosen", "Kompetansenettverk Fosen", "5054"),
        ("trondheim", "Kompetansenettverk Trondheimsregionen", "5031"),
    ]:
        networks[key] = OrganisationFactory(
            name=name,
            kind=OrganisationKind.OTHER,
            municipality=municipality[number],
        )
        members[key] = MembershipFactory(
            organisation=networks[key], role=MembershipRole.CONTACT, user__email=f"{key}@nettverk.example.no"
        ).user
    owners = {
        "indre_fosen": OrganisationFactory(
            name="Indre Fosen kommune", kind=OrganisationKind.MUNICIPALITY, municipality=municipality["5054"]
        ),
        "orland": OrganisationFactory(
            name="Ørland kommune", kind=OrganisationKind.MUNICIPALITY, municipality=municipality["5057"]
        ),
        "malvik": OrganisationFactory(
            name="Malvik kommune", kind=OrganisationKind.MUNICIPALITY, municipality=municipality["5031"]
        ),
        "holtalen": world.holtalen,
        "roros": world.roros,
    }
    return {
        "world": world,
        "governor": governor,
        "admin": admin,
        "forum": forum,
        "secretary": secretary,
        "meeting": meeting,
        "networks": networks,
        "members": members,
        "owners": owners,
    }


def make_priority_list(page, grant_round, network, priorities, label: str, check: bool) -> PriorityList:
    """The network's member starts its list from the round page and fills in the priorities in order:
    (theme, for whom, amount). `check`: axe on the pages (once is enough for pages another network's member
    saw in the same state)."""
    page.goto(grant_round.get_absolute_url())
    if check:
        assert_accessible(page, f"round page for {label}")
    page.locator(f"main a[href$='/runder/{grant_round.pk}/prioriteringer/ny/']").click()
    page.wait_for_url("**/prioriteringer/ny/")
    if check:
        assert_accessible(page, f"new priority list, {label}")
    page.select_option("#id_submitter", str(network.pk))
    submit(page)
    priority_list = PriorityList.objects.get(round=grant_round, submitter=network)
    assert page.url.endswith(f"/prioriteringer/{priority_list.pk}/endre/")
    if check:
        assert_accessible(page, f"priority list form, {label}")
    for row, (theme, applicant, amount) in enumerate(priorities):
        page.fill(f"#id_items-{row}-rank", str(row + 1))
        page.fill(f"#id_items-{row}-theme", theme)
        page.select_option(f"#id_items-{row}-applicant", str(applicant.pk))
        page.fill(f"#id_items-{row}-amount", amount)
    submit(page)
    assert page.url.endswith(f"/prioriteringer/{priority_list.pk}/")
    assert page.locator("#priorities tbody tr").count() == len(priorities)
    assert_accessible(page, f"priority list, {label}")
    return priority_list


def submit_list(page, priority_list, label: str, check: bool):
    submit(page, f"main form[action$='/prioriteringer/{priority_list.pk}/send-inn/'] button")
    priority_list.refresh_from_db()
    assert priority_list.submitted_at is not None
    if check:
        assert_accessible(page, f"submitted priority list, {label}")


def test_the_dekom_cycle_from_scheme_to_payments(open_tab, live_server, dekom):
    world, networks, owners, forum, meeting = (
        dekom["world"],
        dekom["networks"],
        dekom["owners"],
        dekom["forum"],
        dekom["meeting"],
    )

    # ---- 1. the scheme, its rules and its report template -------------------------------------------------
    admin = open_tab().page
    log_in(admin, dekom["admin"].email)
    admin.goto("/tilskudd/")
    assert_accessible(admin, "scheme list")
    admin.locator("main a[href='/tilskudd/ordninger/ny/']").click()
    admin.wait_for_url("**/ordninger/ny/")
    assert_accessible(admin, "new scheme")
    admin.fill("#id_name", "DEKOM Trøndelag")
    admin.fill("#id_slug", SLUG)
    admin.select_option("#id_owner", str(dekom["governor"].pk))
    admin.fill("#id_source", "Utdanningsdirektoratet")
    admin.fill("#id_purpose", "Desentralisert ordning for kompetanseutvikling i skolen: lokale behov, skolebasert.")
    admin.fill("#id_eligibility", "Skoleeiere i Trøndelag gjennom kompetansenettverkene.")
    # the networks submit the priority lists: invited, since they are neither school owners nor in one region
    admin.check("input[name=eligible_kinds][value=municipality]")
    admin.select_option("#id_invited_organisations", [str(network.pk) for network in dekom["networks"].values()])
    admin.fill("#id_max_grant_share", "120")
    submit(admin)
    assert not GrantScheme.objects.filter(slug=SLUG).exists()
    assert admin.locator("#id_max_grant_share[aria-invalid=true]").count() == 1
    assert admin.locator("#id_max_grant_share_error").is_visible()
    assert admin.locator(".ds-error-summary a[href='#id_max_grant_share']").count() == 1
    assert admin.input_value("#id_name") == "DEKOM Trøndelag"  # the rest of the form is kept
    assert_accessible(admin, "new scheme with a share of 120 %")
    admin.fill("#id_max_grant_share", "70")
    submit(admin)
    scheme = GrantScheme.objects.get(slug=SLUG)
    assert scheme.owner == dekom["governor"] and scheme.max_grant_share == Decimal("70")
    assert scheme.eligible_kinds == ["municipality"]
    assert set(scheme.invited_organisations.all()) == set(dekom["networks"].values())
    assert admin.url.endswith(f"/tilskudd/ordninger/{SLUG}/")
    assert_accessible(admin, "scheme page, new")

    admin.locator(f"main a[href='/tilskudd/ordninger/{SLUG}/rapportmal/']").click()
    admin.wait_for_url("**/rapportmal/")
    assert_accessible(admin, "report template, empty")
    for number, question in enumerate(QUESTIONS, start=1):
        admin.fill("#id_text", question)
        submit(admin, "main form[novalidate] button[type=submit]")
        assert admin.locator("table:has(caption) tbody tr").count() == number
        if number in (1, len(QUESTIONS)):  # the pages in between differ only by a row
            assert_accessible(admin, f"report template with {number} questions")
    assert list(ReportQuestion.objects.filter(scheme=scheme).values_list("text", flat=True)) == QUESTIONS

    # ---- 2. the round, and the annual wheel ----------------------------------------------------------------
    admin.goto(scheme.get_absolute_url())
    assert admin.locator("section[aria-labelledby=template-heading] ol li").count() == 4
    assert_accessible(admin, "scheme page with the report template")
    admin.locator(f"main a[href='/tilskudd/ordninger/{SLUG}/runder/ny/']").click()
    admin.wait_for_url("**/runder/ny/")
    assert_accessible(admin, "new round")
    admin.fill("#id_name", f"DEKOM {YEAR}")
    admin.fill("#id_year", str(YEAR))
    admin.fill("#id_frame", "1 000 000")
    admin.fill("#id_priority_deadline", on(YEAR, 3, 20))
    admin.select_option("#id_region", str(world.county_region.pk))
    admin.select_option("#id_forum", str(forum.pk))
    submit(admin)
    grant_round = GrantRound.objects.get(scheme=scheme, year=YEAR)
    assert grant_round.frame == Decimal("1000000") and grant_round.forum == forum
    assert grant_round.priority_deadline == datetime.date(YEAR, 3, 20)
    assert admin.url.endswith(grant_round.get_absolute_url())
    assert_accessible(admin, "round page, new")

    admin.goto(f"/tilskudd/ordninger/{SLUG}/arshjul/?year={YEAR}")
    assert_accessible(admin, "annual wheel, empty")
    steps = [
        ("Erfaringsseminar for nettverkene", "seminar", on(YEAR, 2, 10), "", None, None),
        ("Frist for prioriteringslister", "priority_deadline", on(YEAR, 3, 20), "", grant_round, None),
        ("Samarbeidsforumet vedtar fordelingen", "forum_meeting", on(YEAR, 4, 15), "", grant_round, forum),
        ("Utbetaling av midlene", "payment", on(YEAR, 6, 20), on(YEAR, 6, 30), grant_round, None),
    ]
    for index, (title, kind, starts, ends, step_round, step_forum) in enumerate(steps):
        admin.locator(f"main a[href='/tilskudd/ordninger/{SLUG}/arshjul/steg/ny/']").click()
        admin.wait_for_url("**/arshjul/steg/ny/")
        if index == 0:
            assert_accessible(admin, "new wheel step")
        admin.fill("#id_title", title)
        admin.select_option("#id_kind", kind)
        admin.fill("#id_starts_on", starts)
        admin.fill("#id_ends_on", ends)
        if step_round:
            admin.select_option("#id_round", str(step_round.pk))
        if step_forum:
            admin.select_option("#id_forum", str(step_forum.pk))
        if index == 3:  # first with the end before the start: refused beside the field
            admin.fill("#id_ends_on", on(YEAR, 6, 1))
            submit(admin)
            assert admin.locator("#id_ends_on[aria-invalid=true]").count() == 1
            assert admin.locator(".ds-error-summary a[href='#id_ends_on']").count() == 1
            assert_accessible(admin, "wheel step ending before it starts")
            admin.fill("#id_ends_on", ends)
        submit(admin)
        assert admin.url.endswith(f"/arshjul/?year={YEAR}")
        if index in (0, 3):  # the pages in between differ only by a step
            assert_accessible(admin, f"annual wheel with {index + 1} steps")
    assert WheelStep.objects.filter(scheme=scheme, starts_on__year=YEAR).count() == 4
    months = admin.locator("section[aria-labelledby=months-heading] ol > li")
    assert months.count() == 12
    for month in (2, 3, 4, 6):
        assert months.nth(month - 1).locator("ul li").count() == 1, f"month {month}"
    assert months.nth(0).locator("ul li").count() == 0
    assert admin.locator("section[aria-labelledby=list-heading] tbody tr").count() == 4

    # roll the wheel over: the steps are in the next year, dates a year later, with next year's round
    submit(admin, f"main form[action='/tilskudd/ordninger/{SLUG}/arshjul/rull-over/'] button")
    assert admin.url.endswith(f"/arshjul/?year={YEAR + 1}")
    rolled = WheelStep.objects.filter(scheme=scheme, starts_on__year=YEAR + 1).order_by("starts_on")
    assert [step.starts_on for step in rolled] == [
        datetime.date(YEAR + 1, 2, 10),
        datetime.date(YEAR + 1, 3, 20),
        datetime.date(YEAR + 1, 4, 15),
        datetime.date(YEAR + 1, 6, 20),
    ]
    next_round = GrantRound.objects.get(scheme=scheme, year=YEAR + 1)
    assert next_round.frame_to_be_adjusted and next_round.rolled_from == grant_round
    assert {step.round for step in rolled if step.round} == {next_round}
    assert admin.locator("section[aria-labelledby=list-heading] tbody tr").count() == 4
    assert admin.locator("section[aria-labelledby=months-heading] ol > li").nth(5).locator("ul li").count() == 1
    assert_accessible(admin, "annual wheel of the next year")
    admin.goto(f"/tilskudd/arshjul/forum/{forum.slug}/?year={YEAR}")
    assert admin.locator("section[aria-labelledby=list-heading] tbody tr").count() >= 1
    assert_accessible(admin, "the forum's annual wheel")

    # ---- 3. three networks' priority lists ------------------------------------------------------------------
    gauldal = open_tab().page
    sign_in(gauldal, dekom["members"]["gauldal"], live_server.url)
    gauldal_list = make_priority_list(
        gauldal,
        grant_round,
        networks["gauldal"],
        [
            ("Lesing i alle fag", owners["holtalen"], "300 000"),
            ("Vurdering for læring", owners["roros"], "200 000"),
        ],
        "Gauldal",
        check=True,
    )
    submit_list(gauldal, gauldal_list, "Gauldal", check=True)
    assert not gauldal_list.is_late

    fosen = open_tab().page
    sign_in(fosen, dekom["members"]["fosen"], live_server.url)
    fosen_list = make_priority_list(
        fosen,
        grant_round,
        networks["fosen"],
        [
            ("Inkluderende læringsmiljø", owners["indre_fosen"], "250 000"),
            ("Profesjonsfellesskap i skolen", owners["orland"], "150 000"),
            ("Elevenes stemme i undervisningen", owners["indre_fosen"], "100 000"),
        ],
        "Fosen",
        check=False,
    )
    # reordered before it is submitted: the first priority goes down one place
    submit(fosen, "#priorities tbody tr >> nth=0 >> button[value=down]")
    assert fosen.url.endswith("#priorities")
    assert list(
        PriorityItem.objects.filter(priority_list=fosen_list).order_by("rank").values_list("theme", flat=True)
    ) == ["Profesjonsfellesskap i skolen", "Inkluderende læringsmiljø", "Elevenes stemme i undervisningen"]
    assert fosen.locator("#priorities tbody tr").first.locator("th").inner_text().startswith("Profesjonsfellesskap")
    assert_accessible(fosen, "priority list, Fosen, reordered")
    submit_list(fosen, fosen_list, "Fosen", check=False)
    assert not fosen_list.is_late

    # the deadline passes; Trondheimsregionen's list comes late
    GrantRound.objects.filter(pk=grant_round.pk).update(
        priority_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    trondheim = open_tab().page
    sign_in(trondheim, dekom["members"]["trondheim"], live_server.url)
    trondheim_list = make_priority_list(
        trondheim,
        grant_round,
        networks["trondheim"],
        [("Digital kompetanse i skolen", owners["malvik"], "200 000")],
        "Trondheimsregionen",
        check=False,
    )
    submit_list(trondheim, trondheim_list, "Trondheimsregionen", check=True)  # the late warning
    assert trondheim_list.is_late
    trondheim.goto(grant_round.get_absolute_url())
    assert trondheim.locator("#priority-lists tbody tr").count() == 1  # only its own list
    assert trondheim.locator("#priority-lists .ds-tag[data-color=warning]").count() == 1
    assert_accessible(trondheim, "round page with a late list, for its network")
    assert trondheim.request.get(f"/tilskudd/runder/{grant_round.pk}/prioriteringer/{gauldal_list.pk}/").status == 404

    # Gauldal changes its submitted list: the second amount is lowered
    gauldal.goto(f"/tilskudd/runder/{grant_round.pk}/prioriteringer/{gauldal_list.pk}/endre/")
    assert gauldal.locator("main .ds-alert[data-color=warning]").count() == 1
    assert_accessible(gauldal, "priority list form, Gauldal, submitted")
    gauldal.fill("#id_items-1-amount", "180 000")
    submit(gauldal)
    gauldal_list.refresh_from_db()
    assert gauldal_list.changed_after_submission and not gauldal_list.is_late
    assert gauldal.locator("main dl .ds-tag[data-color=warning]").count() == 1
    assert_accessible(gauldal, "priority list, Gauldal, changed after submission")

    # ---- 4. the proposal, the forum's decision, adoption, files and payments ---------------------------------
    secretary = open_tab().page
    sign_in(secretary, dekom["secretary"], live_server.url)
    secretary.goto(grant_round.get_absolute_url())
    lists = secretary.locator("#priority-lists tbody tr")
    assert lists.count() == 3
    marks = {
        network: lists.filter(has_text=networks[network].name).locator(".ds-tag[data-color=warning]").count()
        for network in networks
    }
    assert marks == {"gauldal": 1, "fosen": 0, "trondheim": 1}  # changed; on time; late
    secretary.locator("#proposal details summary").first.click()
    assert_accessible(secretary, "round page before the proposal, with the rule's preview")
    submit(secretary, f"#proposal form[action$='/runder/{grant_round.pk}/tildelinger/forslag/'] button")
    grant_round.refresh_from_db()
    assert grant_round.status == RoundStatus.PROPOSED
    proposed = {
        (allocation.recipient_id, allocation.amount): allocation
        for allocation in Allocation.objects.filter(round=grant_round, status=AllocationStatus.PROPOSED)
    }
    # round by round: first priorities (Gauldal, Fosen on time, then Trondheimsregionen late), then the second
    # priorities while the frame lasts; Fosen's second gets what is left and its third nothing
    assert set(proposed) == {
        (owners["holtalen"].pk, Decimal("300000.00")),
        (owners["orland"].pk, Decimal("150000.00")),
        (owners["malvik"].pk, Decimal("200000.00")),
        (owners["roros"].pk, Decimal("180000.00")),
        (owners["indre_fosen"].pk, Decimal("170000.00")),
    }
    assert secretary.locator("table:has(#proposal-caption) tbody tr").count() == 5
    assert_accessible(secretary, "round page with the proposal")

    # the anonymous public does not see the proposal
    public = open_tab(viewport={"width": 320, "height": 800}).page
    public.goto(grant_round.get_absolute_url())
    assert public.locator("#proposal").count() == 0 and public.locator("#priority-lists").count() == 0
    assert public.locator("#allocations tbody tr").count() == 0
    fits_320(public, "round page for the public while the proposal is made")

    # one allocation lowered; raising another above the frame is refused with the amount it is above by
    partial = proposed[(owners["indre_fosen"].pk, Decimal("170000.00"))]
    secretary.locator(f"#proposal a[href$='/tildelinger/{partial.pk}/endre/']").click()
    secretary.wait_for_url(f"**/tildelinger/{partial.pk}/endre/")
    assert_accessible(secretary, "change an allocation")
    secretary.fill("#id_amount", "150 000")
    submit(secretary, "main form button[value=save]")
    assert secretary.url.endswith("#allocations")
    assert_accessible(secretary, "round page with a lowered allocation")
    first = proposed[(owners["holtalen"].pk, Decimal("300000.00"))]
    secretary.goto(f"/tilskudd/runder/{grant_round.pk}/tildelinger/{first.pk}/endre/")
    secretary.fill("#id_amount", "330 000")
    submit(secretary, "main form button[value=save]")
    assert secretary.locator("#id_amount[aria-invalid=true]").count() == 1
    error = secretary.locator("#id_amount_error").inner_text()
    assert kr(1_000_000) in error and kr(10_000) in error, error
    assert secretary.locator(".ds-error-summary a[href='#id_amount']").count() == 1
    assert_accessible(secretary, "allocation above the frame")
    first.refresh_from_db()
    assert first.amount == Decimal("300000")
    assert sum(a.amount for a in Allocation.objects.filter(round=grant_round, status="proposed")) == Decimal("980000")

    # the proposal becomes a case on the forum's meeting
    secretary.goto(grant_round.get_absolute_url())
    secretary.select_option("#id_meeting", str(meeting.pk))
    submit(secretary, "#decision form[action$='/tildelinger/sak/'] button")
    grant_round.refresh_from_db()
    case = grant_round.decision_case
    assert case is not None and case.meeting_id == meeting.pk and case.recommendation
    assert_accessible(secretary, "round page with the case")

    # the notice is out (as the forum's meeting test does in the browser); the forum decides as recommended
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.NOTICE_SENT)
    secretary.locator(f"#decision a[href$='/saker/{case.pk}/']").click()
    secretary.wait_for_url(f"**/saker/{case.pk}/")
    assert_accessible(secretary, "the forum case")
    secretary.locator(f"main a[href='/fora/{forum.slug}/saker/{case.pk}/vedtak/']").click()
    secretary.wait_for_url(f"**/saker/{case.pk}/vedtak/")
    assert_accessible(secretary, "record the forum's decision")
    secretary.check("input[name=as_recommended][value=yes]")
    submit(secretary, "main form button[type=submit]")
    assert secretary.url.endswith(case.get_absolute_url())
    decision = Decision.objects.get(case=case)
    assert decision.as_recommended and decision.text == case.recommendation.strip()
    assert_accessible(secretary, "the forum case with its decision")

    secretary.goto(grant_round.get_absolute_url() + "#decision")
    assert secretary.locator("#decision blockquote").count() == 1
    assert_accessible(secretary, "round page with the forum's decision")
    submit(secretary, "#decision form[action$='/tildelinger/vedta/'] button")
    grant_round.refresh_from_db()
    assert grant_round.status == RoundStatus.DECIDED
    adopted = Allocation.objects.filter(round=grant_round, status=AllocationStatus.ADOPTED)
    assert adopted.count() == 5 and sum(a.amount for a in adopted) == Decimal("980000")
    assert secretary.locator("#allocations tbody tr").count() == 5
    assert secretary.locator("#proposal").count() == 0
    assert_accessible(secretary, "round page, decided")

    # the files
    xlsx = secretary.request.get(f"/tilskudd/runder/{grant_round.pk}/tildelinger.xlsx")
    assert xlsx.ok and xlsx.headers["content-type"] == XLSX_TYPE and xlsx.body().startswith(b"PK")
    cells = [
        str(value)
        for row in load_workbook(io.BytesIO(xlsx.body())).active.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert all(owner.name in cells for owner in owners.values())
    pdf = secretary.request.get(f"/tilskudd/runder/{grant_round.pk}/tildelinger.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # payments on Holtålen's kr 300 000: kr 100 000 approved, then paid; kr 250 000 more refused; a repayment
    today = timezone.localdate().strftime("%d.%m.%Y")
    secretary.locator(f"#allocations a[href$='/tildelinger/{first.pk}/utbetalinger/ny/']").click()
    secretary.wait_for_url("**/utbetalinger/ny/")
    assert_accessible(secretary, "payments of an allocation, none yet")
    secretary.fill("#id_amount", "100 000")
    secretary.select_option("#id_status", PaymentStatus.APPROVED)
    submit(secretary)
    payment = Payment.objects.get(allocation=first)
    assert (payment.amount, payment.status) == (Decimal("100000"), PaymentStatus.APPROVED)
    assert secretary.url.endswith("#payments")
    assert_accessible(secretary, "round page with an approved payment")

    secretary.goto(f"/tilskudd/runder/{grant_round.pk}/utbetalinger/{payment.pk}/endre/")
    assert_accessible(secretary, "change a payment")
    secretary.select_option("#id_status", PaymentStatus.PAID)
    secretary.fill("#id_paid_on", today)
    submit(secretary)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.paid_on == timezone.localdate()

    secretary.goto(f"/tilskudd/runder/{grant_round.pk}/tildelinger/{first.pk}/utbetalinger/ny/")
    secretary.fill("#id_amount", "250 000")
    submit(secretary)
    assert secretary.locator("#id_amount[aria-invalid=true]").count() == 1
    assert kr(200_000) in secretary.locator("#id_amount_error").inner_text()  # what can still be paid
    assert Payment.objects.filter(allocation=first).count() == 1
    assert_accessible(secretary, "a payment above the allocation")
    secretary.select_option("#id_kind", PaymentKind.REPAYMENT)
    secretary.fill("#id_amount", "20 000")
    secretary.select_option("#id_status", PaymentStatus.PAID)
    secretary.fill("#id_paid_on", today)
    submit(secretary)
    repayment = Payment.objects.get(allocation=first, kind=PaymentKind.REPAYMENT)
    assert (repayment.amount, repayment.status) == (Decimal("20000"), PaymentStatus.PAID)
    summary = secretary.locator("#payments").inner_text()
    assert kr(100_000) in summary and kr(20_000) in summary
    assert_accessible(secretary, "round page with a payment and a repayment")
    secretary.set_viewport_size({"width": 320, "height": 800})
    fits_320(secretary, "round page for the secretary")
    secretary.goto(f"/tilskudd/runder/{grant_round.pk}/tildelinger/{first.pk}/utbetalinger/ny/")
    assert secretary.locator("#payments-caption").count() == 1
    fits_320(secretary, "payments of an allocation, with two")

    # ---- 5. the public --------------------------------------------------------------------------------------
    public.goto(scheme.get_absolute_url())
    assert public.locator("section[aria-labelledby=template-heading] ol li").count() == 4
    fits_320(public, "scheme page for the public")
    public.goto(f"/tilskudd/ordninger/{SLUG}/arshjul/?year={YEAR}")
    assert public.locator("section[aria-labelledby=list-heading] tbody tr").count() == 4
    assert public.locator("form[action$='/arshjul/rull-over/']").count() == 0
    fits_320(public, "annual wheel for the public")
    public.goto(grant_round.get_absolute_url())
    assert public.locator("#allocations tbody tr").count() == 5
    assert public.locator("#proposal, #priority-lists, #payments, #decision").count() == 0
    fits_320(public, "round page for the public, decided")
    for path in [
        f"/tilskudd/runder/{grant_round.pk}/prioriteringer/{gauldal_list.pk}/",
        f"/tilskudd/runder/{grant_round.pk}/prioriteringer/{trondheim_list.pk}/endre/",
        f"/tilskudd/runder/{grant_round.pk}/tildelinger/{first.pk}/endre/",
    ]:
        response = public.request.get(path, max_redirects=0)
        assert response.status == 302 and "/konto/logg-inn/" in response.headers["location"], path
    assert public.request.get(f"/tilskudd/runder/{grant_round.pk}/utbetalinger.xlsx", max_redirects=0).status == 302
