"""A DEKOM round end to end in a real browser; every page checked with axe-core.

Holtålen's contact person starts Holtålen's priority list, adds two priorities in order (the theme is what,
the order is who), first forgets a theme (the error summary names the field), then submits the list. Three
competence networks have submitted theirs, one after the deadline. The secretariat of Trøndelag Sør makes the
proposal within the frame, sees it added up against the frame, tries to raise an allocation above the frame
(refused beside the field), puts the proposal before the forum as a case, and — once the forum has recorded its
decision — adopts it. It records a payment that would pass the allocation (refused), then a partial payment,
and opens the decision as PDF. An anonymous visitor sees the adopted allocations, not the payments.

Texts of this app may not be translated yet, so its own controls are found by their names and addresses.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from kompetansebro.forums.models import MeetingStatus
from kompetansebro.forums.services.decisions import decision_record
from kompetansebro.grants.models import Allocation, AllocationStatus, GrantRound, Payment, PriorityList, RoundStatus
from tests.browser.conftest import assert_accessible, log_in
from tests.forum_factories import MeetingFactory
from tests.test_forums import forum_in, in_days
from tests.test_grants_allocations import networks
from tests.test_grants_priorities import round_in

pytestmark = pytest.mark.browser


def submit(page, selector: str):
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_dekom_round_from_priority_lists_to_payment(open_tab, world):
    forum = forum_in(world, slug="samarbeidsforum-dekom")
    grant_round = round_in(world, name="DEKOM 2027", forum=forum, frame=Decimal("1200000"))
    networks(world, grant_round)
    meeting = MeetingFactory(forum=forum, starts_at=in_days(20), title="Samarbeidsforum mars")

    # Holtålen's list
    member = open_tab().page
    log_in(member, world.users["holtalen_contact"].email)
    member.goto(grant_round.get_absolute_url())
    assert_accessible(member, "round page for a member")
    member.locator(f"main a[href$='/runder/{grant_round.pk}/prioriteringer/ny/']").click()
    member.wait_for_url("**/prioriteringer/ny/")
    assert_accessible(member, "new priority list")
    member.select_option("#id_submitter", str(world.holtalen.pk))
    submit(member, "main form button[type=submit]")
    priority_list = PriorityList.objects.get(round=grant_round, submitter=world.holtalen)
    assert member.url.endswith(f"/prioriteringer/{priority_list.pk}/endre/")
    assert_accessible(member, "priority list form")
    member.fill("#id_items-0-rank", "1")
    member.fill("#id_items-0-theme", "Lesing i alle fag")
    member.select_option("#id_items-0-applicant", str(world.holtalen.pk))
    member.fill("#id_items-0-amount", "150 000")
    member.fill("#id_items-1-rank", "2")
    member.select_option("#id_items-1-applicant", str(world.roros.pk))
    member.fill("#id_items-1-amount", "80 000")
    submit(member, "main form button[type=submit]")
    summary = member.locator(".ds-error-summary")
    assert summary.count() == 1 and summary.locator("a[href='#id_items-1-theme']").count() == 1
    assert_accessible(member, "priority list form with errors")
    member.fill("#id_items-1-theme", "Yrkesfag i skolen")
    submit(member, "main form button[type=submit]")
    assert member.url.endswith(f"/prioriteringer/{priority_list.pk}/")
    assert member.locator("#priorities tbody tr").count() == 2
    assert_accessible(member, "priority list")
    submit(member, f"main form[action$='/prioriteringer/{priority_list.pk}/send-inn/'] button")
    priority_list.refresh_from_db()
    assert priority_list.submitted_at is not None and not priority_list.is_late

    # the secretariat's proposal within the frame
    secretariat = open_tab().page
    log_in(secretariat, world.users["secretariat_sor"].email)
    secretariat.goto(grant_round.get_absolute_url())
    assert secretariat.locator("#priority-lists tbody tr").count() == 4
    assert secretariat.locator("#priority-lists .ds-tag[data-color=warning]").count() == 1  # Nettverk C, late
    assert_accessible(secretariat, "round page before the proposal")
    submit(secretariat, f"#proposal form[action$='/runder/{grant_round.pk}/tildelinger/forslag/'] button")
    grant_round.refresh_from_db()
    assert grant_round.status == RoundStatus.PROPOSED
    proposed = Allocation.objects.filter(round=grant_round, status=AllocationStatus.PROPOSED)
    assert sum(a.amount for a in proposed) == grant_round.frame
    assert secretariat.locator("table:has(#proposal-caption) tbody tr").count() == proposed.count()
    assert_accessible(secretariat, "round page with the proposal")

    allocation = proposed.order_by("pk").first()
    secretariat.goto(f"/tilskudd/runder/{grant_round.pk}/tildelinger/{allocation.pk}/endre/")
    secretariat.fill("#id_amount", str(int(allocation.amount) + 1))
    submit(secretariat, "main form button[value=save]")
    assert secretariat.locator("#id_amount[aria-invalid=true]").count() == 1
    assert secretariat.locator(".ds-error-summary a[href='#id_amount']").count() == 1
    assert_accessible(secretariat, "allocation above the frame")

    # the forum case, the decision and the adoption
    secretariat.goto(grant_round.get_absolute_url())
    secretariat.select_option("#id_meeting", str(meeting.pk))
    submit(secretariat, "#decision form[action$='/tildelinger/sak/'] button")
    grant_round.refresh_from_db()
    case = grant_round.decision_case
    assert case is not None and case.meeting_id == meeting.pk
    secretariat.goto(case.get_absolute_url())
    assert_accessible(secretariat, "the forum case")
    meeting.status = MeetingStatus.NOTICE_SENT
    meeting.save()
    decision_record(actor=world.users["secretariat_sor"], case=case, as_recommended=True)
    secretariat.goto(grant_round.get_absolute_url())
    assert_accessible(secretariat, "round page with the decision")
    submit(secretariat, "#decision form[action$='/tildelinger/vedta/'] button")
    assert GrantRound.objects.get(pk=grant_round.pk).status == RoundStatus.DECIDED
    assert secretariat.locator("#allocations tbody tr").count() == proposed.count()
    assert_accessible(secretariat, "round page decided")

    # payments
    adopted = Allocation.objects.filter(round=grant_round, status=AllocationStatus.ADOPTED).order_by("pk").first()
    secretariat.locator(f"#allocations a[href$='/tildelinger/{adopted.pk}/utbetalinger/ny/']").click()
    secretariat.wait_for_url("**/utbetalinger/ny/")
    assert_accessible(secretariat, "payments of an allocation")
    secretariat.fill("#id_amount", str(int(adopted.amount) + 1))
    submit(secretariat, "main form button[type=submit]")
    assert secretariat.locator(".ds-error-summary a[href='#id_amount']").count() == 1
    secretariat.fill("#id_amount", "50 000")
    secretariat.select_option("#id_status", "paid")
    secretariat.fill("#id_paid_on", timezone.localdate().strftime("%d.%m.%Y"))
    submit(secretariat, "main form button[type=submit]")
    payment = Payment.objects.get(allocation=adopted)
    assert payment.amount == Decimal("50000") and payment.status == "paid"
    assert secretariat.locator("#payments").count() == 1
    response = secretariat.request.get(f"/tilskudd/runder/{grant_round.pk}/tildelinger.pdf")
    assert response.ok and response.body().startswith(b"%PDF")

    # the public
    visitor = open_tab(viewport={"width": 320, "height": 800}).page
    visitor.goto(grant_round.get_absolute_url())
    assert visitor.locator("#allocations tbody tr").count() == proposed.count()
    assert visitor.locator("#payments").count() == 0 and visitor.locator("#proposal").count() == 0
    assert_accessible(visitor, "round page for the public at 320 px")
