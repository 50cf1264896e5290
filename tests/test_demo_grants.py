"""The demo's grants and projects (kompetansebro/demo/grants.py): the Kompetansepilot chain with the three
Trøndelag sub-pilots, Trøndelag Sør's project "Utdanning i bedrift" on seed 000's numbers, and a DEKOM round with
three competence networks' priority lists and the proposal."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from kompetansebro.accounts.models import User
from kompetansebro.audit.models import AuditEntry
from kompetansebro.demo import forums as demo_forums
from kompetansebro.demo import grants as demo_grants
from kompetansebro.demo import trondelag_sor
from kompetansebro.forums.models import Recurrence
from kompetansebro.grants.models import (
    Allocation,
    AllocationStatus,
    GrantRound,
    GrantScheme,
    Payment,
    PaymentStatus,
    PriorityItem,
    PriorityList,
    RoundStatus,
    WheelStep,
    WheelStepKind,
)
from kompetansebro.organisations.models import Organisation
from kompetansebro.projects.models import (
    Activity,
    ActivityStatus,
    ActualCost,
    BudgetLine,
    FinancingKind,
    FinancingSource,
    Project,
    ProjectGroup,
    ProjectMembership,
    ProjectStatus,
    ReportStatus,
    ResultGoal,
    Risk,
    StatusReport,
)
from kompetansebro.projects.selectors_economy import project_check
from kompetansebro.projects.services.reports import missing_answers, report_questions

pytestmark = pytest.mark.django_db

MODELS = (
    Organisation,
    User,
    GrantScheme,
    GrantRound,
    WheelStep,
    PriorityList,
    PriorityItem,
    Allocation,
    Payment,
    Project,
    ProjectMembership,
    ResultGoal,
    Activity,
    BudgetLine,
    FinancingSource,
    ActualCost,
    Risk,
    StatusReport,
    AuditEntry,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    trondelag_sor.load_trondelag_sor()
    demo_forums.load_forums()
    return demo_grants.load_grants()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def project() -> Project:
    return Project.objects.select_related("scheme", "owner", "leader", "region").get(slug=demo_grants.PROJECT)


def test_kompetansepilot_chain_and_its_payments(demo):
    assert demo.schemes_created == 3 and demo.projects_created == 1 and demo.priority_lists_created == 3
    national = GrantScheme.objects.get(slug=demo_grants.NATIONAL_SCHEME)
    county = GrantScheme.objects.get(slug=demo_grants.COUNTY_SCHEME)
    assert national.owner.name == "Kompetanse Norge" and "moderniseringsdepartementet" in national.source
    assert county.parent == national and county.owner.name == "Trøndelag fylkeskommune"
    assert county.target_centrality_classes == [5, 6] and county.max_grant_share == Decimal("70")
    assert county.in_kind_counts and county.in_kind_hourly_rate == Decimal("750")
    assert county.report_questions.count() == 4 and county.requires_economic_report
    grant_round = county.rounds.get()
    assert grant_round.status == RoundStatus.DECIDED
    allocations = {a.recipient.name: a for a in grant_round.allocations.select_related("recipient")}
    assert set(allocations) == {"Namdal regionråd", "Trøndelag Sør-Interkommunalt politisk råd", "Fosen regionråd"}
    assert {a.status for a in allocations.values()} == {AllocationStatus.ADOPTED}
    assert sum(a.amount for a in allocations.values()) <= grant_round.frame
    # Trøndelag Sør's kr 450 000 in three parts: paid (a partial payment), approved, planned.
    ours = allocations["Trøndelag Sør-Interkommunalt politisk råd"]
    assert ours.amount == Decimal("450000")
    payments = list(ours.payments.order_by("due_on"))
    assert [p.status for p in payments] == [PaymentStatus.PAID, PaymentStatus.APPROVED, PaymentStatus.PLANNED]
    assert sum(p.amount for p in payments) == ours.amount and payments[0].amount < ours.amount
    assert payments[0].paid_on < timezone.localdate() <= payments[1].due_on
    statuses = Counter(Payment.objects.filter(allocation__round=grant_round).values_list("status", flat=True))
    assert statuses[PaymentStatus.PAID] == 3 and statuses[PaymentStatus.APPROVED] == 1
    assert statuses[PaymentStatus.PLANNED] == 2
    # The history: who adopted and paid, and when (before today).
    adopted = AuditEntry.objects.filter(action="grants.allocation.adopted")
    assert adopted.count() == 3 and {entry.actor.email for entry in adopted} == {demo_grants.COUNTY_PILOT}
    assert all(entry.created_at < timezone.now() - datetime.timedelta(days=30) for entry in adopted)


def test_project_on_seed_000s_numbers(demo):
    item = project()
    assert item.name == demo_grants.PROJECT_NAME and item.status == ProjectStatus.ACTIVE
    assert item.owner.name == "Trøndelag Sør-Interkommunalt politisk råd"
    assert item.leader.email == demo_forums.SECRETARIAT and item.region.code == trondelag_sor.REGION_CODE
    today = timezone.localdate()
    assert item.starts_on < today < item.ends_on
    assert (item.ends_on - item.starts_on).days in range(3 * 365 - 2, 3 * 365 + 2)
    groups = Counter(item.memberships.values_list("group", flat=True))
    assert groups == {ProjectGroup.STEERING: 3, ProjectGroup.WORKING: 4, ProjectGroup.REFERENCE: 3}
    assert list(item.goals.values_list("code", flat=True)) == ["RM1", "RM2", "RM3"]
    assert all(goal.planned_activities for goal in item.goals.all())
    activities = list(item.activities.all())
    assert len(activities) == len(demo_grants.ACTIVITIES)
    assert all(item.starts_on <= a.starts_on <= a.ends_on <= item.ends_on for a in activities)
    for activity in activities:
        expected = (
            ActivityStatus.DONE
            if activity.ends_on < today
            else ActivityStatus.ONGOING
            if activity.starts_on <= today
            else ActivityStatus.PLANNED
        )
        assert activity.status == expected, activity.title
    assert item.needs.count() == len(demo_grants.PROJECT_NEEDS)
    assert item.risks.count() == 4
    # Budget and financing from seed 000.
    budget = {line.description: line.amount for line in item.budget_lines.all()}
    assert sum(budget.values()) == Decimal("600000") and budget["Reisevirksomhet"] == Decimal("15000")
    grant = item.financing.get(kind=FinancingKind.GRANT)
    assert grant.amount == Decimal("450000") and grant.allocation.recipient == item.owner
    in_kind = item.financing.get(kind=FinancingKind.IN_KIND)
    assert in_kind.hours * item.scheme.in_kind_hourly_rate == Decimal("150000")
    costs = ActualCost.objects.filter(budget_line__project=item)
    assert costs.count() >= 4 and all(cost.incurred_on < today for cost in costs)


def test_the_cofinancing_check_shows_the_seeds_own_problem(demo):
    with translation.override("nb"):
        check = project_check(project())
        problems = [finding.message for finding in check.problems]
    assert check.total_costs == Decimal("600000") and check.own_contribution == Decimal("150000")
    assert check.own_share_display == "25,0\xa0%" and check.grant_share_display == "75,0\xa0%"
    assert any("25,0\xa0%" in message and "30\xa0%" in message for message in problems)
    assert any("75,0\xa0%" in message and "70\xa0%" in message for message in problems)
    assert check.difference == 0
    # Melhus (centrality class 3) lies outside the scheme's classes 5 and 6.
    assert [m.name for m in check.ineligible_municipalities] == ["Melhus"]


def test_status_reports_and_the_yearly_orientation(demo):
    item = project()
    today = timezone.localdate()
    reports = list(item.reports.order_by("due_on"))
    submitted = [report for report in reports if report.status == ReportStatus.SUBMITTED]
    waiting = [report for report in reports if report.status == ReportStatus.DUE]
    assert 1 <= len(submitted) <= 3 and waiting
    assert all(report.due_on < today for report in submitted) and all(r.due_on >= today for r in waiting)
    for report in submitted:
        assert report.submitted_at.date() < report.due_on and report.submitted_by == item.leader
        assert len(report.answers) == 4 and all(value["answer"] for value in report.answers.values())
        assert "600\xa0000" in report.economic_report
    # The next report has a draft: two of the four questions answered, so it cannot be submitted yet.
    upcoming = waiting[0]
    upcoming.project = item
    assert len(missing_answers(upcoming, report_questions(upcoming))) == 3
    # Twice a year: 1 January–30 June and 1 July–31 December.
    assert {(r.period_start.month, r.period_end.month) for r in reports} <= {(1, 6), (7, 12)}
    task = submitted[-1].orientation_task
    assert task is not None and task.forum.slug == demo_forums.COMPETENCE_FORUM
    assert task.recurrence == Recurrence.YEARLY and task.responsible_person == item.leader
    assert task.due_on >= today


def test_dekom_round_with_three_networks(demo):
    scheme = GrantScheme.objects.get(slug=demo_grants.DEKOM_SCHEME)
    assert scheme.owner.name == "Statsforvalteren i Trøndelag" and scheme.source == "Utdanningsdirektoratet"
    questions = list(scheme.report_questions.values_list("text", flat=True))
    assert len(questions) == 4 and "lokal forankring" in questions[0] and "elevstemmen" in questions[3]
    year = demo_grants.dekom_year(timezone.localdate())
    steps = list(scheme.wheel_steps.order_by("starts_on"))
    assert {step.kind for step in steps} == set(WheelStepKind.values) - {WheelStepKind.OTHER}
    assert all(step.starts_on.year == year and step.repeats_yearly for step in steps)
    deadline = next(step for step in steps if step.kind == WheelStepKind.PRIORITY_DEADLINE)
    seminar = next(step for step in steps if step.kind == WheelStepKind.SEMINAR)
    assert deadline.starts_on == datetime.date(year, 3, 20)
    assert (seminar.starts_on, seminar.ends_on) == (datetime.date(year, 2, 4), datetime.date(year, 2, 5))
    grant_round = scheme.rounds.get()
    assert grant_round.frame == Decimal("3000000") and grant_round.priority_deadline == deadline.starts_on
    assert grant_round.forum.slug == demo_forums.DEKOM and grant_round.status == RoundStatus.PROPOSED
    lists = {pl.submitter.name: pl for pl in grant_round.priority_lists.select_related("submitter", "submitted_by")}
    assert set(lists) == {
        "Kompetansenettverk Trøndelag sør",
        "Kompetansenettverk Namdal",
        "Kompetansenettverk Innherred",
    }
    assert all(pl.submitted_at is not None for pl in lists.values())
    assert [name for name, pl in lists.items() if pl.is_late] == ["Kompetansenettverk Innherred"]
    assert [name for name, pl in lists.items() if pl.changed_after_submission] == ["Kompetansenettverk Trøndelag sør"]
    assert lists["Kompetansenettverk Trøndelag sør"].submitted_by.email == demo_grants.NETWORK
    # The proposal: within the frame, every list's first priority funded, the last one that fits only in part.
    allocations = list(grant_round.allocations.all())
    assert {a.status for a in allocations} == {AllocationStatus.PROPOSED}
    assert sum(a.amount for a in allocations) == grant_round.frame
    applied = sum(PriorityItem.objects.filter(priority_list__round=grant_round).values_list("amount", flat=True))
    assert applied > grant_round.frame
    funded = {a.priority_item_id: a.amount for a in allocations}
    firsts = PriorityItem.objects.filter(priority_list__round=grant_round, rank=1)
    assert all(funded[item.pk] == item.amount for item in firsts)
    partial = [a for a in allocations if a.amount < a.priority_item.amount]
    assert len(partial) == 1 and partial[0].recipient.name == "Inderøy kommune"
    assert AuditEntry.objects.filter(action="grants.round.proposal_made").get().actor.email == (
        demo_grants.STATE_GOVERNOR
    )


def test_logins_and_history(demo):
    for spec in demo_grants.LOGINS:
        user = User.objects.get(email=spec.email)
        assert user.check_password(trondelag_sor.DEMO_PASSWORD)
        for key, role in spec.memberships:
            assert user.memberships.get(organisation__org_number=_org_number(key)).role == role
    entries = AuditEntry.objects.filter(action__regex=r"^(grants|projects)\.")
    assert entries.count() > 100 and not entries.filter(actor__isnull=True).exists()
    assert not entries.filter(created_at__gt=timezone.now()).exists()


def _org_number(key: str) -> str:
    spec = next(spec for spec in [*trondelag_sor.ORGANISATIONS, *demo_grants.ORGANISATIONS] if spec.key == key)
    return spec.org_number


def test_running_again_creates_nothing(demo):
    first = counts()
    again = demo_grants.load_grants()
    assert counts() == first
    assert not any(
        (
            again.organisations_created,
            again.people_created,
            again.schemes_created,
            again.rounds_created,
            again.allocations_created,
            again.payments_created,
            again.priority_lists_created,
            again.projects_created,
        )
    )


@pytest.mark.parametrize(
    ("today", "start", "dekom"),
    [
        (datetime.date(2026, 11, 23), datetime.date(2025, 9, 1), 2026),
        (datetime.date(2027, 2, 19), datetime.date(2025, 9, 1), 2026),
        (datetime.date(2027, 2, 20), datetime.date(2026, 9, 1), 2026),
        (datetime.date(2027, 3, 26), datetime.date(2026, 9, 1), 2026),
        (datetime.date(2027, 3, 27), datetime.date(2026, 9, 1), 2027),
    ],
)
def test_the_timeline_follows_today(today, start, dekom):
    assert demo_grants.project_start(today) == start
    assert demo_grants.dekom_year(today) == dekom
