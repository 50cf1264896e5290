from django.db import transaction

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import diff, log_action, snapshot

PROFILE_FIELDS = ["full_name", "phone", "job_title", "language"]


def user_update_profile(*, user: User, actor: User, data: dict) -> User:
    with transaction.atomic():
        before = snapshot(User.objects.get(pk=user.pk), PROFILE_FIELDS)
        for name in PROFILE_FIELDS:
            if name in data:
                setattr(user, name, data[name])
        user.full_clean()
        user.save(update_fields=PROFILE_FIELDS)
        changes = diff(before, snapshot(user, PROFILE_FIELDS), model=User)
        if changes:
            log_action(actor=actor, action="accounts.user.changed", target=user, changes=changes)
    return user


def user_get_or_invite(*, email: str, full_name: str, actor: User) -> tuple[User, bool]:
    """The person with this e-mail, or a new account without a password (they choose one by the
    password-reset link sent with the invitation)."""
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing:
        return existing, False
    user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    log_action(actor=actor, action="accounts.user.created", target=user, data={"email": email})
    return user, True
