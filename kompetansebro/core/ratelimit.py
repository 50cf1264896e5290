"""Counting attempts in the cache (shared by every gunicorn worker: the database cache, settings.CACHES)."""

import hashlib

from django.core.cache import cache


def rate_key(scope: str, value: str) -> str:
    """A cache key that holds no personal data (e-mail addresses, IP addresses) in clear text."""
    return f"rate:{scope}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()}"


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt in a fixed window of `window` seconds; False once more than `limit` were made."""
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
