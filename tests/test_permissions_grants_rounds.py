"""Every URL of a round's page, priority lists, allocations and payments (grants/urls_rounds.py) × every persona:
allowed, forbidden (403), sent to log in, or not found (404: a priority list is never revealed to those who may
not see it; an allocation or payment of another round does not exist under this one).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
The round's scheme belongs to the Trøndelag Sør council and the round to the Trøndelag Sør region, so its
secretariat manages it (with the platform admin). Holtålen submits a priority list and receives an adopted
allocation: its contact person and admin see the list and the payments on it. Only members of the round's eligible
recipients (the scheme's eligible kinds in the round's region — here municipalities — or invited organisations)
start a priority list, besides the round's managers: not the sawmill's employee nor NTNU's admin (issue 11 item 11);
the county observer has a role on the county-level region only and no membership.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from kompetansebro.grants.models import AllocationStatus, PaymentStatus
from kompetansebro.grants.services.payments import payment_create
from tests.conftest import PERSONAS
from tests.grant_factories import AllocationFactory, GrantRoundFactory
from tests.test_grants_priorities import list_for, round_in
from tests.test_permissions import outcome


def the_round(w):
    return round_in(w, name="DEKOM 2027")


def holtalen_list(w):
    return list_for(w, the_round(w), items=[("Lesing i alle fag", "100000")])


def roros_list(w):
    return list_for(w, the_round(w), submitter=w.roros, items=[("Regning", "50000")])


def adopted(w):
    return AllocationFactory(
        round=the_round(w), recipient=w.holtalen, amount=Decimal("100000"), status=AllocationStatus.ADOPTED
    )


def payment(w):
    return payment_create(
        actor=None,
        allocation=adopted(w),
        kind="payment",
        amount=Decimal("1000"),
        status=PaymentStatus.PAID,
        paid_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def round_url(name):
    return lambda w: reverse(name, args=[the_round(w).pk])


def list_url(name, list_of=holtalen_list):
    def make(w):
        priority_list = list_of(w)
        return reverse(name, args=[priority_list.round_id, priority_list.pk])

    return make


def list_in_other_round(name):
    def make(w):
        priority_list = holtalen_list(w)
        return reverse(name, args=[GrantRoundFactory().pk, priority_list.pk])

    return make


def allocation_url(name, allocation_of=adopted, other_round=False):
    def make(w):
        allocation = allocation_of(w)
        round_pk = GrantRoundFactory().pk if other_round else allocation.round_id
        return reverse(name, args=[round_pk, allocation.pk])

    return make


def payment_url(name, other_round=False):
    def make(w):
        each = payment(w)
        round_pk = GrantRoundFactory().pk if other_round else each.allocation.round_id
        return reverse(name, args=[round_pk, each.pk])

    return make


EVERYONE = "O O O O O O O O O"
MISSING = "N N N N N N N N N"
SUBMIT = "L F F O O F O F O"
LIST = "L N N O O N O N O"
OTHER_LIST = "L N N N N N O N O"
MISSING_LOGIN = "L N N N N N N N N"
MANAGE = "L F F F F F O F O"
PAYMENTS_FILE = "L F F O O F O F O"

MATRIX = [
    ("grants:round", "get", round_url("grants:round"), EVERYONE),
    ("grants:round", "get", lambda w: reverse("grants:round", args=[999999]), MISSING),
    ("grants:round_history", "get", round_url("grants:round_history"), MANAGE),
    ("grants:priority_list_create", "get", round_url("grants:priority_list_create"), SUBMIT),
    ("grants:priority_list_create", "post", round_url("grants:priority_list_create"), SUBMIT),
    ("grants:priority_list", "get", list_url("grants:priority_list"), LIST),
    ("grants:priority_list", "get", list_url("grants:priority_list", roros_list), OTHER_LIST),
    ("grants:priority_list", "get", list_in_other_round("grants:priority_list"), MISSING_LOGIN),
    ("grants:priority_list_edit", "get", list_url("grants:priority_list_edit"), LIST),
    ("grants:priority_list_edit", "post", list_url("grants:priority_list_edit"), LIST),
    ("grants:priority_list_edit", "get", list_url("grants:priority_list_edit", roros_list), OTHER_LIST),
    ("grants:priority_list_submit", "post", list_url("grants:priority_list_submit"), LIST),
    ("grants:priority_list_submit", "post", list_url("grants:priority_list_submit", roros_list), OTHER_LIST),
    ("grants:allocation_propose", "post", round_url("grants:allocation_propose"), MANAGE),
    ("grants:allocation_create", "get", round_url("grants:allocation_create"), MANAGE),
    ("grants:allocation_create", "post", round_url("grants:allocation_create"), MANAGE),
    ("grants:allocation_edit", "get", allocation_url("grants:allocation_edit"), MANAGE),
    ("grants:allocation_edit", "post", allocation_url("grants:allocation_edit"), MANAGE),
    ("grants:allocation_edit", "get", allocation_url("grants:allocation_edit", other_round=True), MISSING_LOGIN),
    ("grants:allocation_case", "post", round_url("grants:allocation_case"), MANAGE),
    ("grants:allocation_adopt", "post", round_url("grants:allocation_adopt"), MANAGE),
    ("grants:allocations_xlsx", "get", round_url("grants:allocations_xlsx"), EVERYONE),
    ("grants:allocation_pdf", "get", round_url("grants:allocation_pdf"), EVERYONE),
    (
        "grants:payments_xlsx",
        "get",
        lambda w: reverse("grants:payments_xlsx", args=[adopted(w).round_id]),
        PAYMENTS_FILE,
    ),
    ("grants:payment_create", "get", allocation_url("grants:payment_create"), MANAGE),
    ("grants:payment_create", "post", allocation_url("grants:payment_create"), MANAGE),
    ("grants:payment_create", "get", allocation_url("grants:payment_create", other_round=True), MISSING_LOGIN),
    ("grants:payment_edit", "get", payment_url("grants:payment_edit"), MANAGE),
    ("grants:payment_edit", "post", payment_url("grants:payment_edit"), MANAGE),
    ("grants:payment_edit", "get", payment_url("grants:payment_edit", other_round=True), MISSING_LOGIN),
]

CASES = [
    pytest.param(method, url_of, persona, expected, id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, codes) in enumerate(MATRIX)
    for persona, expected in zip(PERSONAS, codes.split(), strict=True)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected):
    target = url_of(world)
    client = client_for(persona)
    response = client.get(target) if method == "get" else client.post(target, {})
    assert outcome(response) == expected


def test_proposed_allocations_are_for_the_managers_only(world, client_for):
    grant_round = the_round(world)
    AllocationFactory(round=grant_round, recipient=world.holtalen, purpose="Foreslått tiltak")
    for persona in ("anonymous", "holtalen_contact", "county_observer"):
        assert "Foreslått tiltak" not in client_for(persona).get(grant_round.get_absolute_url()).content.decode()
    assert "Foreslått tiltak" in client_for("secretariat_sor").get(grant_round.get_absolute_url()).content.decode()


def test_the_managers_of_the_forum_and_the_scheme_owner_manage_the_round(world, client_for):
    from kompetansebro.forums.models import MemberRole
    from kompetansebro.organisations.models import MembershipRole
    from tests.factories import MembershipFactory, UserFactory
    from tests.forum_factories import ForumFactory, ForumMembershipFactory

    forum = ForumFactory(owner=world.ntnu)
    grant_round = round_in(world, region=None, forum=forum)
    forum_secretary = UserFactory()
    ForumMembershipFactory(forum=forum, person=forum_secretary, role=MemberRole.SECRETARIAT)
    owner_admin = MembershipFactory(organisation=world.council, role=MembershipRole.ADMIN).user
    url = reverse("grants:allocation_create", args=[grant_round.pk])
    for user in (forum_secretary, owner_admin):
        client = client_for("anonymous")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        assert client.get(url).status_code == 200
    assert client_for("secretariat_sor").get(url).status_code == 403  # not this round's region
    assert client_for("ntnu_admin").get(url).status_code == 200  # administers the forum's owner


def test_matrix_covers_every_round_view():
    """A new URL in urls_rounds.py without a row in the matrix fails here."""
    from kompetansebro.grants import urls_rounds

    names = {f"grants:{pattern.name}" for pattern in urls_rounds.urlpatterns}
    assert "grants" in get_resolver().namespace_dict
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
