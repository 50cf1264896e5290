"""A mapping round end to end in a real browser, and the region overview; every page checked with axe-core.

The secretariat of Trøndelag Sør opens a round, Holtålen registers a need in it, Røros answers that it has
no needs, the secretariat sees who has answered, reminds the others, closes the round (the need stays
registered), confirms its need as qualified and opens the list for the forum and the export. Each person has
a browser context of their own.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kompetansebro.mapping import services as mapping_services
from kompetansebro.mapping.models import MappingRound, RoundInvitation
from kompetansebro.needs.models import NeedStatus
from kompetansebro.organisations.models import MembershipRole
from tests.browser.conftest import assert_accessible, let_the_preview_settle, log_in
from tests.factories import MembershipFactory, NeedFactory

pytestmark = pytest.mark.browser

ROUND_TITLE = "Behov til forumet i mars"
NEED_TITLE = "Velferdsteknologi i hjemmetjenesten"


def submit(page, name: str):
    """Click the button and wait for the page the form leads to."""
    let_the_preview_settle(page)
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_secretariat_runs_a_mapping_round(open_tab, world):
    roros_contact = MembershipFactory(
        organisation=world.roros, role=MembershipRole.CONTACT, user__email="kontakt@roros.example.no"
    ).user
    garden_contact = MembershipFactory(
        organisation=world.garden, role=MembershipRole.CONTACT, user__email="kontakt@naeringshage.example.no"
    ).user

    # The secretariat opens the round from the list of rounds.
    secretariat = open_tab().page
    log_in(secretariat, world.users["secretariat_sor"].email)
    secretariat.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kartlegginger").click()
    secretariat.wait_for_url("**/kartlegging/")
    assert_accessible(secretariat, "mapping rounds, empty")
    secretariat.get_by_role("link", name="Åpne en kartlegging").click()
    secretariat.wait_for_url("**/kartlegging/ny/")
    assert secretariat.get_by_role("heading", level=1).inner_text() == "Åpne en kartlegging"
    invited = secretariat.get_by_role("group", name="Inviterte organisasjoner")
    # Municipalities, companies and business gardens are ticked from the start; departments and councils not.
    assert invited.get_by_label("Holtålen kommune (").is_checked()
    assert invited.get_by_label("Røros Sagbruk AS (").is_checked()
    assert not invited.get_by_label("Holtålen kommune, hjemmetjenesten (").is_checked()
    assert_accessible(secretariat, "open a mapping round")

    # Without a title and with a deadline in the past: the errors beside the fields and in the summary.
    secretariat.get_by_label("Frist").fill("01.01.2020")
    submit(secretariat, "Åpne kartleggingen")
    assert secretariat.evaluate("document.activeElement.classList.contains('ds-error-summary')")
    summary = secretariat.locator(".ds-error-summary")
    assert summary.locator("a[href='#id_title']").count() == 1
    assert summary.locator("a[href='#id_deadline']").count() == 1
    assert secretariat.get_by_label("Tittel", exact=True).get_attribute("aria-invalid") == "true"
    assert "id_deadline_error" in secretariat.get_by_label("Frist").get_attribute("aria-describedby")
    assert_accessible(secretariat, "open a mapping round, with errors")

    deadline = timezone.localdate() + datetime.timedelta(days=14)
    secretariat.get_by_label("Tittel", exact=True).fill(ROUND_TITLE)
    secretariat.get_by_label("Veiledning").fill("Registrer behov for etter- og videreutdanning.")
    secretariat.get_by_label("Frist").fill(deadline.strftime("%d.%m.%Y"))
    submit(secretariat, "Åpne kartleggingen")
    mapping_round = MappingRound.objects.get(title=ROUND_TITLE)
    assert secretariat.url.endswith(f"/kartlegging/{mapping_round.pk}/")
    assert secretariat.locator(".kb-messages [role=status]").count() == 1
    assert mapping_round.deadline == deadline
    assert set(RoundInvitation.objects.filter(round=mapping_round).values_list("organisation__name", flat=True)) == {
        "Holtålen kommune",
        "Røros kommune",
        "Rørosregionen Næringshage",
        "Røros Sagbruk AS",
    }
    assert_accessible(secretariat, "mapping round, just opened")
    round_url = secretariat.url

    # Holtålen's contact person registers a need in the round.
    holtalen = open_tab().page
    log_in(holtalen, world.users["holtalen_contact"].email)
    holtalen.goto("/kartlegging/")
    holtalen.get_by_role("link", name=ROUND_TITLE).click()
    holtalen.wait_for_url(round_url)
    assert_accessible(holtalen, "mapping round, invited organisation")
    holtalen.get_by_role("link", name="Registrer et behov i denne kartleggingen").click()
    holtalen.wait_for_url("**/behov/ny/")
    assert "Holtålen kommune" in holtalen.locator("main").inner_text()
    # A need in a round goes to the region: "the organisation only" is not offered.
    assert holtalen.locator("input[name=visibility][value=organisation]").count() == 0
    assert_accessible(holtalen, "register a need in a round")
    holtalen.get_by_label("Tittel", exact=True).fill(NEED_TITLE)
    holtalen.get_by_label("Beskrivelse", exact=True).fill("Tre ansatte trenger opplæring i velferdsteknologi.")
    holtalen.get_by_label("Fagområde").select_option(label="Helse og omsorg")
    holtalen.get_by_label("Antall personer").fill("3")
    submit(holtalen, "Registrer")
    assert holtalen.url == round_url
    assert NEED_TITLE in holtalen.locator(".kb-messages [role=status]").inner_text()
    assert holtalen.get_by_role("link", name=NEED_TITLE).count() == 1
    assert_accessible(holtalen, "mapping round after registering a need")

    # Røros answers that it has no needs this time.
    roros = open_tab().page
    log_in(roros, roros_contact.email)
    roros.goto(round_url)
    roros.get_by_label("Merknad (valgfritt)").fill("Vi tar det opp neste år.")
    submit(roros, "Vi har ingen behov denne gangen")
    assert "Røros kommune" in roros.locator(".kb-messages [role=status]").inner_text()
    assert roros.get_by_role("button", name="Vi har ingen behov denne gangen").count() == 0
    assert_accessible(roros, "mapping round after answering no needs")

    # Back at the secretariat: who has answered and who has not.
    secretariat.reload()
    answers = secretariat.get_by_role("table", name="Inviterte organisasjoner og svarene deres")
    rows = {
        row.locator("td").first.inner_text().strip(): row.locator("td").all_inner_texts()
        for row in answers.locator("tbody tr").all()
    }
    assert rows["Holtålen kommune"][3] == "1"
    assert rows["Røros kommune"][3] == "0" and rows["Røros kommune"][5] == "Vi tar det opp neste år."
    assert rows["Rørosregionen Næringshage"][2] == "Ikke ennå"
    assert rows["Røros Sagbruk AS"][2] == "Ikke ennå"
    assert "2 har svart, 2 ikke ennå." in secretariat.locator("main").inner_text()

    # Reminders go to those who have not answered: the business garden, for itself and its company.
    mail.outbox.clear()
    submit(secretariat, "Send påminnelse til dem som ikke har svart")
    assert "Påminnelser sendt til 2 organisasjoner." in secretariat.locator(".kb-messages").inner_text()
    assert sorted(message.to[0] for message in mail.outbox) == [garden_contact.email] * 2
    assert ROUND_TITLE in mail.outbox[0].subject
    assert mapping_round.get_absolute_url() in mail.outbox[0].body
    answers = secretariat.get_by_role("table", name="Inviterte organisasjoner og svarene deres")
    garden_row = answers.locator("tbody tr", has_text="Rørosregionen Næringshage")
    assert garden_row.locator("td").nth(4).inner_text().startswith("1")
    assert_accessible(secretariat, "mapping round after reminders")
    # The same day again: nobody is reminded twice.
    submit(secretariat, "Send påminnelse til dem som ikke har svart")
    assert secretariat.locator(".kb-messages [data-color=info]").count() == 1
    assert len(mail.outbox) == 2

    # Close the round: the need stays registered until the secretariat confirms it.
    secretariat.get_by_role("link", name="Avslutt kartleggingen").click()
    secretariat.wait_for_url("**/lukk/")
    assert_accessible(secretariat, "close the round")
    submit(secretariat, "Ja, avslutt kartleggingen")
    assert secretariat.url.endswith("/bekreft-behov/")
    assert "Bekreft de registrerte behovene" in secretariat.locator(".kb-messages").inner_text()
    mapping_round.refresh_from_db()
    assert mapping_round.status == "closed"
    need = mapping_round.round_needs.get().need
    assert need.status == NeedStatus.REGISTERED
    assert_accessible(secretariat, "confirm the round's needs")
    submit(secretariat, f"Bekreft {NEED_TITLE}")
    assert "1 behov er bekreftet som kvalitetssikret." in secretariat.locator(".kb-messages").inner_text()
    need.refresh_from_db()
    assert need.status == NeedStatus.QUALIFIED
    assert_accessible(secretariat, "confirm the round's needs, all confirmed")
    secretariat.get_by_role("link", name="Tilbake til runden").click()
    secretariat.wait_for_url(round_url)
    needs_table = secretariat.get_by_role("table", name="Behov registrert i kartleggingen")
    assert "Kvalitetssikret" in needs_table.locator("tbody tr", has_text=NEED_TITLE).inner_text()
    assert secretariat.get_by_role("button", name="Send påminnelse til dem som ikke har svart").count() == 0
    assert_accessible(secretariat, "mapping round, closed")

    # The export and the printable list for the forum.
    with secretariat.expect_download() as download:
        secretariat.get_by_role("link", name="Eksporter (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.failure() is None

    secretariat.get_by_role("link", name="Liste til forumet").click()
    secretariat.wait_for_url("**/saksliste/")
    main = secretariat.locator("main").inner_text()
    assert NEED_TITLE in main
    assert "Røros kommune (ingen behov)" in main
    assert secretariat.get_by_role("heading", name=f"1. {NEED_TITLE}").count() == 1
    assert_accessible(secretariat, "list for the forum")

    # The invited organisation can still see the closed round, but no longer answer.
    holtalen.goto(round_url)
    assert holtalen.get_by_role("link", name="Registrer et behov i denne kartleggingen").count() == 0


def test_region_overview_with_charts_and_tables(visit, world):
    NeedFactory.create_batch(2, organisation=world.holtalen, persons=4)
    NeedFactory(organisation=world.company, persons=2, level="fagbrev")
    page = visit.page
    log_in(page, world.users["secretariat_sor"].email)
    page.goto(world.region.get_absolute_url())
    page.get_by_role("link", name="Oversikt over behovene i regionen").click()
    page.wait_for_url("**/kartlegging/oversikt/trondelag-sor/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Behov i {world.region.name}"

    charts = page.locator("main svg[role=img]")
    assert charts.count() >= 2
    for chart in charts.all():
        # Every chart has a name and a text alternative naming its numbers; each has a table too.
        labelled_by = chart.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{ident}").count() == 1 for ident in labelled_by)
        assert page.locator(f"#{labelled_by[1]}").text_content().strip()
    municipality_table = page.get_by_role("table").filter(has=page.locator("tbody", has_text="Holtålen")).first
    assert "Holtålen" in municipality_table.inner_text()
    silent = page.locator("section[aria-labelledby=silent-heading]").inner_text()
    assert "Røros kommune" in silent and "Holtålen kommune" not in silent
    assert_accessible(page, "region overview")

    page.get_by_role("link", name="Vis behovene").click()
    page.wait_for_url("**/behov/?region=trondelag-sor")
    assert page.locator("#results tbody tr").count() == 3
    assert_accessible(page, "needs in the region")


def test_round_and_overview_on_a_small_screen(open_tab, world):
    """WCAG 1.4.10 Reflow: at 320 CSS pixels the page itself does not scroll sideways; tables scroll in a
    wrapper that the keyboard can reach."""
    secretariat = world.users["secretariat_sor"]
    mapping_round = mapping_services.round_open(
        actor=secretariat,
        region=world.region,
        title=ROUND_TITLE,
        description="",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        organisations=[world.holtalen, world.roros],
    )
    NeedFactory(organisation=world.holtalen)
    page = open_tab(viewport={"width": 320, "height": 640}).page
    log_in(page, secretariat.email)
    for path in [mapping_round.get_absolute_url(), f"/kartlegging/oversikt/{world.region.code}/"]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px too wide at 320px"
        assert_accessible(page, f"{path} at 320px")
