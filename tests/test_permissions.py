"""Every view × every persona: allowed, forbidden (403), sent to log in, or not found.

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from kompetansebro.geography.models import Region
from kompetansebro.mapping.models import MappingRound, RoundInvitation
from tests.conftest import PERSONAS

ALL = "O O O O O O O O O"


def custom_region(world):
    region = Region.objects.create(code="namdalen", name="Namdalen", kind="interkommunalt_politisk_rad")
    region.municipalities.set(world.region.municipalities.all()[:2])
    return region


# (url name, method, function building the URL from the world, expectations by persona)
MATRIX = [
    ("core:home", "get", lambda w: reverse("core:home"), ALL),
    ("core:healthz", "get", lambda w: reverse("core:healthz"), ALL),
    ("core:start", "get", lambda w: reverse("core:start"), "L O O O O O O O O"),
    ("set_language", "post", lambda w: reverse("set_language"), ALL),
    ("accounts:login", "get", lambda w: reverse("accounts:login"), ALL),
    ("accounts:logout", "post", lambda w: reverse("accounts:logout"), ALL),
    ("accounts:profile", "get", lambda w: reverse("accounts:profile"), "L O O O O O O O O"),
    ("accounts:password_change", "get", lambda w: reverse("accounts:password_change"), "L O O O O O O O O"),
    ("accounts:password_reset", "get", lambda w: reverse("accounts:password_reset"), ALL),
    ("accounts:password_reset_done", "get", lambda w: reverse("accounts:password_reset_done"), ALL),
    (
        "accounts:password_reset_confirm",
        "get",
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "set-password"]),
        ALL,
    ),
    ("accounts:password_reset_complete", "get", lambda w: reverse("accounts:password_reset_complete"), ALL),
    ("organisations:list", "get", lambda w: reverse("organisations:list") + "?q=holt", ALL),
    ("organisations:detail", "get", lambda w: w.holtalen.get_absolute_url(), ALL),
    ("organisations:create", "get", lambda w: reverse("organisations:create"), "L F F F O O O F O"),
    (
        "organisations:update",
        "get",
        lambda w: reverse("organisations:update", args=[w.holtalen.pk]),
        "L F F F O F O F O",
    ),
    (
        "organisations:update",
        "get",
        lambda w: reverse("organisations:update", args=[w.homecare.pk]),
        "L F F F O F O F O",
    ),
    ("organisations:update", "get", lambda w: reverse("organisations:update", args=[w.ntnu.pk]), "L F F F F O F F O"),
    (
        "organisations:update",
        "get",
        lambda w: reverse("organisations:update", args=[w.company.pk]),
        "L F F F F F O F O",
    ),
    (
        "organisations:delete",
        "get",
        lambda w: reverse("organisations:delete", args=[w.holtalen.pk]),
        "L F F F F F O F O",
    ),
    (
        "organisations:delete",
        "get",
        lambda w: reverse("organisations:delete", args=[w.oslo_company.pk]),
        "L F F F F F F F O",
    ),
    (
        "organisations:history",
        "get",
        lambda w: reverse("organisations:history", args=[w.holtalen.pk]),
        "L F F O O F O O O",
    ),
    (
        "organisations:history",
        "get",
        lambda w: reverse("organisations:history", args=[w.company.pk]),
        "L F O F F F O O O",
    ),
    (
        "organisations:history",
        "get",
        lambda w: reverse("organisations:history", args=[w.oslo_company.pk]),
        "L F F F F F F F O",
    ),
    (
        "organisations:membership_add",
        "get",
        lambda w: reverse("organisations:membership_add", args=[w.holtalen.pk]),
        "L F F F O F O F O",
    ),
    (
        "organisations:membership_role",
        "post",
        lambda w: reverse(
            "organisations:membership_role",
            args=[w.holtalen.pk, w.users["holtalen_contact"].memberships.get().pk],
        ),
        "L F F F O F O F O",
    ),
    (
        "organisations:membership_remove",
        "post",
        lambda w: reverse(
            "organisations:membership_remove",
            args=[w.holtalen.pk, w.users["holtalen_contact"].memberships.get().pk],
        ),
        "L F F F O F O F O",
    ),
    ("geography:municipality_list", "get", lambda w: reverse("geography:municipality_list") + "?centrality=6", ALL),
    ("geography:municipality_detail", "get", lambda w: reverse("geography:municipality_detail", args=["5026"]), ALL),
    ("geography:region_list", "get", lambda w: reverse("geography:region_list"), ALL),
    ("geography:region_detail", "get", lambda w: w.region.get_absolute_url(), ALL),
    ("geography:region_create", "get", lambda w: reverse("geography:region_create"), "L F F F F F F F O"),
    (
        "geography:region_update",
        "get",
        lambda w: reverse("geography:region_update", args=[w.region.code]),
        "L F F F F F F F O",
    ),
    (
        "geography:region_delete",
        "get",
        lambda w: reverse("geography:region_delete", args=[custom_region(w).code]),
        "L F F F F F F F O",
    ),
    (
        "geography:region_history",
        "get",
        lambda w: reverse("geography:region_history", args=[w.region.code]),
        "L F F F F F O F O",
    ),
    (
        "geography:region_history",
        "get",
        lambda w: reverse("geography:region_history", args=[w.county_region.code]),
        "L F F F F F F O O",
    ),
    (
        "geography:region_role_add",
        "get",
        lambda w: reverse("geography:region_role_add", args=[w.region.code]),
        "L F F F F F F F O",
    ),
    (
        "geography:region_role_remove",
        "post",
        lambda w: reverse("geography:region_role_remove", args=[w.region.code, w.region.roles.get().pk]),
        "L F F F F F F F O",
    ),
    ("admin:index", "get", lambda w: reverse("admin:index"), "L L L L L L L L O"),
]

CASES = [
    pytest.param(method, url_of, persona, expected.split()[index], id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, expected) in enumerate(MATRIX)
    for index, persona in enumerate(PERSONAS)
]


def outcome(response) -> str:
    if response.status_code == 403:
        return "F"
    if response.status_code == 404:
        return "N"
    if (
        response.status_code in (301, 302)
        and "logg-inn" in response["Location"]
        or "/admin/login/" in response.get("Location", "")
    ):
        return "L"
    if response.status_code >= 400:
        return f"status {response.status_code}"
    return "O"


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected):
    url = url_of(world)
    client = client_for(persona)
    response = client.get(url) if method == "get" else client.post(url, {"role": "member", "language": "en"})
    assert outcome(response) == expected


def test_matrix_covers_every_view():
    """A new URL without a row in the matrix fails here, so nobody forgets its permissions."""
    own_namespaces = {"core", "accounts", "organisations", "geography"}
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace in own_namespaces:
            names |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {name for name, *_ in MATRIX}
    assert names - covered == set()


def test_the_start_page_shows_only_the_persons_own_work(world, client_for):
    """A member of one organisation never sees another organisation's work items (issue 12 item 1)."""
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    organisations = [world.holtalen, world.roros, world.company, world.ntnu, world.oslo_company]
    for organisation in organisations:
        mapping_round = MappingRound.objects.create(
            region=world.region, title=f"Runde for {organisation.name}", opens_on=deadline, deadline=deadline
        )
        RoundInvitation.objects.create(round=mapping_round, organisation=organisation)
    own = {
        "outsider": set(),
        "company_member": {world.company},
        "holtalen_contact": {world.holtalen},
        "holtalen_admin": {world.holtalen},
        "ntnu_admin": {world.ntnu},
        "county_observer": set(),
        "platform_admin": set(),
    }
    for persona, mine in own.items():
        html = client_for(persona).get(reverse("core:start")).content.decode()
        seen = {organisation for organisation in organisations if f"Runde for {organisation.name}" in html}
        assert seen == mine, persona
