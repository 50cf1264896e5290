"""The history stores field names and raw values, the same whoever edits in whichever language, and puts them
into words when shown, in the viewer's language (docs/data-formats.md, "The history")."""

import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from kompetansebro.accounts.models import User
from kompetansebro.audit.models import AuditEntry
from kompetansebro.audit.services import log_action
from kompetansebro.demo import forums as demo_forums
from kompetansebro.demo import grants as demo_grants
from kompetansebro.demo import trondelag_sor
from kompetansebro.grants.models import GrantRound
from kompetansebro.grants.services import priorities as priority_services
from kompetansebro.needs import services as need_services
from kompetansebro.projects.selectors_economy import line_state
from kompetansebro.projects.services import economy as economy_services
from tests.factories import NeedFactory
from tests.grant_factories import BudgetLineFactory, GrantSchemeFactory, ProjectFactory
from tests.test_grants_priorities import list_for, round_in, rows

pytestmark = pytest.mark.django_db


def change_need(world, language: str):
    need = NeedFactory(organisation=world.holtalen, urgency="medium")
    with translation.override(language):
        need_services.need_update(
            actor=world.users["holtalen_admin"],
            need=need,
            data={"urgency": "high", "wanted_start": "2026-11-22", "persons": 4},
            expected_version=need.version,
        )
        need_services.need_change_status(
            actor=world.users["holtalen_admin"], need=need, to_status="qualified", reason="Vi har snakket med NTNU"
        )
    return need


def entries_of(need) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_id=str(need.pk), action__startswith="needs.need.").order_by("id"))


def test_the_same_change_by_a_norwegian_and_an_english_editor_is_stored_alike(world):
    norwegian = [entry.changes for entry in entries_of(change_need(world, "nb"))]
    english = [entry.changes for entry in entries_of(change_need(world, "en"))]
    assert norwegian == english
    changed = norwegian[0]
    assert changed["urgency"] == {"old": "medium", "new": "high", "model": "needs.competenceneed"}
    assert changed["wanted_start"]["new"] == "2026-11-22"
    assert norwegian[1]["status"]["old"] == "registered" and norwegian[1]["status"]["new"] == "qualified"


def test_stored_changes_hold_no_translated_text(world):
    need = change_need(world, "nb")
    stored = json.dumps([entry.changes for entry in entries_of(need)], ensure_ascii=False).lower()
    for translated in (
        "haster",
        "innen et år",
        "hastegrad",
        "ønsket oppstart",
        "kvalitetssikret",
        "registrert",
        "begrunnelse",
    ):
        assert translated not in stored


def test_changes_are_shown_in_the_viewers_language(world):
    need = change_need(world, "en")
    entry = entries_of(need)[0]
    with translation.override("nb"):
        shown = {row.label: (row.old, row.new) for row in entry.change_rows}
        assert shown["Hastegrad"] == ("Innen et år", "Haster")
        assert shown["Ønsket oppstart"] == ("–", "22.11.2026")
    with translation.override("en"):
        shown = {row.label: (row.old, row.new) for row in entry.change_rows}
        assert shown["Urgency"] == ("Within a year", "Urgent")
        assert shown["Wanted start"] == ("–", "22.11.2026")


def test_the_history_page_shows_the_viewers_language(world, client_for):
    need = change_need(world, "en")
    response = client_for("holtalen_admin").get(reverse("needs:history", args=[need.pk]))
    assert response.status_code == 200
    assert "Haster" in response.content.decode() and "Urgent" not in response.content.decode()


def test_money_booleans_and_labels_are_put_into_words_when_shown(world):
    grant_round = round_in(world)
    entry = log_action(
        actor=None,
        action="grants.round.changed",
        target=grant_round,
        changes={
            "frame": {"old": "3000000.00", "new": "690000.50", "model": "grants.grantround"},
            "frame_to_be_adjusted": {"old": False, "new": True},
            "wheel_step": {"old": None, "new": "Frist for prioriteringer", "label": "step of the annual wheel"},
            "note": {"old": None, "new": "Ny", "object": "Lesing", "label": "note"},
        },
    )
    with translation.override("nb"):
        assert entry.change_rows == [
            ("Ramme (kr)", "kr\xa03\xa0000\xa0000", "kr\xa0690\xa0000,50"),
            ("Rammen skal justeres", "Nei", "Ja"),
            ("Steg i årshjulet", "–", "Frist for prioriteringer"),
            ("Lesing – Merknad", "–", "Ny"),
        ]


def test_a_list_of_choice_values_is_shown_by_their_labels(world):
    scheme = GrantSchemeFactory(owner=world.council)
    entry = log_action(
        actor=None,
        action="grants.scheme.changed",
        target=scheme,
        changes={"eligible_kinds": {"old": [], "new": ["company", "municipality"], "model": "grants.grantscheme"}},
    )
    with translation.override("nb"):
        assert entry.change_rows == [("Typer organisasjoner som kan få tilskudd", "–", "Bedrift, Kommune")]


def test_a_budget_line_named_by_its_category_is_stored_in_english_and_shown_translated(world):
    line = BudgetLineFactory(project=ProjectFactory(owner=world.council), category="travel", description="")
    with translation.override("nb"):
        economy_services.budget_line_change(
            actor=world.users["secretariat_sor"],
            line=line,
            data={"amount": Decimal("20000")},
            expected_state=line_state(line, economy_services.BUDGET_FIELDS),
        )
    entry = AuditEntry.objects.get(action="projects.budget.line_changed")
    change = entry.changes[f"budget_line.{line.pk}.amount"]
    assert change["object"] == "travel" and change["new"] == "20000.00"
    with translation.override("nb"):
        assert entry.change_rows[0].label == "Reiser – Budsjett (kr)"
        assert entry.change_rows[0].new == "kr\xa020\xa0000"
    with translation.override("en"):
        assert entry.change_rows[0].label == "Travel – Budget (NOK)"


def test_an_entry_in_the_old_format_still_renders(world, client_for):
    """Entries written before the format changed hold labels and values translated for their editor."""
    need = NeedFactory(organisation=world.holtalen)
    AuditEntry.objects.create(
        action="needs.need.changed",
        content_type=ContentType.objects.get_for_model(need),
        object_id=str(need.pk),
        object_repr=str(need),
        changes={
            "urgency": {"label": "hastegrad", "old": "innen et år", "new": "haster"},
            "wanted_start": {"label": "ønsket oppstart", "old": None, "new": "2026-11-22"},
            "tags": {"label": "stikkord", "old": [], "new": ["helse", "omsorg"]},
        },
    )
    entry = AuditEntry.objects.get(object_id=str(need.pk))
    with translation.override("nb"):
        assert entry.change_rows == [  # in the model's order, whatever order the database keeps the keys in
            ("Ønsket oppstart", "–", "22.11.2026"),
            ("Hastegrad", "innen et år", "haster"),
            ("Stikkord", "–", "helse, omsorg"),
        ]
    response = client_for("holtalen_admin").get(reverse("needs:history", args=[need.pk]))
    assert response.status_code == 200 and "helse, omsorg" in response.content.decode()


def test_a_changed_field_named_items_renders_on_the_round_history(world, client_for):
    """A change keyed "items" once shadowed the dictionary's .items in the template: a 500."""
    grant_round = round_in(world)
    priority_list = list_for(world, grant_round=grant_round, items=[("Lesing", "100000")])
    first = priority_list.items.get()
    priority_services.priority_list_save(
        actor=world.users["holtalen_contact"],
        priority_list=priority_list,
        expected_version=priority_list.version,
        note="",
        items=rows(world, (1, "Lesing", "120000", first.pk)),
    )
    entry = AuditEntry.objects.get(action="grants.priority_list.changed")
    assert entry.changes["items"]["label"] == "priorities"
    log_action(actor=None, action="grants.round.changed", target=grant_round, changes={"items": {"old": 1, "new": 2}})
    response = client_for("secretariat_sor").get(reverse("grants:round_history", args=[grant_round.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "1. Lesing – Holtålen kommune – kr\xa0120\xa0000" in content and "Prioriteringer" in content


def test_the_demos_round_histories_answer(client):
    """The untouched demo: the DEKOM rounds' history pages (their priority lists changed "items")."""
    trondelag_sor.load_trondelag_sor()
    demo_forums.load_forums()
    demo_grants.load_grants()
    client.force_login(User.objects.get(email=demo_grants.STATE_GOVERNOR))
    assert AuditEntry.objects.filter(changes__has_key="items").exists()
    for grant_round in GrantRound.objects.filter(scheme__slug=demo_grants.DEKOM_SCHEME):
        assert client.get(reverse("grants:round_history", args=[grant_round.pk])).status_code == 200
