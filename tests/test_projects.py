"""Projects: creating (also from a development request or a group of needs), the list and its filters, the
project page, changing with versions, groups, history, closing, and deleting (refused when payments exist)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.development.models import DevelopmentRequest
from kompetansebro.grants.models import Allocation, Payment
from kompetansebro.projects import selectors
from kompetansebro.projects.models import (
    Activity,
    ActualCost,
    BudgetLine,
    FinancingSource,
    Project,
    ProjectGroup,
    ProjectMembership,
    ProjectStatus,
    ResultGoal,
    Risk,
)
from kompetansebro.projects.services import plan
from kompetansebro.projects.services import projects as services
from tests.factories import NeedFactory, UserFactory
from tests.grant_factories import (
    AllocationFactory,
    GrantSchemeFactory,
    ProjectFactory,
    ProjectMembershipFactory,
)

pytestmark = pytest.mark.usefixtures("english")


def project_in(world, **kwargs) -> Project:
    """A project of the Trøndelag Sør council in the Trøndelag Sør region, with Holtålen's contact person in
    its steering group."""
    kwargs.setdefault("owner", world.council)
    kwargs.setdefault("region", world.region)
    project = ProjectFactory(**kwargs)
    ProjectMembershipFactory(
        project=project, person=world.users["holtalen_contact"], organisation=world.holtalen, role="medlem"
    )
    return project


def d(text: str) -> datetime.date:
    day, month, year = (int(part) for part in text.split("."))
    return datetime.date(year, month, day)


# ---- create -----------------------------------------------------------------------------------------------


def test_create_a_project_in_the_browser_makes_its_short_name_and_records_it(world, client_for):
    scheme = GrantSchemeFactory(name="Kompetansepiloter")
    client = client_for("secretariat_sor")
    response = client.post(
        reverse("projects:create"),
        {
            "name": "Utdanning i bedrift med desentraliserte utdanningsprogram",
            "slug": "",
            "owner": world.council.pk,
            "leader": "kontakt@holtalen.example.no",
            "region": world.region.pk,
            "scheme": scheme.pk,
            "status": "active",
            "starts_on": "01.09.2020",
            "ends_on": "30.06.2022",
            "overall_goal": "Flere voksne tar utdanning der de bor.",
            "description": "",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.slug == "utdanning-i-bedrift-med-desentraliserte-utdanningsprogram"
    assert project.leader == world.users["holtalen_contact"]
    assert project.scheme == scheme and project.starts_on == datetime.date(2020, 9, 1)
    entry = AuditEntry.objects.get(action="projects.project.created")
    assert entry.actor == world.users["secretariat_sor"]
    assert entry.changes["name"]["new"] == project.name
    # The same name again gets the next free short name.
    again = services.project_create(actor=None, name=project.name, owner=world.council)
    assert again.slug == f"{project.slug}-2"


def test_the_form_explains_what_is_wrong(world, client_for):
    client = client_for("secretariat_sor")
    response = client.post(
        reverse("projects:create"),
        {"name": "", "owner": "", "status": "planned", "leader": "finnes.ikke@example.no", "starts_on": "31.02.2020"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Give the project a name."]
    assert errors["owner"] == ["Choose the organisation that owns the project."]
    assert "Nobody with this e-mail address has an account" in errors["leader"][0]
    assert errors["starts_on"] == ["Write the date as dd.mm.yyyy, e.g. 20.03.2027."]
    assert b"ds-error-summary" in response.content
    response = client.post(
        reverse("projects:create"),
        {
            "name": "X",
            "owner": world.council.pk,
            "status": "planned",
            "starts_on": "01.09.2021",
            "ends_on": "01.09.2020",
        },
    )
    assert response.context["form"].errors["ends_on"] == ["The project cannot end before it starts."]
    response = client.post(
        reverse("projects:create"), {"name": "X", "slug": "ny", "owner": world.council.pk, "status": "planned"}
    )
    assert response.context["form"].errors["slug"] == ["This short name is reserved. Choose another."]


def test_owners_are_the_organisations_one_administers_or_those_of_ones_region(world, client_for):
    admin_form = client_for("holtalen_admin").get(reverse("projects:create")).context["form"]
    owners = set(admin_form.fields["owner"].queryset)
    assert world.holtalen in owners and world.homecare in owners
    assert world.council not in owners and world.oslo_company not in owners
    assert set(admin_form.fields["region"].queryset) >= {world.region}
    secretariat_form = client_for("secretariat_sor").get(reverse("projects:create")).context["form"]
    owners = set(secretariat_form.fields["owner"].queryset)
    assert {world.council, world.holtalen, world.roros, world.garden} <= owners
    assert world.oslo_company not in owners and world.ntnu not in owners
    # An organisation outside one's reach is refused beside the field.
    response = client_for("holtalen_admin").post(
        reverse("projects:create"), {"name": "Forsøk", "owner": world.council.pk, "status": "planned"}
    )
    assert response.context["form"].errors["owner"] == ["Choose an organisation from the list."]
    assert not Project.objects.exists()


def test_a_project_starts_from_a_development_request_the_person_sees(world, client_for):
    request = DevelopmentRequest.objects.create(
        region=world.region,
        title="Fagbrev i helsearbeiderfaget på arbeidsplassen",
        description="Kommunene i Gauldal trenger helsefagarbeidere.",
        answer_deadline=timezone.localdate(),
    )
    need = NeedFactory(organisation=world.holtalen)
    request.needs.add(need)
    client = client_for("secretariat_sor")
    url = reverse("projects:create") + f"?bestilling={request.pk}"
    page = client.get(url)
    form = page.context["form"]
    assert form.initial["name"] == request.title and form.initial["region"] == world.region.pk
    assert request.title.encode() in page.content
    response = client.post(
        url, {"name": request.title, "owner": world.council.pk, "region": world.region.pk, "status": "planned"}
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.development_request == request
    # Holtålen's administrator does not see the request: it is left out as if it did not exist.
    page = client_for("holtalen_admin").get(url)
    assert page.context["development_request"] is None and "name" not in page.context["form"].initial


def test_a_project_starts_from_a_group_of_needs_only_those_the_person_sees(world, client_for):
    first = NeedFactory(organisation=world.holtalen, title="Helsefagarbeidere i hjemmetjenesten")
    second = NeedFactory(organisation=world.roros, title="Sykepleiere med videreutdanning")
    hidden = NeedFactory(organisation=world.oslo_company, visibility="organisation", title="Hemmelig behov")
    client = client_for("secretariat_sor")
    url = reverse("projects:create") + f"?behov={first.pk}&behov={second.pk}&behov={hidden.pk}&behov=x"
    page = client.get(url)
    assert page.context["needs"] == [first, second]
    assert "Helsefagarbeidere i hjemmetjenesten" in page.context["form"].initial["description"]
    assert b"Hemmelig behov" not in page.content
    response = client.post(url, {"name": "Helse i Gauldal", "owner": world.council.pk, "status": "planned"})
    assert "could no longer manage the project" in response.context["form"].errors["region"][0]
    client.post(
        url, {"name": "Helse i Gauldal", "owner": world.council.pk, "region": world.region.pk, "status": "planned"}
    )
    project = Project.objects.get()
    assert set(project.needs.all()) == {first, second}
    # The project page lists only the linked needs the viewer may see.
    detail = client.get(project.get_absolute_url())
    assert detail.context["needs"] == [first, second]


# ---- list ---------------------------------------------------------------------------------------------------


def test_the_list_shows_the_projects_one_may_see_and_filters_them(world, client_for):
    scheme = GrantSchemeFactory(slug="kompetansepiloter")
    regional = project_in(world, name="Regionalt", scheme=scheme, status=ProjectStatus.ACTIVE)
    municipal = ProjectFactory(name="Holtålen", owner=world.holtalen, region=None)
    elsewhere = ProjectFactory(name="Oslo", owner=world.oslo_company, region=None)

    def names(persona, query=""):
        response = client_for(persona).get(reverse("projects:list") + query)
        return [project.name for project in response.context["projects"]]

    assert names("secretariat_sor") == ["Regionalt"]
    assert names("holtalen_contact") == ["Holtålen", "Regionalt"]
    assert names("holtalen_admin") == ["Holtålen"]
    assert names("outsider") == []
    assert names("county_observer") == []
    assert names("platform_admin") == ["Holtålen", "Oslo", "Regionalt"]
    assert names("platform_admin", "?status=active") == ["Regionalt"]
    assert names("platform_admin", "?scheme=kompetansepiloter") == ["Regionalt"]
    assert names("platform_admin", f"?region={world.region.code}") == ["Regionalt"]
    # Every project the list shows, the person may open.
    for persona in ("secretariat_sor", "holtalen_contact", "holtalen_admin"):
        client = client_for(persona)
        for project in (regional, municipal, elsewhere):
            listed = project.name in names(persona)
            assert (client.get(project.get_absolute_url()).status_code == 200) == listed
    partial = client_for("platform_admin").get(reverse("projects:list"), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Regionalt" in partial.content


# ---- the project page -----------------------------------------------------------------------------------------


def test_the_project_page_shows_the_project_its_groups_goals_activities_and_risks(world, client_for):
    project = project_in(world, name="Utdanning i bedrift", starts_on=d("01.09.2020"), ends_on=d("30.06.2022"))
    ProjectMembershipFactory(
        project=project, group=ProjectGroup.WORKING, person=world.users["ntnu_admin"], role="faglig ansvarlig"
    )
    ProjectMembershipFactory(
        project=project,
        group=ProjectGroup.REFERENCE,
        person=UserFactory(full_name="Tidligere Medlem"),
        starts_on=d("01.09.2020"),
        ends_on=d("31.12.2020"),
    )
    goal = ResultGoal.objects.create(
        project=project, code="RM1", text="Tilbud på arbeidsplassen", planned_activities="Kartlegge"
    )
    Activity.objects.create(
        project=project, goal=goal, title="Kartlegge behov", starts_on=d("01.09.2020"), ends_on=d("30.11.2020")
    )
    Risk.objects.create(
        project=project, description="For få deltakere", probability=4, impact=4, measure="Rekruttere bredt"
    )
    response = client_for("holtalen_contact").get(project.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Utdanning i bedrift",
        "Trøndelag Sør-Interkommunalt politisk råd",
        "01.09.2020–30.06.2022",
        "Steering group",
        "Working group",
        "faglig ansvarlig",
        "1 former member",
        "Tidligere Medlem",
        "RM1: Tilbud på arbeidsplassen",
        "Kartlegge behov",
        "<svg",
        "Timeline of the activities",
        "For få deltakere",
        "16 (high)",
        "Rekruttere bredt",
    ):
        assert text in html, text
    # An insider who does not manage sees no buttons to change anything.
    assert reverse("projects:edit", args=[project.slug]) not in html
    assert reverse("projects:risk_create", args=[project.slug]) not in html
    manager_html = client_for("secretariat_sor").get(project.get_absolute_url()).content.decode()
    for name in ("edit", "delete", "member_add", "goal_create", "activity_create", "risk_create"):
        assert reverse(f"projects:{name}", args=[project.slug]) in manager_html, name


def _grow(world, project, size):
    goal = ResultGoal.objects.create(project=project, code=f"RM{size}", text="Mål")
    for n in range(size):
        person = UserFactory()
        ProjectMembershipFactory(project=project, person=person, organisation=world.roros, group=ProjectGroup.WORKING)
        Activity.objects.create(
            project=project,
            goal=goal,
            title=f"Aktivitet {size}-{n}",
            starts_on=project.starts_on,
            ends_on=project.starts_on + datetime.timedelta(days=40),
            responsible_person=person,
            responsible_organisation=world.roros,
        )
        Risk.objects.create(project=project, description=f"Risiko {n}", probability=2, impact=3)
        project.needs.add(NeedFactory(organisation=world.holtalen))
        ProjectFactory(owner=world.council, region=world.region)


@pytest.mark.parametrize("persona", ["holtalen_contact", "secretariat_sor"])
def test_project_pages_query_counts_do_not_grow(world, client_for, django_assert_max_num_queries, persona):
    project = project_in(world)
    client = client_for(persona)
    urls = [reverse("projects:list"), project.get_absolute_url(), reverse("projects:history", args=[project.slug])]
    counts = {url: [] for url in urls}
    for size in (1, 6):
        _grow(world, project, size)
        for url in urls:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[url].append(len(queries))
    for url, (small, large) in counts.items():
        assert large <= small, (url, small, large)
    with django_assert_max_num_queries(25):
        client.get(project.get_absolute_url())


# ---- edit, history ------------------------------------------------------------------------------------------


def test_a_change_made_meanwhile_is_shown_beside_ones_own(world, client_for):
    project = project_in(world, name="Før")
    client = client_for("secretariat_sor")
    form = client.get(reverse("projects:edit", args=[project.slug])).context["form"]
    assert form.initial["leader"] == project.leader.email
    services.project_update(actor=None, project=project, expected_version=1, name="Endret av en annen")
    data = {
        "version": 1,
        "name": "Mitt navn",
        "slug": project.slug,
        "owner": world.council.pk,
        "leader": project.leader.email,
        "region": world.region.pk,
        "status": "active",
        "starts_on": project.starts_on.strftime("%d.%m.%Y"),
        "ends_on": project.ends_on.strftime("%d.%m.%Y"),
    }
    response = client.post(reverse("projects:edit", args=[project.slug]), data)
    assert response.status_code == 200
    assert b"Someone else saved this while you were editing" in response.content
    assert {"label": "Name", "saved": "Endret av en annen", "yours": "Mitt navn"} in response.context[
        "conflict_differences"
    ]
    # Saving again keeps this editor's values.
    response = client.post(reverse("projects:edit", args=[project.slug]), {**data, "version": 2})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Mitt navn" and project.status == "active" and project.version == 3
    with pytest.raises(ConcurrentEditError):
        services.project_update(actor=None, project=project, expected_version=1, name="Gammel")


def test_the_history_shows_the_project_and_its_parts(world, client_for):
    project = project_in(world)
    actor = world.users["secretariat_sor"]
    services.project_update(actor=actor, project=project, expected_version=1, name="Nytt navn")
    goal = plan.goal_create(actor=actor, project=project, code="rm1", text="Flere fagbrev")
    plan.activity_create(
        actor=actor, project=project, title="Samling", starts_on=project.starts_on, ends_on=project.starts_on, goal=goal
    )
    risk = plan.risk_create(actor=actor, project=project, description="Frafall", probability=2, impact=5)
    plan.risk_delete(actor=actor, risk=risk)
    services.membership_add(
        actor=actor,
        project=project,
        group=ProjectGroup.REFERENCE,
        person=world.users["ntnu_admin"],
        starts_on=timezone.localdate(),
    )
    other = project_in(world)
    plan.goal_create(actor=actor, project=other, code="RM9", text="Et annet prosjekt")
    response = client_for("holtalen_contact").get(reverse("projects:history", args=[project.slug]))
    actions = [entry.action for entry in response.context["entries"]]
    assert actions == [
        "projects.membership.added",
        "projects.risk.deleted",
        "projects.risk.created",
        "projects.activity.created",
        "projects.goal.created",
        "projects.project.changed",
    ]


# ---- groups -------------------------------------------------------------------------------------------------


def test_group_members_are_added_and_ended_never_deleted(world, client_for):
    project = project_in(world)
    client = client_for("secretariat_sor")
    url = reverse("projects:member_add", args=[project.slug])
    found = client.get(url + "?q=holtalen")
    assert world.users["holtalen_admin"] in list(found.context["people"])
    data = {
        "group": "working",
        "person": "admin@holtalen.example.no",
        "organisation": world.holtalen.pk,
        "role": "prosjektmedarbeider",
        "starts_on": timezone.localdate().strftime("%d.%m.%Y"),
    }
    assert client.post(url, data).status_code == 302
    seat = ProjectMembership.objects.get(project=project, person=world.users["holtalen_admin"])
    assert seat.group == "working" and seat.role == "prosjektmedarbeider"
    # The same person twice in the same group and period is refused beside the field.
    response = client.post(url, data)
    assert "already has a seat in the working group" in response.context["form"].errors["person"][0]
    # …but may sit in another group.
    assert client.post(url, {**data, "group": "reference"}).status_code == 302
    # The newly seated person now sees the project.
    assert client_for("holtalen_admin").get(project.get_absolute_url()).status_code == 200
    today = timezone.localdate()
    response = client.post(
        reverse("projects:member_end", args=[project.slug, seat.pk]), {"ends_on": today.strftime("%d.%m.%Y")}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on == today
    entry = AuditEntry.objects.filter(action="projects.membership.ended").get()
    assert entry.object_id == str(project.pk)
    response = client.post(
        reverse("projects:member_end", args=[project.slug, seat.pk]),
        {"ends_on": (seat.starts_on - datetime.timedelta(days=1)).strftime("%d.%m.%Y")},
        follow=True,
    )
    assert b"The seat cannot end before it starts." in response.content
    assert ProjectMembership.objects.filter(pk=seat.pk).exists()


# ---- close, delete ------------------------------------------------------------------------------------------


def test_closing_is_allowed_at_any_time(world, client_for):
    project = project_in(world, status=ProjectStatus.ACTIVE)
    allocation = AllocationFactory(project=project, recipient=world.council)
    Payment.objects.create(allocation=allocation, amount=Decimal("50000"), status="paid", paid_on=timezone.localdate())
    client = client_for("secretariat_sor")
    response = client.post(reverse("projects:close", args=[project.slug]), follow=True)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED and project.version == 2
    assert b"is closed" in response.content
    assert AuditEntry.objects.filter(action="projects.project.closed", object_id=str(project.pk)).exists()
    response = client.post(reverse("projects:close", args=[project.slug]), follow=True)
    assert b"The project is already closed." in response.content


def test_deleting_a_project_with_payments_is_refused_and_closing_offered(world, client_for):
    project = project_in(world)
    allocation = AllocationFactory(project=project, recipient=world.council)
    Payment.objects.create(allocation=allocation, amount=Decimal("1000"))  # only planned
    client = client_for("secretariat_sor")
    page = client.get(reverse("projects:delete", args=[project.slug]))
    assert page.context["has_payments"]
    assert reverse("projects:close", args=[project.slug]).encode() in page.content
    response = client.post(reverse("projects:delete", args=[project.slug]))
    assert response.status_code == 200
    assert b"The project cannot be deleted: payments have been recorded on its grants." in response.content
    assert b"Close the project instead" in response.content
    assert Project.objects.filter(pk=project.pk).exists()
    with pytest.raises(ValidationError):
        services.project_delete(actor=None, project=project)


def test_a_grant_financing_the_project_with_payments_also_stops_deletion(world):
    """The grant line of the financing plan links the allocation (Allocation.project may be empty)."""
    project = project_in(world)
    allocation = AllocationFactory(recipient=world.council)
    FinancingSource.objects.create(
        project=project, kind="grant", description="Tilskudd", allocation=allocation, amount=Decimal("1000")
    )
    assert not selectors.has_payments(project)
    Payment.objects.create(allocation=allocation, amount=Decimal("1000"))
    assert selectors.has_payments(project)
    with pytest.raises(ValidationError):
        services.project_delete(actor=None, project=project)
    assert Project.objects.filter(pk=project.pk).exists()


def test_deleting_a_project_without_payments_removes_it_and_its_parts(world, client_for):
    project = project_in(world)
    allocation = AllocationFactory(project=project, recipient=world.council)
    goal = ResultGoal.objects.create(project=project, code="RM1", text="Mål")
    Activity.objects.create(
        project=project, goal=goal, title="A", starts_on=project.starts_on, ends_on=project.starts_on
    )
    line = BudgetLine.objects.create(project=project, category="travel", amount=Decimal("10000"))
    ActualCost.objects.create(
        budget_line=line, incurred_on=timezone.localdate(), description="Reise", amount=Decimal("900")
    )
    client = client_for("secretariat_sor")
    response = client.post(reverse("projects:delete", args=[project.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("projects:list")
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not ActualCost.objects.exists() and not ResultGoal.objects.exists()
    # The allocation stays (the grant was decided), no longer linked to a project.
    allocation.refresh_from_db()
    assert allocation.project is None and Allocation.objects.count() == 1
    entry = AuditEntry.objects.get(action="projects.project.deleted")
    assert entry.object_id == str(project.pk) and entry.actor == world.users["secretariat_sor"]


def test_admin_is_read_only(world, client_for):
    project = project_in(world)
    client = client_for("platform_admin")
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 200
    assert client.get(reverse("admin:projects_project_add")).status_code == 403
    assert client.get(reverse("admin:projects_activity_changelist")).status_code == 200
