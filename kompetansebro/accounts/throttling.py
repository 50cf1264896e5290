"""Slowing password guessing against one account from many addresses, and password-reset mail floods.

django-axes locks a (user name, address) pair; an attacker with many addresses gets a fresh allowance
from each. Here failures are counted per account, from any address: after LOGIN_ACCOUNT_FAILURES within
LOGIN_ACCOUNT_WINDOW seconds, the account waits LOGIN_ACCOUNT_DELAY seconds after each failure, doubling up
to LOGIN_ACCOUNT_MAX_DELAY. It is never a lock: the owner can log in once the short wait is over, and a
successful login clears the count."""

import time

from django.conf import settings
from django.core.cache import cache

from kompetansebro.core.addresses import client_address
from kompetansebro.core.ratelimit import hit, rate_key

HOUR = 60 * 60


def _delay(failures: int) -> int:
    over = failures - settings.LOGIN_ACCOUNT_FAILURES
    if over < 0:
        return 0
    return min(settings.LOGIN_ACCOUNT_DELAY * 2 ** min(over, 20), settings.LOGIN_ACCOUNT_MAX_DELAY)


def login_wait(username: str) -> int:
    """Seconds before this account takes another login attempt (0: now)."""
    if not username.strip():
        return 0
    state = cache.get(rate_key("login", username))
    if state is None:
        return 0
    remaining = state["last"] + _delay(state["failures"]) - time.time()
    return max(int(remaining + 0.999), 0)


def login_failed(username: str) -> None:
    if not username.strip():
        return
    key = rate_key("login", username)
    now = time.time()
    state = cache.get(key)
    if state is None or now - state["last"] > settings.LOGIN_ACCOUNT_WINDOW:
        state = {"failures": 0, "last": now}
    state = {"failures": state["failures"] + 1, "last": now}
    cache.set(key, state, settings.LOGIN_ACCOUNT_WINDOW + _delay(state["failures"]))


def login_succeeded(username: str) -> None:
    cache.delete(rate_key("login", username))


def password_reset_allowed(request, email: str) -> bool:
    """At most PASSWORD_RESET_PER_ADDRESS mails an hour from one address and PASSWORD_RESET_PER_ACCOUNT to
    one e-mail address (counted whether or not it has an account, so the answer reveals nothing)."""
    by_address = hit(
        rate_key("reset-address", client_address(request)), limit=settings.PASSWORD_RESET_PER_ADDRESS, window=HOUR
    )
    by_account = hit(rate_key("reset-account", email), limit=settings.PASSWORD_RESET_PER_ACCOUNT, window=HOUR)
    return by_address and by_account
