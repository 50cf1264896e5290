"""Absurd values are refused with a Norwegian message that says what is allowed (core/bounds.py), in forms,
services and the API; a cost far above its budget line is saved with a warning; and a wrong cost can be
corrected or deleted, with the project's history keeping what it was (issue 11 item 8)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kompetansebro.api.services import token_create
from kompetansebro.audit.models import AuditEntry
from kompetansebro.grants.models import GrantRound, GrantScheme, PriorityItem
from kompetansebro.grants.services import priorities
from kompetansebro.grants.services import schemes as scheme_services
from kompetansebro.offerings.services import offering_update
from kompetansebro.projects.models import ActualCost, FinancingKind, FinancingSource, ProjectGroup, ProjectStatus
from kompetansebro.projects.selectors_economy import line_state
from kompetansebro.projects.services import economy as services
from tests.factories import OfferingFactory
from tests.grant_factories import (
    BudgetLineFactory,
    GrantRoundFactory,
    GrantSchemeFactory,
    PriorityListFactory,
    ProjectFactory,
    ProjectMembershipFactory,
)

D = Decimal
ABSURD = D("99999999999")
TOO_MUCH = "Beløpet kan ikke være mer enn kr 1 000 000 000."
PERIOD = "Datoen må være innenfor prosjektperioden, 01.01.2025–31.12.2028."


@pytest.fixture(autouse=True)
def _bokmal():
    with translation.override("nb"):
        yield


@pytest.fixture
def project(world):
    """A 2025–2028 project of the council in Trøndelag Sør (its secretariat manages it) with a kr 15 000 line."""
    project = ProjectFactory(
        slug="utdanning-i-bedrift",
        owner=world.council,
        region=world.region,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
    )
    BudgetLineFactory(project=project, description="Reisevirksomhet", amount=D("15000"))
    return project


def line_of(project):
    return project.budget_lines.get()


def messages_of(error: ValidationError, field: str) -> list[str]:
    return [message.replace("\xa0", " ") for message in error.message_dict[field]]


def page(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def cost_data(project, **changes) -> dict:
    data = {
        "budget_line": line_of(project).pk,
        "incurred_on": "15.03.2026",
        "description": "Faktura 1043",
        "amount": "2 400",
    }
    return {**data, **changes}


# ---- each absurd value is refused -------------------------------------------------------------------------------


def test_a_cost_of_kr_99_999_999_999_is_refused(project):
    with pytest.raises(ValidationError) as error:
        services.cost_add(
            actor=None,
            budget_line=line_of(project),
            incurred_on=datetime.date(2026, 3, 1),
            description="X",
            amount=ABSURD,
        )
    assert messages_of(error.value, "amount") == [TOO_MUCH]
    assert not ActualCost.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(2020, 6, 1), datetime.date(2029, 2, 1)])
def test_costs_outside_the_project_period_are_refused(project, day):
    with pytest.raises(ValidationError) as error:
        services.cost_add(actor=None, budget_line=line_of(project), incurred_on=day, description="X", amount=D("100"))
    assert messages_of(error.value, "incurred_on") == [PERIOD]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "99 999 999 999"}, "amount", TOO_MUCH),
        ({"incurred_on": "01.06.2020"}, "incurred_on", PERIOD),
        ({"incurred_on": "01.02.2029"}, "incurred_on", PERIOD),
    ],
)
def test_the_cost_form_says_so_beside_the_field(client_for, project, changes, field, message):
    response = client_for("secretariat_sor").post(
        reverse("projects:cost_create", args=[project.slug]), cost_data(project, **changes)
    )
    assert response.status_code == 200
    errors = [text.replace("\xa0", " ") for text in response.context["form"].errors[field]]
    assert errors == [message]
    assert not ActualCost.objects.exists()


def test_an_hourly_rate_of_kr_0_is_refused_for_in_kind_hours(client_for, project):
    with pytest.raises(ValidationError) as error:
        services.financing_add(
            actor=None,
            project=project,
            kind=FinancingKind.IN_KIND,
            description="Timer",
            hours=D("200"),
            hourly_rate=D("0"),
        )
    assert messages_of(error.value, "hourly_rate") == ["Timesatsen må være mer enn kr 0."]
    response = client_for("secretariat_sor").post(
        reverse("projects:financing_edit", args=[project.slug]),
        {"kind": "in_kind", "description": "Timer", "hours": "200", "hourly_rate": "0"},
    )
    assert response.context["form"].errors["hourly_rate"] == ["Timesatsen må være mer enn kr 0."]
    assert not FinancingSource.objects.exists()


def test_an_hourly_rate_of_kr_0_is_refused_for_a_scheme(world):
    with pytest.raises(ValidationError) as error:
        scheme_services.scheme_create(
            actor=None,
            name="Ordning",
            slug="ordning",
            owner=world.council,
            in_kind_counts=True,
            in_kind_hourly_rate=D("0"),
        )
    assert messages_of(error.value, "in_kind_hourly_rate") == ["Timesatsen må være mer enn kr 0."]
    assert not GrantScheme.objects.exists()


def test_absurd_budget_lines_frames_and_hours_are_refused(world, project):
    with pytest.raises(ValidationError) as error:
        services.budget_line_add(actor=None, project=project, category="travel", amount=ABSURD)
    assert messages_of(error.value, "amount") == [TOO_MUCH]
    with pytest.raises(ValidationError) as error:
        services.financing_add(
            actor=None, project=project, kind=FinancingKind.IN_KIND, description="Timer", hours=D("9999999")
        )
    assert messages_of(error.value, "hours") == ["Antall timer kan ikke være mer enn 100 000."]
    scheme = GrantSchemeFactory(owner=world.council)
    with pytest.raises(ValidationError) as error:
        scheme_services.round_create(actor=None, scheme=scheme, name="DEKOM 2027", year=2027, frame=ABSURD)
    assert messages_of(error.value, "frame") == [TOO_MUCH]
    assert not GrantRound.objects.exists()


def test_a_priority_list_cannot_ask_for_more_than_the_frame(world):
    priority_list = PriorityListFactory(round=GrantRoundFactory(frame=D("3000000")), submitter=world.holtalen)

    def save(*amounts):
        items = [
            priorities.ItemInput(rank=rank, theme=f"Tema {rank}", applicant=world.holtalen, amount=D(amount))
            for rank, amount in enumerate(amounts, start=1)
        ]
        with pytest.raises(ValidationError) as error:
            priorities.priority_list_save(
                actor=None, priority_list=priority_list, expected_version=priority_list.version, note="", items=items
            )
        return messages_of(error.value, "items")

    assert save("100000", "999999999") == [
        "Prioritet 2: kr 999 999 999 er mer enn hele rammen til runden, kr 3 000 000."
    ]
    assert save("2000000", "1500000") == ["Til sammen: kr 3 500 000 er mer enn hele rammen til runden, kr 3 000 000."]
    assert not PriorityItem.objects.exists()


def test_an_absurd_price_is_refused_through_the_api(world):
    offering = OfferingFactory(provider=world.ntnu)
    _token, secret = token_create(actor=world.users["ntnu_admin"], user=world.users["ntnu_admin"], name="test")
    response = Client().patch(
        f"/api/v1/offerings/{offering.pk}",
        json.dumps({"version": offering.version, "price": "99999999999.00"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422, response.content
    assert [text.replace("\xa0", " ") for text in response.json()["errors"]["price"]] == [TOO_MUCH]
    with pytest.raises(ValidationError):
        offering_update(
            actor=world.users["ntnu_admin"],
            offering=offering,
            data={"price": ABSURD},
            expected_version=offering.version,
        )


# ---- a warning, not a refusal -----------------------------------------------------------------------------------


def test_a_cost_far_above_its_budget_line_is_saved_with_a_warning(client_for, project):
    response = client_for("secretariat_sor").post(
        reverse("projects:cost_create", args=[project.slug]), cost_data(project, amount="150 000")
    )
    assert response.status_code == 302
    assert ActualCost.objects.get().amount == D("150000")
    warnings = [str(m).replace("\xa0", " ") for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "Kostnaden på kr 150 000 er mer enn 3 ganger budsjettpostens kr 15 000. "
        "Sjekk beløpet: du kan rette eller slette kostnaden i listen over kostnader."
    ]


def test_a_cost_within_its_budget_line_gives_no_warning(client_for, project):
    response = client_for("secretariat_sor").post(
        reverse("projects:cost_create", args=[project.slug]), cost_data(project)
    )
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


# ---- correcting and deleting a cost ------------------------------------------------------------------------------


def a_cost(project, amount="1500000") -> ActualCost:
    return ActualCost.objects.create(
        budget_line=line_of(project),
        incurred_on=datetime.date(2026, 3, 15),
        description="Faktura 1043",
        amount=D(amount),
    )


def entries(project, action):
    return list(AuditEntry.objects.filter(object_id=str(project.pk), action=action))


def test_a_cost_is_corrected_on_its_page_with_the_old_value_in_the_history(client_for, project):
    cost = a_cost(project)
    client = client_for("secretariat_sor")
    url = reverse("projects:cost_edit", args=[project.slug, cost.pk])
    form_page = page(client.get(url))
    assert 'value="1 500 000"' in form_page and 'value="15.03.2026"' in form_page
    response = client.post(url, cost_data(project, amount="15 000", version=line_state(cost, services.COST_FIELDS)))
    assert response.status_code == 302
    cost.refresh_from_db()
    assert cost.amount == D("15000")
    [entry] = entries(project, "projects.cost.changed")
    assert entry.actor.email == "sekretariat@example.no"
    [(key, change)] = entry.changes.items()
    assert key == f"cost.{cost.pk}.amount" and change["old"] == "1500000.00" and change["new"] == "15000.00"
    history = page(client.get(reverse("projects:history", args=[project.slug])))
    assert "Påløpt kostnad rettet" in history


def test_a_cost_is_deleted_after_asking_and_the_history_keeps_it(client_for, project):
    cost = a_cost(project)
    client = client_for("secretariat_sor")
    url = reverse("projects:cost_delete", args=[project.slug, cost.pk])
    question = page(client.get(url))
    assert "Slette kostnaden «Faktura 1043» på kr 1 500 000 datert 15.03.2026" in question
    assert not entries(project, "projects.cost.removed")  # nothing happens on GET
    response = client.post(url, {"state": line_state(cost, services.COST_FIELDS)})
    assert response.status_code == 302
    assert not ActualCost.objects.exists()
    [entry] = entries(project, "projects.cost.removed")
    assert entry.data["amount"] == "1500000.00" and entry.data["description"] == "Faktura 1043"
    assert "Påløpt kostnad slettet" in page(client.get(reverse("projects:history", args=[project.slug])))


def test_the_cost_list_links_to_correct_and_delete_for_managers_only(client_for, project, world):
    cost = a_cost(project)
    edit_url = reverse("projects:cost_edit", args=[project.slug, cost.pk])
    list_url = reverse("projects:cost_list", args=[project.slug])
    assert edit_url in page(client_for("secretariat_sor").get(list_url))
    ProjectMembershipFactory(project=project, person=world.users["holtalen_contact"], group=ProjectGroup.STEERING)
    viewer = client_for("holtalen_contact")  # sits in the steering group: sees the project, does not manage it
    assert viewer.get(list_url).status_code == 200 and edit_url not in page(viewer.get(list_url))
    assert viewer.post(edit_url, cost_data(project)).status_code == 403
    assert viewer.post(reverse("projects:cost_delete", args=[project.slug, cost.pk])).status_code == 403
    assert ActualCost.objects.filter(pk=cost.pk, amount=D("1500000")).exists()


def test_a_cost_changed_by_someone_else_meanwhile_is_not_overwritten(client_for, project):
    cost = a_cost(project)
    opened = line_state(cost, services.COST_FIELDS)
    services.cost_change(actor=None, cost=cost, data={"amount": D("1400")}, expected_state=opened)
    client = client_for("secretariat_sor")
    response = client.post(
        reverse("projects:cost_edit", args=[project.slug, cost.pk]), cost_data(project, amount="1 500", version=opened)
    )
    assert response.status_code == 200 and [d["label"] for d in response.context["conflict_differences"]] == [
        "Beløp (kr)"
    ]
    cost.refresh_from_db()
    assert cost.amount == D("1400")
    with pytest.raises(services.LineChangedError):
        services.cost_remove(actor=None, cost=cost, expected_state=opened)
    assert ActualCost.objects.filter(pk=cost.pk).exists()


def test_a_correction_is_held_to_the_same_bounds_and_a_closed_project_is_kept(project):
    cost = a_cost(project)
    state = line_state(cost, services.COST_FIELDS)
    with pytest.raises(ValidationError) as error:
        services.cost_change(
            actor=None, cost=cost, data={"incurred_on": datetime.date(2029, 1, 1)}, expected_state=state
        )
    assert messages_of(error.value, "incurred_on") == [PERIOD]
    project.status = ProjectStatus.CLOSED
    project.save()
    cost.budget_line.project = project
    with pytest.raises(ValidationError):
        services.cost_remove(actor=None, cost=cost, expected_state=state)
