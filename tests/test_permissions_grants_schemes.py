"""Every grants URL of the schemes part (schemes, the report template, rounds' frames, the annual wheel, its
feeds, a forum's wheel) × every persona: allowed, forbidden (403), sent to log in, or not found (404).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
The scheme belongs to Holtålen kommune, so Holtålen's administrator manages it (with the platform admin); its round
is in the Trøndelag Sør region, so the region's secretariat manages the round and the round's wheel steps, but not
the scheme or its other steps. Any organisation's administrator may create a scheme. Schemes, rounds and wheels are
public; a forum's wheel follows the forum (a forum that is not public: its members and the region's secretariat).
"""

import datetime

import pytest
from django.urls import get_resolver, reverse

from kompetansebro.grants.models import WheelStep
from tests.conftest import PERSONAS
from tests.grant_factories import GrantRoundFactory, GrantSchemeFactory
from tests.test_forums import forum_in
from tests.test_permissions import outcome


def scheme(w):
    return GrantSchemeFactory(slug="dekom", owner=w.holtalen)


def grant_round(w):
    return GrantRoundFactory(scheme=scheme(w), region=w.region)


def scheme_step(w):
    return WheelStep.objects.create(scheme=scheme(w), title="Erfaringsseminar", starts_on=datetime.date(2027, 2, 4))


def round_step(w):
    r = grant_round(w)
    return WheelStep.objects.create(scheme=r.scheme, round=r, title="Frist", starts_on=datetime.date(2027, 3, 20))


def public_forum(w):
    return forum_in(w, slug="samarbeidsforum")


def private_forum(w):
    return forum_in(w, slug="arbeidsgruppe", is_public=False)


def scheme_url(name):
    return lambda w: reverse(name, args=[scheme(w).slug])


def step_url(name, step_of):
    def make(w):
        step = step_of(w)
        return reverse(name, args=[step.scheme.slug, step.pk])

    return make


def round_step_create(w):
    r = grant_round(w)
    return f"{reverse('grants:wheel_step_create', args=[r.scheme.slug])}?round={r.pk}"


def forum_url(name, forum_of):
    return lambda w: reverse(name, args=[forum_of(w).slug])


EVERYONE = "O O O O O O O O O"
CREATE = "L F F F O O F F O"
MANAGE_SCHEME = "L F F F O F F F O"
MANAGE_ROUND = "L F F F O F O F O"
PRIVATE_VIEW = "N N N O N N O N O"
PRIVATE_FEED = "L N N O N N O N O"
MISSING = "N N N N N N N N N"
MISSING_MANAGE = "L N N N N N N N N"

MATRIX = [
    ("grants:scheme_list", "get", lambda w: reverse("grants:scheme_list"), EVERYONE),
    ("grants:scheme_create", "get", lambda w: reverse("grants:scheme_create"), CREATE),
    ("grants:scheme_create", "post", lambda w: reverse("grants:scheme_create"), CREATE),
    ("grants:scheme", "get", scheme_url("grants:scheme"), EVERYONE),
    ("grants:scheme", "get", lambda w: reverse("grants:scheme", args=["finnes-ikke"]), MISSING),
    ("grants:scheme_edit", "get", scheme_url("grants:scheme_edit"), MANAGE_SCHEME),
    ("grants:scheme_edit", "post", scheme_url("grants:scheme_edit"), MANAGE_SCHEME),
    ("grants:scheme_edit", "get", lambda w: reverse("grants:scheme_edit", args=["finnes-ikke"]), MISSING_MANAGE),
    ("grants:scheme_questions", "get", scheme_url("grants:scheme_questions"), MANAGE_SCHEME),
    ("grants:scheme_questions", "post", scheme_url("grants:scheme_questions"), MANAGE_SCHEME),
    ("grants:scheme_history", "get", scheme_url("grants:scheme_history"), MANAGE_SCHEME),
    ("grants:round_create", "get", scheme_url("grants:round_create"), MANAGE_SCHEME),
    ("grants:round_create", "post", scheme_url("grants:round_create"), MANAGE_SCHEME),
    ("grants:round_edit", "get", lambda w: reverse("grants:round_edit", args=[grant_round(w).pk]), MANAGE_ROUND),
    ("grants:round_edit", "post", lambda w: reverse("grants:round_edit", args=[grant_round(w).pk]), MANAGE_ROUND),
    ("grants:round_edit", "get", lambda w: reverse("grants:round_edit", args=[999999]), MISSING_MANAGE),
    ("grants:wheel", "get", scheme_url("grants:wheel"), EVERYONE),
    ("grants:wheel", "get", lambda w: reverse("grants:wheel", args=["finnes-ikke"]), MISSING),
    ("grants:scheme_ical", "get", scheme_url("grants:scheme_ical"), EVERYONE),
    ("grants:wheel_step_create", "get", scheme_url("grants:wheel_step_create"), MANAGE_SCHEME),
    ("grants:wheel_step_create", "post", scheme_url("grants:wheel_step_create"), MANAGE_SCHEME),
    ("grants:wheel_step_create", "get", round_step_create, MANAGE_ROUND),
    ("grants:wheel_step_create", "post", round_step_create, MANAGE_ROUND),
    ("grants:wheel_step_edit", "get", step_url("grants:wheel_step_edit", scheme_step), MANAGE_SCHEME),
    ("grants:wheel_step_edit", "post", step_url("grants:wheel_step_edit", scheme_step), MANAGE_SCHEME),
    ("grants:wheel_step_edit", "get", step_url("grants:wheel_step_edit", round_step), MANAGE_ROUND),
    ("grants:wheel_step_edit", "post", step_url("grants:wheel_step_edit", round_step), MANAGE_ROUND),
    ("grants:wheel_step_delete", "get", step_url("grants:wheel_step_delete", scheme_step), MANAGE_SCHEME),
    ("grants:wheel_step_delete", "post", step_url("grants:wheel_step_delete", scheme_step), MANAGE_SCHEME),
    ("grants:wheel_step_delete", "post", step_url("grants:wheel_step_delete", round_step), MANAGE_ROUND),
    ("grants:wheel_roll_over", "post", scheme_url("grants:wheel_roll_over"), MANAGE_SCHEME),
    ("grants:forum_wheel", "get", forum_url("grants:forum_wheel", public_forum), EVERYONE),
    ("grants:forum_wheel", "get", forum_url("grants:forum_wheel", private_forum), PRIVATE_VIEW),
    ("grants:forum_wheel", "get", lambda w: reverse("grants:forum_wheel", args=["finnes-ikke"]), MISSING),
    ("grants:forum_wheel_ical", "get", forum_url("grants:forum_wheel_ical", public_forum), EVERYONE),
    ("grants:forum_wheel_ical", "get", forum_url("grants:forum_wheel_ical", private_forum), PRIVATE_FEED),
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


def test_roll_over_only_by_post(world, client_for):
    response = client_for("platform_admin").get(reverse("grants:wheel_roll_over", args=[scheme(world).slug]))
    assert response.status_code == 405


def test_matrix_covers_every_schemes_view():
    """A new URL in urls_schemes.py without a row in the matrix fails here."""
    from kompetansebro.grants import urls_schemes

    names = {f"grants:{pattern.name}" for pattern in urls_schemes.urlpatterns}
    assert "grants" in get_resolver().namespace_dict
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
