"""The caller's address, for lock-outs and rate limits (django-axes, login and reset throttles, the API).

X-Forwarded-For is believed only from a proxy listed in TRUSTED_PROXIES (nginx on the same host:
127.0.0.1). Anyone else could write any address into it, and get a fresh allowance per guess."""

import ipaddress

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    """The connection's address; when that is a trusted proxy, the nearest address in X-Forwarded-For that
    is not a trusted proxy itself (read from the right: what our proxies added, not what the client sent)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    for candidate in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        candidate = candidate.strip()
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return remote
        if not _trusted(candidate):
            return candidate
    return remote
