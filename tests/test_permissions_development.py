"""Every development URL × every persona: allowed, forbidden (403), sent to log in, or not found (404: a request
the person may not see — not in their region, and not addressed to their provider — is never revealed).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
Platform admins are superusers: Django grants them every permission (the services still refuse invalid steps,
e.g. answering a draft, which the page shows as an error). Requests are in Trøndelag Sør and addressed to NTNU
Videre, whose admin is the provider persona; the county observer has a role on the county-level region only.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from kompetansebro.development import services
from kompetansebro.development.models import ProviderAnswer
from tests.conftest import PERSONAS
from tests.factories import MatchStateFactory, NeedFactory
from tests.test_permissions import outcome


def draft_request(world):
    need = NeedFactory(organisation=world.holtalen)
    MatchStateFactory(need=need)
    return services.request_create(
        actor=world.users["secretariat_sor"],
        region=world.region,
        title="Helsefagarbeidere i Holtålen",
        description="Fagbrev med samlinger lokalt.",
        answer_deadline=timezone.localdate() + datetime.timedelta(days=14),
        needs=[need],
        providers=[world.ntnu],
    )


def sent_request(world):
    request = draft_request(world)
    services.request_send(actor=world.users["secretariat_sor"], request=request)
    request.refresh_from_db()
    return request


def answered_request(world):
    request = sent_request(world)
    answer = ProviderAnswer.objects.select_related("request", "provider").get(request=request)
    services.request_answer(
        actor=world.users["ntnu_admin"],
        answer=answer,
        kind="new",
        expected_version=answer.version,
        planned_start=timezone.localdate() + datetime.timedelta(days=90),
    )
    request.refresh_from_db()
    return request


def closed_request(world):
    request = sent_request(world)
    return services.request_close(actor=world.users["secretariat_sor"], request=request)


def url(name, request_of=sent_request):
    return lambda w: reverse(name, args=[request_of(w).pk])


def region_url(name, region="region", *extra):
    return lambda w: reverse(name, args=[getattr(w, region).code, *extra])


VIEW = "L N N N N O O N O"
VIEW_DRAFT = "L N N N N N O N O"
MANAGE = "L N N N N F O N O"
MANAGE_DRAFT = "L N N N N N O N O"

MATRIX = [
    ("development:list", "get", lambda w: reverse("development:list"), "L F F F F O O O O"),
    ("development:gap", "get", region_url("development:gap"), "L F F F F F O F O"),
    ("development:gap", "get", region_url("development:gap", "county_region"), "L F F F F F F O O"),
    ("development:gap", "get", lambda w: reverse("development:gap", args=["finnes-ikke"]), "L N N N N N N N N"),
    ("development:gap_export", "get", region_url("development:gap_export", "region", "xlsx"), "L F F F F F O F O"),
    ("development:gap_export", "get", region_url("development:gap_export", "region", "csv"), "L F F F F F O F O"),
    ("development:gap_export", "get", region_url("development:gap_export", "region", "pdf"), "L F F F F F N F N"),
    ("development:create", "get", region_url("development:create"), "L F F F F F O F O"),
    ("development:create", "get", region_url("development:create", "county_region"), "L F F F F F F F O"),
    ("development:detail", "get", url("development:detail", draft_request), VIEW_DRAFT),
    ("development:detail", "get", url("development:detail"), VIEW),
    ("development:detail", "get", url("development:detail", closed_request), VIEW),
    ("development:detail", "get", lambda w: reverse("development:detail", args=[999999]), "L N N N N N N N N"),
    ("development:send", "post", url("development:send", draft_request), MANAGE_DRAFT),
    ("development:send", "post", url("development:send"), "L N N N N F F N O"),
    ("development:answer", "get", url("development:answer"), "L N N N N O F N O"),
    ("development:answer", "post", url("development:answer"), "L N N N N O F N O"),
    ("development:answer", "get", url("development:answer", answered_request), "L N N N N O F N O"),
    ("development:answer", "get", url("development:answer", draft_request), "L N N N N N F N O"),
    ("development:answer", "get", url("development:answer", closed_request), "L N N N N F F N O"),
    ("development:link_offering", "get", url("development:link_offering", answered_request), "L N N N N O O N O"),
    ("development:link_offering", "post", url("development:link_offering", answered_request), "L N N N N O O N O"),
    ("development:link_offering", "get", url("development:link_offering", closed_request), "L N N N N F F N O"),
    ("development:close", "get", url("development:close"), MANAGE),
    ("development:close", "post", url("development:close"), MANAGE),
    ("development:close", "post", url("development:close", closed_request), "L N N N N F F N O"),
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


def test_observer_of_the_requests_region_sees_but_does_not_run_it(world, client_for):
    from kompetansebro.organisations.models import RegionRoleKind
    from tests.factories import RegionRoleFactory

    observer = RegionRoleFactory(region=world.region, role=RegionRoleKind.OBSERVER).user
    request = sent_request(world)
    client = client_for("anonymous")
    client.force_login(observer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("development:gap", args=[world.region.code])).status_code == 200
    assert client.get(reverse("development:detail", args=[request.pk])).status_code == 200
    assert client.get(reverse("development:create", args=[world.region.code])).status_code == 403
    assert client.post(reverse("development:close", args=[request.pk])).status_code == 403
    assert client.post(reverse("development:answer", args=[request.pk])).status_code == 403


def test_matrix_covers_every_view():
    """A new development URL without a row in the matrix fails here, so nobody forgets its permissions."""
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace == "development":
            names |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
