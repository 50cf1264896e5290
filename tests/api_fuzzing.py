"""Schemathesis against the API in this process (through the WSGI application): for every operation of the
OpenAPI document, generated calls (valid and invalid input) anonymously or with a token, counted by status
class. Used by tests/test_api_fuzz.py (a few examples) and bench/api_fuzz.py (hundreds per operation).

Generated ids are mostly unknown (404); half of them are swapped for ids that exist, and a PATCH without a
version gets the object's current If-Match, so that changes reach the services and the database."""

from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.offerings.models import Offering

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


def _existing_ids() -> dict[str, list[int]]:
    return {
        name: list(model.objects.order_by("pk").values_list("pk", flat=True)[:50]) for name, model in MODELS.items()
    }


def _aim(case, pick: int, ids: dict[str, list[int]]) -> dict:
    """Point half of the calls at objects that exist; returns extra headers."""
    headers = {}
    for name, known in ids.items():
        if name in (case.path_parameters or {}) and known and pick % 2 == 0:
            case.path_parameters[name] = known[pick % len(known)]
            if case.method.upper() == "PATCH" and not (isinstance(case.body, dict) and "version" in case.body):
                current = MODELS[name].objects.filter(pk=case.path_parameters[name]).first()
                if current is not None:
                    headers["If-Match"] = f'"{current.version}"'
    return headers


def fuzz(operation, *, headers: dict, examples: int, mode: GenerationMode, check_conformance: bool = True) -> Totals:
    """`examples` generated calls of one operation; 5xx answers (and, if asked, answers that do not match
    the OpenAPI document) are recorded as failures rather than raised, so that a run counts them all."""
    totals = Totals()
    ids = _existing_ids()
    checks = CHECKS if check_conformance else [not_a_server_error]

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), pick=st.integers(min_value=0, max_value=10_000))
    def run(case, pick):
        call_headers = {**headers, **_aim(case, pick, ids)}
        response = case.call(headers=call_headers)
        totals.calls += 1
        totals.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=call_headers)
        except FailureGroup as error:
            totals.failures.append(f"{case.method} {case.formatted_path} {response.status_code}: {error}"[:2000])

    run()
    return totals
