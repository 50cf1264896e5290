"""Behind nginx, lock-outs follow the client's address from X-Forwarded-For, not nginx's own."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_lock_out_is_per_client_address_behind_the_proxy(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    UserFactory(email="kari@example.no", password="Passord-for-test-1")
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "kari@example.no", "password": "feil"}, **attacker)
    blocked = client.post(
        reverse("accounts:login"), {"username": "kari@example.no", "password": "Passord-for-test-1"}, **attacker
    )
    assert blocked.status_code == 429
    kari = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "127.0.0.1"}
    allowed = client.post(
        reverse("accounts:login"), {"username": "kari@example.no", "password": "Passord-for-test-1"}, **kari
    )
    assert allowed.status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_cannot_lock_out_someone_else(client, settings):
    """nginx replaces X-Forwarded-For; if a client's own header ever slipped through, it would not match."""
    settings.AXES_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    UserFactory(email="kari@example.no", password="Passord-for-test-1")
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9", "REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "kari@example.no", "password": "feil"}, **forged)
    kari = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "127.0.0.1"}
    allowed = client.post(
        reverse("accounts:login"), {"username": "kari@example.no", "password": "Passord-for-test-1"}, **kari
    )
    assert allowed.status_code == 302
