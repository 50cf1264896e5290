"""Two people edit the same thing: each field is merged against the version the form was opened at. A field
only the other person changed keeps their value, a field only you changed keeps yours, and only a field both
changed to different values is put to you (issue 11 item 1)."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kompetansebro.development import services as development_services
from kompetansebro.forums.models import AgendaCase, Meeting
from kompetansebro.forums.services import cases as case_services
from kompetansebro.forums.services import meetings as meeting_services
from kompetansebro.grants.models import PriorityItem, PriorityList, ReportQuestion
from kompetansebro.grants.services import priorities as priority_services
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.projects.models import BudgetLine, StatusReport
from kompetansebro.projects.selectors_economy import line_state
from kompetansebro.projects.services import economy as economy_services
from kompetansebro.projects.services import reports as report_services
from tests.factories import NeedFactory, OfferingFactory
from tests.forum_factories import AgendaCaseFactory, MeetingFactory
from tests.grant_factories import (
    BudgetLineFactory,
    GrantRoundFactory,
    GrantSchemeFactory,
    PriorityItemFactory,
    PriorityListFactory,
    ProjectFactory,
)
from tests.test_api import bearer, make_need, make_offering, patch
from tests.test_development import answer_of, gap_need, in_days, sent
from tests.test_forums import forum_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class FormReader(HTMLParser):
    """What a browser would send for each form on a page, unchanged: {name: value or [values]}."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = self._textarea = None
        self._text = ""

    def _add(self, name, value, *, many=False):
        form = self.forms[-1]
        if many or name in form:
            previous = form.get(name, [])
            form[name] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            form[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif tag == "option" and self._select:
            name, many = self._select
            if "selected" in attrs:
                self._add(name, attrs.get("value", ""), many=many) if many else self.forms[-1].update(
                    {name: attrs.get("value", "")}
                )
        elif not self.forms or "name" not in attrs or "disabled" in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(attrs["name"], attrs.get("value", "on"), many=kind == "checkbox")
            elif kind not in ("submit", "button", "file"):
                self._add(attrs["name"], attrs.get("value", ""))
        elif tag == "select":
            self._select = (attrs["name"], "multiple" in attrs)
            self.forms[-1].setdefault(attrs["name"], [] if "multiple" in attrs else "")
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None


def opened_form(client, url, *, having="base") -> dict:
    """The edit form at `url` as the browser holds it when opened (the form with the field `having`)."""
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    return next(form for form in reader.forms if having in form)


def conflict_labels(response) -> list[str]:
    return [str(difference["label"]) for difference in response.context["conflict_differences"]]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# Needs: the case from the issue ----------------------------------------------------------------------------------


@pytest.fixture
def need(world):
    return NeedFactory(
        organisation=world.holtalen, title="Helsefagarbeidere", description="Fem assistenter.", persons=3
    )


def test_a_colleagues_change_to_another_field_is_kept_without_a_conflict(world, client_for, need):
    """Gunn changes persons 3→4; Siri, who opened the form before, changes urgency and description."""
    url = reverse("needs:update", args=[need.pk])
    gunn, siri = client_for("holtalen_contact"), client_for("secretariat_sor")
    gunns, siris = opened_form(gunn, url), opened_form(siri, url)
    assert gunn.post(url, {**gunns, "persons": "4"}).status_code == 302

    response = siri.post(url, {**siris, "urgency": "high", "description": "Fem assistenter, fagbrev."}, follow=True)

    assert "conflict" not in response.context
    need.refresh_from_db()
    assert (need.persons, need.urgency, need.description) == (4, "high", "Fem assistenter, fagbrev.")
    assert need.version == 3
    assert any("Number of persons" in message for message in messages_of(response))


def test_both_changing_the_same_field_asks_about_that_field_only(world, client_for, need):
    url = reverse("needs:update", args=[need.pk])
    gunn, siri = client_for("holtalen_contact"), client_for("secretariat_sor")
    gunns, siris = opened_form(gunn, url), opened_form(siri, url)
    assert gunn.post(url, {**gunns, "persons": "4", "title": "Helsefagarbeidere i Holtålen"}).status_code == 302

    response = siri.post(url, {**siris, "persons": "6", "urgency": "high"})

    assert response.status_code == 200
    assert conflict_labels(response) == ["Number of persons"]
    assert response.context["conflict_differences"][0]["saved"] == 4
    assert response.context["conflict_differences"][0]["yours"] == 6
    need.refresh_from_db()
    assert (need.persons, need.title, need.urgency) == (4, "Helsefagarbeidere i Holtålen", "medium")
    # The form now holds Gunn's title, Siri's persons and urgency, and the stored version: saving keeps that.
    again = response.context["form"].data
    assert again["title"] == "Helsefagarbeidere i Holtålen" and again["persons"] == "6"
    assert siri.post(url, again).status_code == 302
    need.refresh_from_db()
    assert (need.persons, need.title, need.urgency, need.version) == (6, "Helsefagarbeidere i Holtålen", "high", 3)


def test_both_changing_a_field_to_the_same_value_is_no_conflict(world, client_for, need):
    url = reverse("needs:update", args=[need.pk])
    gunn, siri = client_for("holtalen_contact"), client_for("secretariat_sor")
    gunns, siris = opened_form(gunn, url), opened_form(siri, url)
    assert gunn.post(url, {**gunns, "persons": "4"}).status_code == 302
    assert siri.post(url, {**siris, "persons": "4", "title": "Nye helsefagarbeidere"}).status_code == 302
    need.refresh_from_db()
    assert (need.persons, need.title) == (4, "Nye helsefagarbeidere")


def test_a_forged_base_is_ignored(world, client_for, need):
    """The base is signed: a changed one counts as missing, and every differing field is asked about."""
    url = reverse("needs:update", args=[need.pk])
    gunn, siri = client_for("holtalen_contact"), client_for("secretariat_sor")
    siris = opened_form(siri, url)
    assert gunn.post(url, {**opened_form(gunn, url), "persons": "4"}).status_code == 302
    response = siri.post(url, {**siris, "base": siris["base"][:-2] + "xx", "urgency": "high"})
    assert response.status_code == 200 and conflict_labels(response) == ["Number of persons", "Urgency"]
    assert CompetenceNeed.objects.get(pk=need.pk).persons == 4


# Every other versioned form goes through the same merge ---------------------------------------------------------


def edit_while_someone_saves(client, url, someone_saves, **changes):
    """Open the form at `url`, let `someone_saves()` change the object meanwhile, then post `changes`."""
    opened = opened_form(client, url)
    someone_saves()
    return client.post(url, {**opened, **changes})


def test_offering_keeps_the_other_editors_title(world, client_for):
    offering = OfferingFactory(provider=world.ntnu, title="Helsefag på nett", description="Fagbrev.")
    url = reverse("offerings:update", args=[offering.pk])
    other = client_for("platform_admin")
    other_form = opened_form(other, url)
    response = edit_while_someone_saves(
        client_for("ntnu_admin"),
        url,
        lambda: other.post(url, {**other_form, "title": "Helsefag for voksne"}),
        description="Fagbrev ved siden av jobb.",
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert (offering.title, offering.description) == ("Helsefag for voksne", "Fagbrev ved siden av jobb.")


def test_organisation_keeps_the_other_editors_name(world, client_for):
    url = reverse("organisations:update", args=[world.holtalen.pk])
    other = client_for("holtalen_admin")
    other_form = opened_form(other, url)
    response = edit_while_someone_saves(
        client_for("secretariat_sor"),
        url,
        lambda: other.post(url, {**other_form, "name": "Holtålen kommune (ny)"}),
        phone="72 41 50 00",
    )
    assert response.status_code == 302
    world.holtalen.refresh_from_db()
    assert (world.holtalen.name, world.holtalen.phone) == ("Holtålen kommune (ny)", "72 41 50 00")


def test_priority_list_keeps_the_other_persons_priorities_as_one_field(world, client_for):
    grant_round = GrantRoundFactory(scheme__owner=world.council, region=world.region)
    priority_list = PriorityListFactory(round=grant_round, submitter=world.holtalen)
    for rank, theme in enumerate(["Lesing", "Regning"], start=1):
        PriorityItemFactory(
            priority_list=priority_list, rank=rank, theme=theme, applicant=world.holtalen, amount=Decimal("1000")
        )
    url = reverse("grants:priority_list_edit", args=[grant_round.pk, priority_list.pk])
    first, second = PriorityItem.objects.filter(priority_list=priority_list).order_by("rank")

    def reorder():
        priority_services.priority_list_save(
            actor=None,
            priority_list=PriorityList.objects.get(pk=priority_list.pk),
            expected_version=priority_list.version,
            note="",
            items=[
                priority_services.ItemInput(
                    rank=1, theme="Regning", applicant=world.holtalen, amount=1000, pk=second.pk
                ),
                priority_services.ItemInput(rank=2, theme="Lesing", applicant=world.holtalen, amount=1000, pk=first.pk),
            ],
        )

    response = edit_while_someone_saves(client_for("holtalen_contact"), url, reorder, note="Viktigst først.")
    assert response.status_code == 302
    priority_list.refresh_from_db()
    themes = list(
        PriorityItem.objects.filter(priority_list=priority_list).order_by("rank").values_list("theme", flat=True)
    )
    assert (priority_list.note, themes) == ("Viktigst først.", ["Regning", "Lesing"])


def test_priority_list_asks_when_both_changed_the_priorities(world, client_for):
    grant_round = GrantRoundFactory(scheme__owner=world.council, region=world.region)
    priority_list = PriorityListFactory(round=grant_round, submitter=world.holtalen)
    item = PriorityItemFactory(
        priority_list=priority_list, rank=1, theme="Lesing", applicant=world.holtalen, amount=Decimal("1000")
    )
    url = reverse("grants:priority_list_edit", args=[grant_round.pk, priority_list.pk])

    def rename():
        priority_services.priority_list_save(
            actor=None,
            priority_list=PriorityList.objects.get(pk=priority_list.pk),
            expected_version=priority_list.version,
            note="",
            items=[
                priority_services.ItemInput(
                    rank=1, theme="Lesing og skriving", applicant=world.holtalen, amount=1000, pk=item.pk
                )
            ],
        )

    response = edit_while_someone_saves(client_for("holtalen_contact"), url, rename, **{"items-0-theme": "Lese"})
    assert response.status_code == 200
    assert conflict_labels(response) == ["Priorities"]


def test_meeting_keeps_the_other_editors_title(world, client_for):
    meeting = MeetingFactory(forum=forum_in(world), title="Møte i forumet", place="Røros rådhus")
    url = reverse("forums:meeting_edit", args=[meeting.forum.slug, meeting.pk])

    def retitle():
        meeting_services.meeting_update(
            actor=None, meeting=Meeting.objects.get(pk=meeting.pk), expected_version=meeting.version, title="Vårmøtet"
        )

    response = edit_while_someone_saves(client_for("secretariat_sor"), url, retitle, place="Holtålen rådhus")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place) == ("Vårmøtet", "Holtålen rådhus")


def test_case_keeps_the_other_editors_title(world, client_for):
    case = AgendaCaseFactory(meeting=MeetingFactory(forum=forum_in(world)), title="Samarbeidsavtale")
    url = reverse("forums:case_edit", args=[case.forum.slug, case.pk])

    def retitle():
        case_services.case_update(
            actor=None, case=AgendaCase.objects.get(pk=case.pk), expected_version=case.version, title="Ny avtale"
        )

    response = edit_while_someone_saves(client_for("secretariat_sor"), url, retitle, background="Avtalen utløper.")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.background) == ("Ny avtale", "Avtalen utløper.")


def test_project_report_keeps_the_other_persons_economic_report(world, client_for):
    scheme = GrantSchemeFactory(name="DEKOM", requires_economic_report=True)
    question = ReportQuestion.objects.create(scheme=scheme, position=0, text="Hva er gjort?")
    project = ProjectFactory(owner=world.council, region=world.region, scheme=scheme)
    report = StatusReport.objects.create(
        project=project,
        title="Statusrapport",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    url = reverse("projects:report_edit", args=[project.slug, report.pk])

    def economy():
        report_services.report_update(
            actor=None, report=report, answers={}, economic_report="Regnskapet stemmer.", expected_version=1
        )

    client = client_for("secretariat_sor")
    response = edit_while_someone_saves(client, url, economy, **{f"answer_{question.pk}": "Tre samlinger."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.economic_report == "Regnskapet stemmer."
    assert list(report.answers.values())[0]["answer"] == "Tre samlinger."


def test_development_answer_keeps_the_other_persons_end_date(world, client_for):
    request = sent(world, [gap_need(world.holtalen)])
    url = reverse("development:detail", args=[request.pk])

    def answer(version, **changes):
        development_services.request_answer(
            actor=world.users["platform_admin"],
            answer=answer_of(request, world.ntnu),
            kind="new",
            expected_version=version,
            planned_start=in_days(60),
            **changes,
        )

    answer(1)
    client = client_for("ntnu_admin")
    opened = opened_form(client, url)
    answer(2, planned_end=in_days(300))
    response = client.post(reverse("development:answer", args=[request.pk]), {**opened, "reason": "Vi har lærere."})
    assert response.status_code == 302
    stored = answer_of(request, world.ntnu)
    assert (stored.reason, stored.planned_start, stored.planned_end) == ("Vi har lærere.", in_days(60), in_days(300))


def test_budget_line_keeps_the_other_persons_amount_and_asks_when_both_changed_it(world, client_for):
    project = ProjectFactory(owner=world.council, region=world.region)
    line = BudgetLineFactory(project=project, category="other", description="Veileder", amount=Decimal("15000"))
    url = reverse("projects:budget_edit", args=[project.slug]) + f"?linje={line.pk}"
    post_url = reverse("projects:budget_edit", args=[project.slug])

    def change(**values):
        stored = BudgetLine.objects.get(pk=line.pk)
        stored.project = project
        economy_services.budget_line_change(
            actor=None, line=stored, data=values, expected_state=line_state(stored, economy_services.BUDGET_FIELDS)
        )

    client = client_for("secretariat_sor")
    opened = opened_form(client, url, having="version")
    change(amount=Decimal("20000"))
    response = client.post(post_url, {**opened, "description": "Veileder for lærlinger"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.description, line.amount) == ("Veileder for lærlinger", Decimal("20000"))

    opened = opened_form(client, url, having="version")
    change(amount=Decimal("25000"))
    response = client.post(post_url, {**opened, "amount": "30 000"})
    assert response.status_code == 200 and conflict_labels(response) == ["Budget (NOK)"]
    assert client.post(post_url, response.context["form"].data).status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("30000")


# The API's PATCH: a conflict only when the fields sent changed since the version sent ----------------------------


def test_api_patch_of_other_fields_than_a_colleague_changed_is_merged(world, client_for):
    need = make_need(world, persons=3)
    url = f"/api/v1/needs/{need.pk}"
    headers = bearer(world, "holtalen_admin")
    assert patch(Client(), url, {"persons": 4}, HTTP_IF_MATCH='"1"', **headers).status_code == 200

    response = patch(
        Client(), url, {"urgency": "high", "description": "Fem assistenter."}, HTTP_IF_MATCH='"1"', **headers
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"3"'
    body = response.json()
    assert (body["persons"], body["urgency"], body["description"]) == (4, "high", "Fem assistenter.")


def test_api_patch_of_a_field_a_colleague_changed_is_a_conflict(world):
    need = make_need(world, persons=3)
    url = f"/api/v1/needs/{need.pk}"
    headers = bearer(world, "holtalen_admin")
    assert patch(Client(), url, {"persons": 4}, HTTP_IF_MATCH='"1"', **headers).status_code == 200
    stale = patch(Client(), url, {"persons": 6, "urgency": "high"}, HTTP_IF_MATCH='"1"', **headers)
    assert stale.status_code == 409 and stale.json()["current"]["persons"] == 4
    assert CompetenceNeed.objects.get(pk=need.pk).urgency != "high"


def test_api_patch_is_a_conflict_when_the_history_cannot_tell(world):
    """A save that changed nothing leaves no history entry: what changed in that version is unknown."""
    need = make_need(world, persons=3)
    url = f"/api/v1/needs/{need.pk}"
    headers = bearer(world, "holtalen_admin")
    assert patch(Client(), url, {"persons": 3}, HTTP_IF_MATCH='"1"', **headers)["ETag"] == '"2"'
    assert patch(Client(), url, {"urgency": "high"}, HTTP_IF_MATCH='"1"', **headers).status_code == 409
    assert patch(Client(), url, {"urgency": "high"}, HTTP_IF_MATCH='"9"', **headers).status_code == 409


def test_api_patch_of_an_offering_merges_and_conflicts_by_field(world):
    created = make_offering(world)
    url = f"/api/v1/offerings/{created['id']}"
    headers = bearer(world, "ntnu_admin")
    assert patch(Client(), url, {"status": "running"}, HTTP_IF_MATCH='"1"', **headers).status_code == 200
    merged = patch(Client(), url, {"title": "Helsefag for voksne"}, HTTP_IF_MATCH='"1"', **headers)
    assert merged.status_code == 200, merged.content
    assert (merged.json()["status"], merged.json()["title"]) == ("running", "Helsefag for voksne")
    assert patch(Client(), url, {"status": "closed"}, HTTP_IF_MATCH='"1"', **headers).status_code == 409
