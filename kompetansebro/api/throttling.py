"""Rate limits of the API (django-ninja's throttles): anonymous callers per address, everyone else per
token (or per person for the site's own session calls). The rates are read from the settings at each
call (API_THROTTLE_ANONYMOUS, API_THROTTLE_TOKEN; "off": no limit); the counts live in the cache, which
every gunicorn worker shares (the database cache, settings.CACHES)."""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

from kompetansebro.core.addresses import client_address


class _SettingsRateThrottle(SimpleRateThrottle):
    setting = ""

    def __init__(self):
        self.rate = None

    def allow_request(self, request) -> bool:
        rate = getattr(settings, self.setting)
        if not rate or rate == "off":
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_ident(self, request) -> str:
        return client_address(request)


class AnonymousThrottle(_SettingsRateThrottle):
    scope = "anonymous"
    setting = "API_THROTTLE_ANONYMOUS"

    def get_cache_key(self, request) -> str | None:
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(_SettingsRateThrottle):
    scope = "token"
    setting = "API_THROTTLE_TOKEN"

    def get_cache_key(self, request) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
