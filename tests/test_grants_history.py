"""A round's history: who changed its allocations and payments, and what, on one page for its managers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kompetansebro.grants.models import AllocationStatus
from kompetansebro.grants.services import allocations as allocation_services
from kompetansebro.grants.services import payments as payment_services
from tests.factories import OrganisationFactory
from tests.grant_factories import AllocationFactory
from tests.test_grants_priorities import round_in

pytestmark = pytest.mark.django_db


def allocate(world, grant_round, amount="100000"):
    return allocation_services.allocation_create(
        actor=world.users["secretariat_sor"],
        grant_round=grant_round,
        recipient=OrganisationFactory(),
        purpose="Lesing i alle fag",
        amount=Decimal(amount),
    )


def pay(world, grant_round, amount="500"):
    """A payment on an adopted allocation (made by the factory: adoption has its own tests)."""
    allocation = AllocationFactory(round=grant_round, status=AllocationStatus.ADOPTED, amount=Decimal("100000"))
    return payment_services.payment_create(
        actor=world.users["secretariat_sor"], allocation=allocation, kind="payment", amount=Decimal(amount)
    )


def test_changes_to_allocations_and_payments_are_listed_with_who(world, client_for, english):
    grant_round = round_in(world)
    allocate(world, grant_round)
    pay(world, grant_round, amount="40000")
    other_round = round_in(world)
    allocate(world, other_round, amount="777000")
    response = client_for("secretariat_sor").get(reverse("grants:round_history", args=[grant_round.pk]))
    assert response.status_code == 200
    actions = [entry.action for entry in response.context["entries"]]
    assert actions[0] == "grants.payment.created"
    assert {"grants.allocation.created", "grants.round.status_changed"} <= set(actions)
    assert world.users["secretariat_sor"].get_full_name().encode() in response.content
    assert b"777" not in response.content


def test_the_history_page_uses_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    grant_round = round_in(world)
    client = client_for("secretariat_sor")
    url = reverse("grants:round_history", args=[grant_round.pk])
    allocate(world, grant_round)
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    for _ in range(5):
        allocate(world, grant_round, amount="1000")
        pay(world, grant_round)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert client.get(url).status_code == 200
