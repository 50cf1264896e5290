"""Schemathesis in the suite: a few generated calls per API operation, valid and invalid, anonymous and with
a token, never answer 5xx and answer as the OpenAPI document says. bench/api_fuzz.py runs hundreds."""

import pytest
from schemathesis import GenerationMode

from kompetansebro.api.services import token_create
from kompetansebro.wsgi import application
from tests.api_fuzzing import Totals, fuzz, load_schema, operations
from tests.test_api import make_need, make_offering

SCHEMA = load_schema(application)


@pytest.mark.parametrize("operation", operations(SCHEMA), ids=lambda operation: operation.label)
@pytest.mark.parametrize("persona", [None, "platform_admin"], ids=["anonymous", "token"])
def test_generated_calls_never_give_5xx_and_match_the_schema(world, operation, persona):
    make_need(world, visibility="public")
    make_offering(world)
    headers = {}
    if persona:
        _token, secret = token_create(actor=world.users[persona], user=world.users[persona], name="fuzz")
        headers["Authorization"] = f"Bearer {secret}"
    totals = Totals()
    for mode in GenerationMode:
        totals.add(fuzz(operation, headers=headers, examples=5, mode=mode))
    assert totals.failures == [], "\n\n".join(totals.failures[:5])
    assert totals.by_class()["5xx"] == 0
