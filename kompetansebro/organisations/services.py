"""Every change to organisations, memberships and region roles: validated, atomic, recorded."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kompetansebro.accounts.services import user_get_or_invite
from kompetansebro.audit.services import diff, log_action, model_label, snapshot
from kompetansebro.core.versioning import save_versioned
from kompetansebro.organisations.access import forget_access
from kompetansebro.organisations.models import Membership, MembershipRole, Organisation, RegionRole

ORGANISATION_FIELDS = [
    "name",
    "kind",
    "provider_kind",
    "org_number",
    "municipality",
    "parent",
    "represented_by",
    "description",
    "website",
    "email",
    "phone",
    "is_active",
]


class OrganisationInUseError(ValidationError):
    pass


def organisation_create(*, actor, data: dict) -> Organisation:
    organisation = Organisation(**{name: data[name] for name in ORGANISATION_FIELDS if name in data})
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        log_action(
            actor=actor,
            action="organisations.organisation.created",
            target=organisation,
            changes=diff({}, snapshot(organisation, ORGANISATION_FIELDS), model=Organisation),
        )
    return organisation


def organisation_update(*, actor, organisation: Organisation, data: dict, expected_version: int) -> Organisation:
    """Raises ConcurrentEditError when someone else saved the organisation after `expected_version`."""
    stored = Organisation.objects.get(pk=organisation.pk)
    before = snapshot(stored, ORGANISATION_FIELDS)
    for name in ORGANISATION_FIELDS:
        if name in data:
            setattr(organisation, name, data[name])
    organisation.full_clean()
    with transaction.atomic():
        save_versioned(
            organisation, expected_version=expected_version, update_fields=[*ORGANISATION_FIELDS, "updated_at"]
        )
        changes = diff(before, snapshot(organisation, ORGANISATION_FIELDS), model=Organisation)
        if changes:
            log_action(actor=actor, action="organisations.organisation.changed", target=organisation, changes=changes)
    return organisation


def organisation_delete(*, actor, organisation: Organisation) -> None:
    """Refused while departments or represented companies point to it: deactivate instead."""
    if organisation.departments.exists():
        raise OrganisationInUseError(
            _("The organisation has departments. Move or delete them first, or deactivate it.")
        )
    if organisation.represents.exists():
        raise OrganisationInUseError(_("The organisation represents other organisations. Deactivate it instead."))
    with transaction.atomic():
        log_action(
            actor=actor,
            action="organisations.organisation.deleted",
            target=organisation,
            changes=diff(snapshot(organisation, ORGANISATION_FIELDS), {}, model=Organisation),
            data={"org_number": organisation.org_number or ""},
        )
        organisation.delete()


def _admin_count_after(organisation: Organisation, membership: Membership | None, new_role: str | None) -> int:
    admins = organisation.memberships.filter(role=MembershipRole.ADMIN)
    if membership is not None:
        admins = admins.exclude(pk=membership.pk)
    return admins.count() + (1 if new_role == MembershipRole.ADMIN else 0)


def _send_invitation(user, organisation: Organisation, actor) -> None:
    with translation.override(user.language):
        context = {
            "user": user,
            "organisation": organisation,
            "actor": actor,
            "set_password_url": settings.SITE_URL.rstrip("/")
            + reverse(
                "accounts:password_reset_confirm",
                args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
            ),
        }
        subject = render_to_string("organisations/email/invitation_subject.txt", context).strip()
        body = render_to_string("organisations/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def _role_change(seat: Membership | RegionRole, old: str | None, new: str | None) -> dict:
    """A person's role, before and after, as its stored value under the person's name."""
    return {"old": old, "new": new, "model": model_label(type(seat)), "field": "role", "object": str(seat.user)}


def membership_add(*, actor, organisation: Organisation, email: str, full_name: str, role: str) -> Membership:
    """Add a person by e-mail; a person new to the platform gets an invitation to choose a password."""
    with transaction.atomic():
        user, created = user_get_or_invite(email=email, full_name=full_name, actor=actor)
        if Membership.objects.filter(user=user, organisation=organisation).exists():
            raise ValidationError({"email": _("%(name)s is already registered in this organisation.") % {"name": user}})
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        log_action(
            actor=actor,
            action="organisations.membership.created",
            target=organisation,
            data={"person": str(user), "role": membership.role},
            changes={"membership": _role_change(membership, None, membership.role)},
        )
        if created:
            transaction.on_commit(lambda: _send_invitation(user, organisation, actor))
    forget_access(user)
    return membership


def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    if role == membership.role:
        return membership
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            membership.role == MembershipRole.ADMIN
            and _admin_count_after(membership.organisation, membership, role) == 0
        ):
            raise ValidationError({"role": _("The organisation must keep at least one administrator.")})
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        log_action(
            actor=actor,
            action="organisations.membership.changed",
            target=membership.organisation,
            changes={"role": _role_change(membership, old, membership.role)},
        )
    forget_access(membership.user)
    return membership


def membership_remove(*, actor, membership: Membership) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            membership.role == MembershipRole.ADMIN
            and _admin_count_after(membership.organisation, membership, None) == 0
        ):
            raise ValidationError(_("The organisation must keep at least one administrator. Appoint another first."))
        log_action(
            actor=actor,
            action="organisations.membership.deleted",
            target=membership.organisation,
            changes={"membership": _role_change(membership, membership.role, None)},
        )
        membership.delete()
    forget_access(membership.user)


def region_role_add(*, actor, region, email: str, full_name: str, role: str) -> RegionRole:
    with transaction.atomic():
        user, created = user_get_or_invite(email=email, full_name=full_name, actor=actor)
        if RegionRole.objects.filter(user=user, region=region).exists():
            raise ValidationError({"email": _("%(name)s already has a role in this region.") % {"name": user}})
        region_role = RegionRole.objects.create(user=user, region=region, role=role)
        log_action(
            actor=actor,
            action="organisations.region_role.created",
            target=region,
            changes={"role": _role_change(region_role, None, region_role.role)},
        )
    forget_access(user)
    return region_role


def region_role_remove(*, actor, region_role: RegionRole) -> None:
    with transaction.atomic():
        log_action(
            actor=actor,
            action="organisations.region_role.deleted",
            target=region_role.region,
            changes={"role": _role_change(region_role, region_role.role, None)},
        )
        region_role.delete()
    forget_access(region_role.user)
