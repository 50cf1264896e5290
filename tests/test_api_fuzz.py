"""Schemathesis in the suite: a few generated calls per API operation, valid and invalid, anonymous and with
a token, never answer 5xx and answer as the OpenAPI document says. bench/api_fuzz.py runs hundreds."""

from contextlib import contextmanager

import pytest
from django.core import signals
from django.db import close_old_connections
from schemathesis import GenerationMode

from kompetansebro.api.services import token_create
from kompetansebro.wsgi import application
from tests.api_fuzzing import Totals, fuzz, load_schema, operations
from tests.test_api import make_need, make_offering

SCHEMA = load_schema(application)


@contextmanager
def the_test_transaction_kept_open():
    """The WSGI application closes stale connections as each request starts and ends, which inside the
    test's transaction closes it on PostgreSQL. Django's test client leaves these handlers out for its own
    requests (and connects them again afterwards, so this must come after make_offering's request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


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
    with the_test_transaction_kept_open():
        for mode in GenerationMode:
            totals.add(fuzz(operation, headers=headers, examples=5, mode=mode))
    assert totals.failures == [], "\n\n".join(totals.failures[:5])
    assert totals.by_class()["5xx"] == 0
