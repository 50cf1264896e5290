"""Creating, revoking and checking personal API tokens; every change is in the history."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.api.models import TOKEN_PREFIX, ApiToken, hash_secret
from kompetansebro.audit.services import log_action, model_label

PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
# A token's last use is written at most this often, so a busy integration does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_SECRET_LENGTH = 200


def token_create(*, actor, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Returns the token and its secret. The secret is not stored and cannot be shown again."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
        log_action(
            actor=actor,
            action="api.token.created",
            target=token,
            data={
                "name": token.name,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat() if expires_at else "",
            },
        )
    return token, secret


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(
            actor=actor,
            action="api.token.revoked",
            target=token,
            changes={"revoked_at": {"old": None, "new": token.revoked_at.isoformat(), "model": model_label(ApiToken)}},
        )
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret (and its person, if active), or None."""
    if not secret or len(secret) > MAX_SECRET_LENGTH or not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(secret_hash=hash_secret(secret)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
