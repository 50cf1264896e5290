"""Every mapping URL × every persona: allowed, forbidden (403), sent to log in, or not found (404: a round of a
region the person has no role in, and that did not invite their organisation, is never revealed).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
Platform admins are superusers: Django grants them every permission (the services still refuse to
change a closed round). The round is in Trøndelag Sør and invites Holtålen, Røros and Røros Sagbruk
(whose only person is a plain member, who does not answer for it).
"""

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from kompetansebro.mapping import services
from tests.conftest import PERSONAS
from tests.test_permissions import outcome


def open_round(world):
    return services.round_open(
        actor=world.users["secretariat_sor"],
        region=world.region,
        title="Kartlegging",
        description="",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        organisations=[world.holtalen, world.roros, world.company],
    )


def closed_round(world):
    mapping_round = open_round(world)
    return services.round_close(actor=world.users["secretariat_sor"], round=mapping_round)


def url(name, round_of=open_round):
    return lambda w: reverse(name, args=[round_of(w).pk])


MANAGE = "L N N F F N O N O"
ANSWER = "L N N O O N O N O"

MATRIX = [
    ("mapping:list", "get", lambda w: reverse("mapping:list"), "L O O O O O O O O"),
    ("mapping:create", "get", lambda w: reverse("mapping:create"), "L F F F F F O F O"),
    ("mapping:detail", "get", url("mapping:detail"), ANSWER),
    ("mapping:detail", "get", url("mapping:detail", closed_round), ANSWER),
    ("mapping:detail", "get", lambda w: reverse("mapping:detail", args=[999999]), "L N N N N N N N N"),
    ("mapping:register_need", "get", url("mapping:register_need"), ANSWER),
    ("mapping:register_need", "get", url("mapping:register_need", closed_round), "L N N F F N F N O"),
    ("mapping:no_needs", "post", url("mapping:no_needs"), ANSWER),
    ("mapping:no_needs", "post", url("mapping:no_needs", closed_round), "L N N F F N F N O"),
    ("mapping:send_reminders", "post", url("mapping:send_reminders"), MANAGE),
    ("mapping:close", "get", url("mapping:close"), MANAGE),
    ("mapping:close", "post", url("mapping:close"), MANAGE),
    ("mapping:confirm_needs", "get", url("mapping:confirm_needs", closed_round), MANAGE),
    ("mapping:confirm_needs", "post", url("mapping:confirm_needs", closed_round), MANAGE),
    ("mapping:confirm_needs", "get", url("mapping:confirm_needs"), "L N N F F N F N O"),
    ("mapping:confirm_needs", "post", url("mapping:confirm_needs"), "L N N F F N F N O"),
    ("mapping:export", "get", url("mapping:export"), MANAGE),
    ("mapping:agenda", "get", url("mapping:agenda"), MANAGE),
    (
        "mapping:region_overview",
        "get",
        lambda w: reverse("mapping:region_overview", args=[w.region.code]),
        "L F F F F F O F O",
    ),
    (
        "mapping:region_overview",
        "get",
        lambda w: reverse("mapping:region_overview", args=[w.county_region.code]),
        "L F F F F F F O O",
    ),
    (
        "mapping:region_overview",
        "get",
        lambda w: reverse("mapping:region_overview", args=["finnes-ikke"]),
        "L N N N N N N N N",
    ),
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


def test_observer_of_the_rounds_region_sees_but_does_not_run_it(world, client_for):
    from kompetansebro.organisations.models import RegionRoleKind
    from tests.factories import RegionRoleFactory

    observer = RegionRoleFactory(region=world.region, role=RegionRoleKind.OBSERVER).user
    mapping_round = open_round(world)
    client = client_for("anonymous")
    client.force_login(observer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("mapping:detail", args=[mapping_round.pk])).status_code == 200
    assert client.get(reverse("mapping:export", args=[mapping_round.pk])).status_code == 200
    assert client.post(reverse("mapping:close", args=[mapping_round.pk])).status_code == 403
    assert client.get(reverse("mapping:register_need", args=[mapping_round.pk])).status_code == 403


def test_matrix_covers_every_view():
    """A new mapping URL without a row in the matrix fails here, so nobody forgets its permissions."""
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace == "mapping":
            names |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
