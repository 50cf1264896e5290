"""Factories for grant schemes, rounds, priority lists, allocations and projects (issue 6)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from kompetansebro.projects.models import FinancingKind, ProjectGroup
from tests.factories import OrganisationFactory, UserFactory


class GrantSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.GrantScheme"

    name = factory.Sequence(lambda n: f"Tilskuddsordning {n}")
    slug = factory.Sequence(lambda n: f"tilskuddsordning-{n}")
    owner = factory.SubFactory(OrganisationFactory)
    source = "Kommunal- og distriktsdepartementet"
    max_grant_share = Decimal("70")
    in_kind_counts = True
    in_kind_hourly_rate = Decimal("700")
    target_centrality_classes = [5, 6]
    eligible_kinds = ["municipality"]


class GrantRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.GrantRound"

    scheme = factory.SubFactory(GrantSchemeFactory)
    name = factory.Sequence(lambda n: f"Runde {n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    frame = Decimal("1000000")
    priority_deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class PriorityListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.PriorityList"

    round = factory.SubFactory(GrantRoundFactory)
    submitter = factory.SubFactory(OrganisationFactory)


class PriorityItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.PriorityItem"

    priority_list = factory.SubFactory(PriorityListFactory)
    rank = factory.Sequence(lambda n: n + 1)
    theme = factory.Sequence(lambda n: f"Tema {n}: lesing i alle fag")
    applicant = factory.SubFactory(OrganisationFactory)
    amount = Decimal("100000")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "grants.Allocation"

    round = factory.SubFactory(GrantRoundFactory)
    recipient = factory.SubFactory(OrganisationFactory)
    purpose = factory.Sequence(lambda n: f"Tiltak {n}")
    amount = Decimal("100000")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Project"

    name = factory.Sequence(lambda n: f"Prosjekt {n}")
    slug = factory.Sequence(lambda n: f"prosjekt-{n}")
    owner = factory.SubFactory(OrganisationFactory)
    leader = factory.SubFactory(UserFactory)
    overall_goal = "Flere voksne tar utdanning der de bor og jobber."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=700))


class ProjectMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.ProjectMembership"

    project = factory.SubFactory(ProjectFactory)
    group = ProjectGroup.STEERING
    person = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.BudgetLine"

    project = factory.SubFactory(ProjectFactory)
    category = "travel"
    amount = Decimal("15000")


class FinancingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.FinancingSource"

    project = factory.SubFactory(ProjectFactory)
    kind = FinancingKind.GRANT
    description = "Tilskudd"
    amount = Decimal("100000")
