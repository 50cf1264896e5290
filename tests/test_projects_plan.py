"""The project's plan: result goals (codes unique in the project), activities within the project's period on an
SVG timeline with a table, and risks scored probability × impact."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.projects import selectors
from kompetansebro.projects.models import Activity, ResultGoal, Risk
from kompetansebro.projects.services import plan
from kompetansebro.projects.services import projects as project_services
from tests.grant_factories import ProjectFactory
from tests.test_projects import d, project_in

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def project(world):
    return project_in(world, name="Utdanning i bedrift", starts_on=d("01.09.2020"), ends_on=d("30.06.2022"))


# ---- result goals -------------------------------------------------------------------------------------------


def test_result_goals_are_added_and_changed_with_codes_unique_in_the_project(world, client_for, project):
    client = client_for("secretariat_sor")
    url = reverse("projects:goal_create", args=[project.slug])
    data = {
        "code": "rm1",
        "text": "Tilpassede utdanningstilbud på arbeidsplassen",
        "planned_activities": "Kartlegge behov i bedriftene",
        "activities_done": "",
        "results": "",
    }
    assert client.post(url, data).status_code == 302
    goal = ResultGoal.objects.get(project=project)
    assert goal.code == "RM1"
    response = client.post(url, {**data, "code": "RM1"})
    assert response.context["form"].errors["code"] == [
        "The project already has a result goal RM1. Choose another code."
    ]
    # Another project may use the same code.
    plan.goal_create(actor=None, project=ProjectFactory(), code="RM1", text="Annet")
    second = plan.goal_create(actor=None, project=project, code="RM2", text="Flere fullfører")
    response = client.post(reverse("projects:goal_edit", args=[project.slug, second.pk]), {**data, "code": "Rm1"})
    assert "already has a result goal RM1" in response.context["form"].errors["code"][0]
    response = client.post(
        reverse("projects:goal_edit", args=[project.slug, goal.pk]),
        {**data, "code": "RM1", "activities_done": "Tre samlinger", "results": "20 deltakere"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.activities_done == "Tre samlinger" and goal.results == "20 deltakere"
    entry = AuditEntry.objects.get(action="projects.goal.changed")
    assert set(entry.changes) == {"activities_done", "results"}
    response = client.post(url, {**data, "code": "", "text": ""})
    assert response.context["form"].errors["code"] == ["Give the result goal a code, e.g. RM1."]


def test_goals_are_shown_in_code_order(project):
    for code in ("RM10", "RM2", "RM1"):
        plan.goal_create(actor=None, project=project, code=code, text=f"Mål {code}")
    assert [goal.code for goal in selectors.goals(project)] == ["RM1", "RM2", "RM10"]


# ---- activities ---------------------------------------------------------------------------------------------


def activity_data(project, **overrides):
    data = {
        "title": "Samlinger i nærmiljøet",
        "goal": "",
        "starts_on": "01.10.2020",
        "ends_on": "31.03.2021",
        "responsible_person": "",
        "responsible_organisation": "",
        "status": "planned",
    }
    return {**data, **overrides}


def test_activities_lie_within_the_projects_period_with_a_clear_message(world, client_for, project):
    client = client_for("secretariat_sor")
    goal = plan.goal_create(actor=None, project=project, code="RM1", text="Mål")
    url = reverse("projects:activity_create", args=[project.slug])
    form = client.get(url + f"?goal={goal.pk}").context["form"]
    assert form.initial["goal"] == goal.pk
    assert "The project runs 01.09.2020–30.06.2022." in form.fields["starts_on"].help_text
    response = client.post(
        url,
        activity_data(
            project,
            goal=goal.pk,
            responsible_person="admin@ntnu.example.no",
            responsible_organisation=world.ntnu.pk,
            status="ongoing",
        ),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.goal == goal and activity.responsible_person == world.users["ntnu_admin"]
    assert activity.responsible_organisation == world.ntnu and activity.status == "ongoing"
    response = client.post(url, activity_data(project, starts_on="01.08.2020"))
    assert response.context["form"].errors["starts_on"] == [
        "The activity cannot start before the project does (the project runs 01.09.2020–30.06.2022)."
    ]
    response = client.post(url, activity_data(project, ends_on="01.07.2022"))
    assert response.context["form"].errors["ends_on"] == [
        "The activity cannot end after the project does (the project runs 01.09.2020–30.06.2022)."
    ]
    response = client.post(url, activity_data(project, starts_on="01.03.2021", ends_on="01.02.2021"))
    assert response.context["form"].errors["ends_on"] == ["The activity cannot end before it starts."]
    # A goal of another project is not a choice.
    foreign = plan.goal_create(actor=None, project=ProjectFactory(), code="RM1", text="Annet")
    response = client.post(url, activity_data(project, goal=foreign.pk))
    assert response.context["form"].errors["goal"] == ["Choose one of this project's result goals."]
    with pytest.raises(ValidationError) as error:
        plan.activity_create(
            actor=None, project=project, title="X", starts_on=d("01.10.2020"), ends_on=d("01.11.2020"), goal=foreign
        )
    assert "goal" in error.value.error_dict
    assert Activity.objects.count() == 1


def test_an_activity_is_changed_and_the_change_recorded(world, client_for, project):
    activity = plan.activity_create(
        actor=None, project=project, title="Kartlegging", starts_on=d("01.09.2020"), ends_on=d("30.11.2020")
    )
    client = client_for("secretariat_sor")
    url = reverse("projects:activity_edit", args=[project.slug, activity.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        activity_data(project, title="Kartlegging", starts_on="01.09.2020", ends_on="31.12.2020", status="done"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "done" and activity.ends_on == d("31.12.2020")
    entry = AuditEntry.objects.get(action="projects.activity.changed")
    assert set(entry.changes) == {"ends_on", "status"}


def test_without_a_project_period_any_period_is_allowed(world):
    project = ProjectFactory(starts_on=None, ends_on=None)
    activity = plan.activity_create(
        actor=None, project=project, title="Forprosjekt", starts_on=d("01.01.2019"), ends_on=d("31.12.2030")
    )
    assert activity.pk


def test_the_projects_period_cannot_be_shortened_past_its_activities(world, project):
    plan.activity_create(
        actor=None, project=project, title="Sluttkonferanse", starts_on=d("01.06.2022"), ends_on=d("30.06.2022")
    )
    with pytest.raises(ValidationError) as error:
        project_services.project_update(actor=None, project=project, expected_version=1, ends_on=d("31.12.2021"))
    assert (
        "“Sluttkonferanse” (01.06.2022–30.06.2022) lies outside this period" in error.value.message_dict["ends_on"][0]
    )


def test_the_timeline_draws_one_bar_per_activity_by_month_with_a_table(world, client_for, project):
    goal = plan.goal_create(actor=None, project=project, code="RM1", text="Mål")
    plan.activity_create(
        actor=None, project=project, title="Kartlegging", starts_on=d("01.09.2020"), ends_on=d("30.11.2020"), goal=goal
    )
    plan.activity_create(
        actor=None,
        project=project,
        title="Sluttrapport",
        starts_on=d("15.05.2022"),
        ends_on=d("30.06.2022"),
        status="cancelled",
    )
    rows = selectors.activities(project)
    chart = selectors.timeline(project, rows)
    assert len(chart.months) == 22  # September 2020 to June 2022
    assert chart.first == datetime.date(2020, 9, 1) and chart.last == datetime.date(2022, 6, 1)
    first, last = chart.bars
    assert first["label"] == "RM1 Kartlegging"
    column = (selectors.CHART_WIDTH - selectors.LABEL_WIDTH) / 22
    assert first["x"] == selectors.LABEL_WIDTH and first["width"] == round(3 * column - 2, 1)
    assert last["x"] == round(selectors.LABEL_WIDTH + 20 * column, 1)
    assert last["x"] + last["width"] <= selectors.CHART_WIDTH
    assert last["status"] == "cancelled"
    assert chart.height == selectors.AXIS_HEIGHT + 2 * selectors.ROW_HEIGHT + 8
    html = client_for("holtalen_contact").get(project.get_absolute_url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Activities by month from September 2020 to June 2022" in svg
    assert len(re.findall(r'class="kb-timeline__bar ', svg)) == 2
    assert 'style="' not in svg  # the Content-Security-Policy allows no inline styles
    assert '<caption id="activities-caption">Activities by period</caption>' in html
    assert "Kartlegging</th>" in html and "01.09.2020" in html and "Cancelled" in html


def test_no_activities_no_chart(world, client_for, project):
    html = client_for("holtalen_contact").get(project.get_absolute_url()).content.decode()
    assert "<svg" not in html and "No activities have been planned yet." in html
    assert selectors.timeline(project, []).is_empty


# ---- risks --------------------------------------------------------------------------------------------------


def test_risks_are_scored_and_sorted_and_deleted_into_the_history(world, client_for, project):
    client = client_for("secretariat_sor")
    url = reverse("projects:risk_create", args=[project.slug])
    data = {"description": "For få deltakere", "probability": "2", "impact": "3", "measure": "Rekruttere bredt"}
    assert client.post(url, data).status_code == 302
    assert (
        client.post(url, {**data, "description": "Tilbyder trekker seg", "probability": "4", "impact": "5"}).status_code
        == 302
    )
    response = client.post(url, {**data, "probability": "6"})
    assert "probability" in response.context["form"].errors
    rows = selectors.risks(project)
    assert [(risk.description, risk.score, risk.level) for risk in rows] == [
        ("Tilbyder trekker seg", 20, "high"),
        ("For få deltakere", 6, "low"),
    ]
    low = rows[1]
    response = client.post(
        reverse("projects:risk_edit", args=[project.slug, low.pk]), {**data, "probability": "3", "impact": "3"}
    )
    assert response.status_code == 302
    low.refresh_from_db()
    assert low.probability * low.impact == 9
    assert client.get(reverse("projects:risk_delete", args=[project.slug, low.pk])).status_code == 200
    assert client.post(reverse("projects:risk_delete", args=[project.slug, low.pk])).status_code == 302
    assert not Risk.objects.filter(pk=low.pk).exists()
    entry = AuditEntry.objects.get(action="projects.risk.deleted")
    assert entry.object_id == str(project.pk) and entry.changes["risk"]["old"] == "For få deltakere (3 × 3)"
    html = client.get(project.get_absolute_url()).content.decode()
    assert "20 (high)" in html and "Tilbyder trekker seg" in html


def test_a_risk_scores_one_to_five(project):
    with pytest.raises(ValidationError) as error:
        plan.risk_create(actor=None, project=project, description="", probability=0, impact=6)
    assert set(error.value.message_dict) == {"description", "probability", "impact"}


def test_the_charts_numbers_are_never_localised(world, project, settings):
    """Norwegian formats write 28,2; SVG lengths need 28.2, or the browser drops the bars."""
    from django.template.loader import render_to_string
    from django.utils import translation

    plan.activity_create(
        actor=None, project=project, title="Kartlegging", starts_on=d("01.09.2020"), ends_on=d("30.11.2020")
    )
    chart = selectors.timeline(project, selectors.activities(project))
    assert any(isinstance(bar["width"], float) and bar["width"] % 1 for bar in chart.bars)
    with translation.override("nb"):
        svg = render_to_string("projects/_timeline_chart.html", {"chart": chart, "timeline_description": ""})
    numbers = re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", number) for number in numbers), numbers
