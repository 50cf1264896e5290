"""Every change to mapping rounds: validated, atomic, recorded in the history; e-mail after commit.

Callers decide permissions with mapping/rules.py first; these functions check only that the data is valid."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import log_action, model_label
from kompetansebro.geography.models import Region
from kompetansebro.mapping.models import MappingRound, RoundInvitation, RoundNeed, RoundStatus
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, Visibility
from kompetansebro.needs.services import need_change_status, need_register
from kompetansebro.organisations.models import MembershipRole, Organisation

RESPONSIBLE_ROLES = (MembershipRole.CONTACT, MembershipRole.ADMIN)


def _start_of_today() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def round_open(
    *, actor, region: Region, title: str, description: str, deadline: datetime.date, organisations
) -> MappingRound:
    """Open a round for `region` and invite `organisations` (only those located in the region's
    municipalities; others are refused). The deadline may be today but not in the past."""
    title = (title or "").strip()
    organisations = list(organisations)
    errors = {}
    if not title:
        errors["title"] = [_("Give the round a title.")]
    if deadline is None:
        errors["deadline"] = [_("Choose the deadline.")]
    elif deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    if not organisations:
        errors["organisations"] = [_("Invite at least one organisation.")]
    else:
        in_region = set(region.municipalities.values_list("pk", flat=True))
        outside = [org.name for org in organisations if org.municipality_id not in in_region]
        if outside:
            errors["organisations"] = [
                _("These organisations are not in the region: %(names)s.") % {"names": ", ".join(sorted(outside))}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        mapping_round = MappingRound.objects.create(
            region=region,
            title=title,
            description=(description or "").strip(),
            opens_on=timezone.localdate(),
            deadline=deadline,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        RoundInvitation.objects.bulk_create(
            [RoundInvitation(round=mapping_round, organisation=org) for org in organisations]
        )
        log_action(
            actor=actor,
            action="mapping.round.opened",
            target=mapping_round,
            changes={
                "deadline": {"old": None, "new": deadline.isoformat(), "model": model_label(MappingRound)},
                "invitations": {
                    "old": None,
                    "new": sorted(org.name for org in organisations),
                    "label": gettext_noop("invited organisations"),
                },
            },
        )
    return mapping_round


def _check_open(mapping_round: MappingRound) -> None:
    if mapping_round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is closed."))


def _invitation_for(mapping_round: MappingRound, organisation: Organisation) -> RoundInvitation:
    invitation = (
        RoundInvitation.objects.select_for_update().filter(round=mapping_round, organisation=organisation).first()
    )
    if invitation is None:
        raise ValidationError(_("%(name)s is not invited to this round.") % {"name": organisation.name})
    return invitation


def round_register_need(
    *, actor, round: MappingRound, organisation: Organisation, data: dict, registered_on_behalf_by=None
) -> CompetenceNeed:  # noqa: A002 - the brief's keyword
    """Register a need for an invited organisation in the round and mark its invitation answered.
    A need in a round goes to the region, so it cannot be visible to the organisation only."""
    mapping_round = round
    _check_open(mapping_round)
    if data.get("visibility") == Visibility.ORGANISATION:
        raise ValidationError(
            {"visibility": _("A need in a mapping round is shared with the region: choose public or the region.")}
        )
    with transaction.atomic():
        invitation = _invitation_for(mapping_round, organisation)
        need = need_register(
            actor=actor, organisation=organisation, data=data, registered_on_behalf_by=registered_on_behalf_by
        )
        RoundNeed.objects.create(round=mapping_round, need=need)
        if invitation.answered_at is None:
            invitation.answered_at = timezone.now()
            invitation.save(update_fields=["answered_at"])
        log_action(
            actor=actor,
            action="mapping.round.need_registered",
            target=mapping_round,
            data={"organisation": organisation.name, "need": need.title, "need_id": need.pk},
        )
    return need


def round_mark_answered(*, actor, invitation: RoundInvitation, note: str = "") -> RoundInvitation:
    """“We have no needs this time”: the organisation has answered without registering a need."""
    _check_open(invitation.round)
    with transaction.atomic():
        current = RoundInvitation.objects.select_for_update().get(pk=invitation.pk)
        current.answered_at = current.answered_at or timezone.now()
        current.answer_note = (note or "").strip()
        current.save(update_fields=["answered_at", "answer_note"])
        log_action(
            actor=actor,
            action="mapping.round.answered",
            target=current.round,
            data={"organisation": current.organisation.name, "note": current.answer_note},
        )
    return current


def reminder_recipients(organisation_ids) -> dict[int, list[User]]:
    """Contact persons and administrators per organisation; for a company represented by a business
    garden, the garden's too (the garden answers for it). One query."""
    organisations = Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "represented_by_id")
    garden_of = dict(organisations)
    users = User.objects.filter(
        Q(memberships__organisation_id__in=garden_of.keys())
        | Q(memberships__organisation_id__in=[g for g in garden_of.values() if g]),
        is_active=True,
        memberships__role__in=RESPONSIBLE_ROLES,
    ).values_list("pk", "memberships__organisation_id")
    people_of: dict[int, set[int]] = {}
    for user_id, org_id in users:
        people_of.setdefault(org_id, set()).add(user_id)
    people = User.objects.in_bulk({user_id for ids in people_of.values() for user_id in ids})
    result = {}
    for org_id, garden_id in garden_of.items():
        ids = people_of.get(org_id, set()) | people_of.get(garden_id, set())
        result[org_id] = sorted((people[i] for i in ids if i in people), key=lambda user: user.email)
    return result


def _send_reminder(user: User, invitation: RoundInvitation) -> None:
    with translation.override(user.language):
        context = {
            "user": user,
            "round": invitation.round,
            "organisation": invitation.organisation,
            "round_url": settings.SITE_URL.rstrip("/") + invitation.round.get_absolute_url(),
        }
        subject = render_to_string("mapping/email/reminder_subject.txt", context).strip()
        body = render_to_string("mapping/email/reminder.txt", context)
    send_mail(subject, body, None, [user.email])


def round_send_reminders(*, actor, round: MappingRound) -> int:  # noqa: A002 - the brief's keyword
    """Remind the organisations that have not answered, at most once a day each (by last_reminded_at, so
    running it twice sends nothing the second time). Returns how many organisations were reminded."""
    mapping_round = round
    _check_open(mapping_round)
    now = timezone.now()
    with transaction.atomic():
        due = list(
            RoundInvitation.objects.select_for_update()
            .filter(round=mapping_round, answered_at__isnull=True)
            .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=_start_of_today()))
            .select_related("organisation", "round")
        )
        recipients = reminder_recipients([invitation.organisation_id for invitation in due])
        reminded = []
        for invitation in due:
            people = recipients.get(invitation.organisation_id, [])
            if not people:
                continue
            invitation.last_reminded_at = now
            invitation.reminder_count += 1
            reminded.append(invitation)
            for person in people:
                transaction.on_commit(lambda person=person, invitation=invitation: _send_reminder(person, invitation))
        RoundInvitation.objects.bulk_update(reminded, ["last_reminded_at", "reminder_count"])
        if reminded:
            log_action(
                actor=actor,
                action="mapping.round.reminded",
                target=mapping_round,
                data={"organisations": sorted(invitation.organisation.name for invitation in reminded)},
            )
    return len(reminded)


def round_close(*, actor, round: MappingRound) -> MappingRound:  # noqa: A002 - the brief's keyword
    """Close the round. Its needs keep their status: the registered ones await the secretariat's review
    (round_confirm_needs), closing is no review."""
    mapping_round = round
    with transaction.atomic():
        current = MappingRound.objects.select_for_update().get(pk=mapping_round.pk)
        _check_open(current)
        current.status = RoundStatus.CLOSED
        current.closed_at = timezone.now()
        current.version += 1
        current.save(update_fields=["status", "closed_at", "version"])
        log_action(
            actor=actor,
            action="mapping.round.closed",
            target=current,
            changes={
                "status": {
                    "old": RoundStatus.OPEN.value,
                    "new": RoundStatus.CLOSED.value,
                    "model": model_label(MappingRound),
                }
            },
        )
    mapping_round.status, mapping_round.closed_at, mapping_round.version = (
        current.status,
        current.closed_at,
        current.version,
    )
    return current


def needs_awaiting_review(mapping_round: MappingRound):
    """The round's needs that are still registered: the secretariat has not confirmed them."""
    return (
        CompetenceNeed.objects.filter(mapping_round_link__round=mapping_round, status=NeedStatus.REGISTERED)
        .select_related("organisation", "field", "municipality")
        .order_by("organisation__name", "title", "pk")
    )


def round_confirm_needs(*, actor, round: MappingRound, needs=None) -> int:  # noqa: A002 - the brief's keyword
    """The secretariat's review after a closed round: its registered needs (all, or those in `needs`) become
    qualified, each with the round as the cause. Returns how many were confirmed."""
    mapping_round = round
    if mapping_round.status != RoundStatus.CLOSED:
        raise ValidationError(_("Close the round before you confirm its needs."))
    with transaction.atomic():
        pending = needs_awaiting_review(mapping_round)
        if needs is not None:
            pending = pending.filter(pk__in=[need.pk for need in needs])
        confirmed = []
        for need in pending:
            need_change_status(
                actor=actor,
                need=need,
                to_status=NeedStatus.QUALIFIED,
                cause=gettext_noop("confirmed after the mapping round"),
                cause_object=mapping_round.title,
            )
            confirmed.append(need.pk)
        if confirmed:
            log_action(
                actor=actor,
                action="mapping.round.needs_confirmed",
                target=mapping_round,
                data={"needs": confirmed},
            )
    return len(confirmed)


def rounds_send_due_reminders(*, days_before: int, actor=None) -> dict[int, int]:
    """For cron: reminders for every open round whose deadline is at most `days_before` days away (or past).
    Idempotent within a day. Returns {round id: organisations reminded}."""
    limit = timezone.localdate() + datetime.timedelta(days=days_before)
    result = {}
    for mapping_round in MappingRound.objects.filter(status=RoundStatus.OPEN, deadline__lte=limit).order_by("pk"):
        result[mapping_round.pk] = round_send_reminders(actor=actor, round=mapping_round)
    return result
