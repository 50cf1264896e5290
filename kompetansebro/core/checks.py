"""System checks for settings that Django's own checks cannot know about.

An unparsable TRUSTED_PROXIES entry would fail every request that asks for the caller's address, so it stops
the start; an empty list behind nginx makes every visitor share nginx's address in lock-outs and rate limits,
which `check --deploy` warns about (an upgrade that forgets the new setting would lock everyone out together)."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def trusted_proxies_are_addresses(app_configs, **kwargs):
    errors = []
    for proxy in settings.TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES: {proxy!r} is neither an IP address nor a network.",
                    hint="Write addresses or networks, comma-separated: 127.0.0.1,10.0.0.0/8",
                    id="kompetansebro.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def trusted_proxies_are_set(app_configs, **kwargs):
    if settings.TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "TRUSTED_PROXIES is empty: behind a reverse proxy every visitor has the proxy's address, so one "
            "person's failed logins or API calls lock out or slow down everyone.",
            hint="Set TRUSTED_PROXIES=127.0.0.1 for nginx on the same host (docs/operations.md).",
            id="kompetansebro.W001",
        )
    ]
