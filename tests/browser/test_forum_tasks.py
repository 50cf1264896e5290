"""Follow-up tasks end to end in a real browser; every page checked with axe-core.

The secretariat of Trøndelag Sør opens a meeting, starts a task from a case, first forgets who is responsible
(the error summary names the field), then gives the task to Holtålen kommune as a yearly task. An overdue task
is on the forum's list, marked in words; Holtålen's administrator — responsible through the organisation, not a
member of the forum — finds it on the overdue page and marks it done, and its next round appears.

Texts of this app may not be translated yet, so its own controls are found by their names and addresses.
"""

import datetime

import pytest
from django.utils import timezone

from kompetansebro.forums.models import FollowUpTask, MemberRole, Recurrence
from tests.browser.conftest import assert_accessible, log_in
from tests.forum_factories import AgendaCaseFactory, FollowUpTaskFactory, ForumFactory, ForumMembershipFactory

pytestmark = pytest.mark.browser


def submit(page, selector: str):
    with page.expect_navigation():
        page.locator(selector).click()


def test_task_from_a_case_to_done(open_tab, world):
    forum = ForumFactory(owner=world.council, region=world.region, slug="rkf-sor")
    ForumMembershipFactory(forum=forum, person=world.users["holtalen_contact"], role=MemberRole.CHAIR)
    case = AgendaCaseFactory(meeting__forum=forum, title="Rapportering fra prosjektene")
    late = FollowUpTaskFactory(
        forum=forum,
        title="To skriftlige rapporter per kalenderår",
        responsible_person=None,
        responsible_organisation=world.holtalen,
        recurrence=Recurrence.HALF_YEARLY,
    )
    FollowUpTask.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))

    secretariat = open_tab().page
    log_in(secretariat, world.users["secretariat_sor"].email)
    secretariat.goto(case.meeting.get_absolute_url())
    secretariat.locator(f"main a[href*='/fora/rkf-sor/oppfolging/ny/?case={case.pk}']").click()
    secretariat.wait_for_url("**/fora/rkf-sor/oppfolging/ny/**")
    assert_accessible(secretariat, "new task form")

    due = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d.%m.%Y")
    secretariat.fill("#id_title", "Prosjektleder orienterer rådet minst én gang per kalenderår")
    secretariat.fill("#id_due_on", due)
    secretariat.select_option("#id_recurrence", Recurrence.YEARLY)
    submit(secretariat, "main form button[type=submit]")
    summary = secretariat.locator(".ds-error-summary")
    assert summary.count() == 1
    assert summary.locator("a[href='#id_responsible_person']").count() == 1
    assert secretariat.locator("#id_responsible_person[aria-invalid=true]").count() == 1
    assert_accessible(secretariat, "new task form with errors")

    secretariat.select_option("#id_responsible_organisation", str(world.holtalen.pk))
    submit(secretariat, "main form button[type=submit]")
    assert f"/moter/{case.meeting_id}/" in secretariat.url
    created = FollowUpTask.objects.get(case=case)
    assert (created.responsible_organisation, created.recurrence) == (world.holtalen, Recurrence.YEARLY)

    secretariat.goto(f"/fora/{forum.slug}/oppfolging/")
    rows = secretariat.locator("main table tbody tr")
    assert rows.count() == 2
    assert "To skriftlige rapporter" in rows.first.inner_text()  # overdue first, and said in words
    assert rows.first.locator(".ds-tag").count() == 1
    assert_accessible(secretariat, "task list")

    holtalen = open_tab().page
    log_in(holtalen, world.users["holtalen_admin"].email)
    holtalen.goto("/fora/oppfolging/forfalte/")
    assert holtalen.locator("main table tbody tr").count() == 1
    assert_accessible(holtalen, "overdue tasks")
    submit(holtalen, f"main form[action='/fora/{forum.slug}/oppfolging/{late.pk}/utfort/'] button")
    assert holtalen.locator(".kb-messages [role=status]").count() == 1
    assert holtalen.locator("main table").count() == 0
    late.refresh_from_db()
    assert late.done_at is not None and late.next.due_on > late.due_on
