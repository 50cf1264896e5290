"""Schemathesis against the API in this process (through the WSGI application): for every operation of the
OpenAPI document, generated calls (valid and invalid input) anonymously or with a token, counted by status
class. Used by tests/test_api_fuzz.py (a few examples) and bench/api_fuzz.py (hundreds per operation).

Generated ids and codes are mostly unknown (404, 422); in half of the calls they are swapped for ones that
exist, and a PATCH without a version gets the object's current If-Match, so that changes reach the services
and the database."""

import random
from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from kompetansebro.competences.models import CompetenceField
from kompetansebro.geography.models import Municipality
from kompetansebro.needs.models import CompetenceNeed, NeedStatus
from kompetansebro.offerings.models import Offering
from kompetansebro.organisations.models import Organisation, OrganisationKind

# Not status_code_conformance: the operations do not list every 401/404/422 they may answer.
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
MODELS = {"need_id": CompetenceNeed, "offering_id": Offering}


@dataclass
class Totals:
    calls: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, other: "Totals") -> None:
        self.calls += other.calls
        self.statuses.update(other.statuses)
        self.failures.extend(other.failures)

    def by_class(self) -> dict[str, int]:
        classes = Counter(f"{status // 100}xx" for status in self.statuses.elements())
        return {name: classes.get(name, 0) for name in ("2xx", "3xx", "4xx", "5xx")}


def load_schema(application):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _known() -> dict[str, list]:
    """Values that exist, by path parameter or body field."""

    def first(queryset, name="pk"):
        return list(queryset.order_by(name).values_list(name, flat=True)[:50])

    return {
        **{name: first(model.objects) for name, model in MODELS.items()},
        "organisation": first(Organisation.objects),
        "provider": first(Organisation.objects.filter(kind=OrganisationKind.EDUCATION_PROVIDER)),
        "field": first(CompetenceField.objects, "code"),
        "municipality": first(Municipality.objects, "number"),
        "status": list(NeedStatus.values),
    }


def _aim(case, rng: random.Random, known: dict[str, list]) -> dict:
    """Point half of the calls at things that exist (ids, codes, municipality numbers), without the generated
    Authorization header; send a quarter with one body field alone (so that its bad value is not hidden
    behind another field's 422), half of those null, which generation rarely tries and a NOT NULL column
    must refuse with a 422. Returns extra headers."""
    if rng.random() < 0.5:
        return {}
    if case.headers:
        case.headers.pop("Authorization", None)
    if isinstance(case.body, dict) and case.body and rng.random() < 0.5:
        name = rng.choice(sorted(case.body))
        case.body = {name: None if rng.random() < 0.5 else case.body[name]}
    if isinstance(case.body, dict):
        for name in ("organisation", "provider", "field", "municipality", "status"):
            if case.body.get(name) is not None and known[name]:
                case.body[name] = rng.choice(known[name])
        if isinstance(case.body.get("gathering_locations"), list) and known["municipality"]:
            case.body["gathering_locations"] = rng.sample(known["municipality"], rng.randint(0, 3))
    if "provider" in (case.query or {}) and known["provider"]:
        case.query["provider"] = rng.choice(known["provider"])
    headers = {}
    for name, model in MODELS.items():
        if name in (case.path_parameters or {}) and known[name]:
            case.path_parameters[name] = rng.choice(known[name])
            if case.method.upper() == "PATCH" and not (isinstance(case.body, dict) and "version" in case.body):
                current = model.objects.filter(pk=case.path_parameters[name]).first()
                if current is not None:
                    headers["If-Match"] = f'"{current.version}"'
    return headers


def fuzz(operation, *, headers: dict, examples: int, mode: GenerationMode, check_conformance: bool = True) -> Totals:
    """`examples` generated calls of one operation; 5xx answers (and, if asked, answers that do not match
    the OpenAPI document) are recorded as failures rather than raised, so that a run counts them all."""
    totals = Totals()
    known = _known()
    checks = CHECKS if check_conformance else [not_a_server_error]

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), rng=st.randoms(use_true_random=True))
    def run(case, rng):
        call_headers = {**headers, **_aim(case, rng, known)}
        response = case.call(headers=call_headers)
        totals.calls += 1
        totals.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=call_headers)
        except FailureGroup as error:
            totals.failures.append(f"{case.method} {case.formatted_path} {response.status_code}: {error}"[:2000])

    run()
    return totals
