"""Rate limits: password guessing against one account from many addresses is slowed (never locked),
X-Forwarded-For is believed only from a trusted proxy, password-reset mails and the API are limited."""

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse

from kompetansebro.api.services import token_create
from kompetansebro.core.addresses import client_address
from tests.factories import UserFactory

PASSWORD = "Passord-for-test-1"


def login(client, password, address, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": "kari@example.no", "password": password},
        HTTP_X_FORWARDED_FOR=address,
        REMOTE_ADDR="127.0.0.1",
        **extra,
    )


@pytest.fixture
def kari(db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    return UserFactory(email="kari@example.no", password=PASSWORD)


def test_thirty_guesses_from_thirty_addresses_are_slowed(kari, client, settings):
    answers = [login(client, f"gjett-{n}", f"203.0.113.{n}").status_code for n in range(30)]
    assert answers[: settings.LOGIN_ACCOUNT_FAILURES] == [200] * settings.LOGIN_ACCOUNT_FAILURES
    assert set(answers[settings.LOGIN_ACCOUNT_FAILURES :]) == {429}
    # Even the right password waits: the answer does not tell the attacker whether a guess was right.
    slowed = login(client, PASSWORD, "198.51.100.7")
    assert slowed.status_code == 429 and 0 < int(slowed["Retry-After"]) <= settings.LOGIN_ACCOUNT_DELAY


def test_the_slowdown_grows_and_ends_it_is_never_a_lock(kari, client, settings, monkeypatch):
    settings.LOGIN_ACCOUNT_FAILURES = 2
    clock = [1_000_000.0]
    monkeypatch.setattr("kompetansebro.accounts.throttling.time.time", lambda: clock[0])
    for n in range(2):
        assert login(client, "feil", f"203.0.113.{n}").status_code == 200
    assert login(client, "feil", "203.0.113.9").status_code == 429
    clock[0] += settings.LOGIN_ACCOUNT_DELAY + 1
    assert login(client, "feil", "203.0.113.10").status_code == 200  # one more failure: the wait doubles
    clock[0] += settings.LOGIN_ACCOUNT_DELAY + 1
    assert int(login(client, "feil", "203.0.113.11")["Retry-After"]) == settings.LOGIN_ACCOUNT_DELAY - 1
    clock[0] += settings.LOGIN_ACCOUNT_DELAY
    assert login(client, PASSWORD, "198.51.100.7").status_code == 302  # the owner gets in
    assert login(Client(), "feil", "203.0.113.12").status_code == 200  # and the count starts again


def test_forwarded_for_is_ignored_from_an_untrusted_peer_and_used_from_a_trusted_one(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    factory = RequestFactory()
    assert client_address(factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="198.51.100.7")) == (
        "198.51.100.7"
    )
    assert client_address(factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="127.0.0.1")) == "1.2.3.4"
    # What the client wrote comes first; the address our proxies saw is the rightmost one that is not a proxy.
    chained = factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4, 10.1.2.3", REMOTE_ADDR="127.0.0.1")
    assert client_address(chained) == "1.2.3.4"
    assert client_address(factory.get("/", HTTP_X_FORWARDED_FOR="junk", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    settings.TRUSTED_PROXIES = []
    assert client_address(factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_an_untrusted_peer_cannot_dodge_the_lock_out_with_forged_addresses(db, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = []
    UserFactory(email="kari@example.no", password=PASSWORD)
    for n in range(2):
        login(client, "feil", f"203.0.113.{n}")
    assert login(client, PASSWORD, "203.0.113.99").status_code == 429


def test_password_reset_mails_are_limited_per_account_and_per_address(kari, client, settings):
    url = reverse("accounts:password_reset")
    answers = [
        client.post(url, {"email": "kari@example.no"}, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(6)
    ]
    assert answers == [302] * settings.PASSWORD_RESET_PER_ACCOUNT + [429] * (6 - settings.PASSWORD_RESET_PER_ACCOUNT)
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_ACCOUNT
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    others = [client.post(url, {"email": f"p{n}@example.no"}, REMOTE_ADDR="203.0.113.5").status_code for n in range(3)]
    assert others == [302, 302, 429]


def test_the_api_is_limited_per_address_for_anonymous_callers(db, settings):
    settings.API_THROTTLE_ANONYMOUS = "3/min"
    answers = [Client().get("/api/v1/fields", REMOTE_ADDR="203.0.113.5").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = Client().get("/api/v1/fields", REMOTE_ADDR="203.0.113.5")
    assert refused.json()["detail"] and int(refused["Retry-After"]) > 0
    assert Client().get("/api/v1/fields", REMOTE_ADDR="203.0.113.6").status_code == 200


def test_the_api_is_limited_per_token(db, settings):
    settings.API_THROTTLE_TOKEN = "2/min"
    settings.API_THROTTLE_ANONYMOUS = "1/min"
    person = UserFactory()
    _first, one = token_create(actor=person, user=person, name="one")
    _second, other = token_create(actor=person, user=person, name="other")
    calls = [Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {one}").status_code for _ in range(3)]
    assert calls == [200, 200, 429]
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


def test_the_database_cache_shared_by_the_workers_exists(db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kompetansebro_cache"}
    }
    settings.API_THROTTLE_ANONYMOUS = "1/min"
    assert Client().get("/api/v1/fields").status_code == 200
    assert Client().get("/api/v1/fields").status_code == 429
    assert caches["default"].get("throttle_anonymous_127.0.0.1")
