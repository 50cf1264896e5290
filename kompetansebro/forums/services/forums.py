"""Creating and changing forums and their members. Every write is atomic and recorded in the history.

Callers decide permissions with forums/rules.py first; these functions check that the data are valid.
Membership changes are recorded on the forum, so the forum's history shows who joined and left."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.core.seats import end_seat
from kompetansebro.core.versioning import save_versioned
from kompetansebro.forums.access import forget_forum_access
from kompetansebro.forums.models import Forum, ForumKind, ForumMembership, MemberRole
from kompetansebro.geography.models import Region
from kompetansebro.organisations.models import Organisation

FORUM_FIELDS = [
    "name",
    "slug",
    "kind",
    "owner",
    "region",
    "mandate",
    "appointed_from",
    "appointed_until",
    "is_public",
    "case_prefix",
]
# A seat in the forum, as its history records it when it is added.
SEAT_FIELDS = ["person", "organisation", "role", "may_decide", "starts_on", "ends_on"]
# Addresses under /fora/ that are pages, not forums.
RESERVED_SLUGS = {"ny"}


def _check_forum(
    *, name: str, slug: str, kind: str, owner, appointed_from, appointed_until, exclude_pk: int | None = None
) -> None:
    errors = {}
    if not name:
        errors["name"] = [_("Give the forum a name.")]
    if not slug:
        errors["slug"] = [_("Give the forum a short name for its address.")]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [_("This short name is reserved. Choose another.")]
    elif Forum.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        errors["slug"] = [_("Another forum already uses this short name. Choose another.")]
    if kind not in ForumKind.values:
        errors["kind"] = [_("Choose the kind of forum.")]
    if owner is None:
        errors["owner"] = [_("Choose the organisation that owns the forum.")]
    if appointed_from and appointed_until and appointed_until < appointed_from:
        errors["appointed_until"] = [_("The end of the appointment period cannot be before its start.")]
    if errors:
        raise ValidationError(errors)


def forum_create(
    *,
    actor,
    name: str,
    slug: str,
    kind: str,
    owner: Organisation,
    region: Region | None = None,
    mandate: str = "",
    appointed_from: datetime.date | None = None,
    appointed_until: datetime.date | None = None,
    is_public: bool = True,
    case_prefix: str = "PS",
) -> Forum:
    name, slug, mandate = (name or "").strip(), (slug or "").strip(), (mandate or "").strip()
    _check_forum(
        name=name,
        slug=slug,
        kind=kind,
        owner=owner,
        appointed_from=appointed_from,
        appointed_until=appointed_until,
    )
    with transaction.atomic():
        forum = Forum.objects.create(
            name=name,
            slug=slug,
            kind=kind,
            owner=owner,
            region=region,
            mandate=mandate,
            appointed_from=appointed_from,
            appointed_until=appointed_until,
            is_public=is_public,
            case_prefix=(case_prefix or "PS").strip() or "PS",
        )
        log_action(
            actor=actor,
            action="forums.forum.created",
            target=forum,
            changes=diff({}, snapshot(forum, FORUM_FIELDS), model=Forum),
        )
    return forum


def forum_update(*, actor, forum: Forum, expected_version: int, **values) -> Forum:
    """Change the forum's details. Raises ConcurrentEditError when someone else saved it since
    `expected_version` was read."""
    unknown = set(values) - set(FORUM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown forum fields: {sorted(unknown)}")
    for key in ("name", "slug", "mandate", "case_prefix"):
        if key in values:
            values[key] = (values[key] or "").strip()
    merged = {name: values.get(name, getattr(forum, name)) for name in FORUM_FIELDS}
    _check_forum(
        name=merged["name"],
        slug=merged["slug"],
        kind=merged["kind"],
        owner=merged["owner"],
        appointed_from=merged["appointed_from"],
        appointed_until=merged["appointed_until"],
        exclude_pk=forum.pk,
    )
    with transaction.atomic():
        before = snapshot(Forum.objects.get(pk=forum.pk), FORUM_FIELDS)
        for name, value in values.items():
            setattr(forum, name, value)
        if not forum.case_prefix:
            forum.case_prefix = "PS"
        save_versioned(forum, expected_version=expected_version, update_fields=list(values))
        changes = diff(before, snapshot(forum, FORUM_FIELDS), model=Forum)
        if changes:
            log_action(actor=actor, action="forums.forum.changed", target=forum, changes=changes)
    return forum


def _overlaps(forum: Forum, person, starts_on: datetime.date, ends_on: datetime.date | None, exclude_pk=None):
    """The person's other seats in the forum whose period overlaps [starts_on, ends_on]."""
    seats = ForumMembership.objects.filter(forum=forum, person=person).exclude(pk=exclude_pk)
    seats = seats.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        seats = seats.filter(starts_on__lte=ends_on)
    return seats


def _membership_snapshot(membership: ForumMembership) -> dict:
    return {
        "person": membership.person.get_full_name(),
        "represents": membership.organisation.name if membership.organisation_id else None,
        "role": membership.role,
        "may_decide": membership.may_decide,
        "starts_on": membership.starts_on.isoformat(),
        "ends_on": membership.ends_on.isoformat() if membership.ends_on else None,
    }


def membership_add(
    *,
    actor,
    forum: Forum,
    person,
    role: str,
    starts_on: datetime.date,
    organisation: Organisation | None = None,
    may_decide: bool = True,
    ends_on: datetime.date | None = None,
) -> ForumMembership:
    """Give `person` a seat. A person holds at most one seat in a forum at a time."""
    errors = {}
    if person is None:
        errors["person"] = [_("Choose a registered person.")]
    elif not person.is_active:
        errors["person"] = [_("This person's account is deactivated.")]
    if role not in MemberRole.values:
        errors["role"] = [_("Choose a role.")]
    if starts_on is None:
        errors["starts_on"] = [_("Give the date the seat starts.")]
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The seat cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    if role in (MemberRole.OBSERVER, MemberRole.SECRETARIAT):
        may_decide = False
    with transaction.atomic():
        Forum.objects.select_for_update().get(pk=forum.pk)  # one seat change per forum at a time
        clash = _overlaps(forum, person, starts_on, ends_on).first()
        if clash is not None:
            raise ValidationError(
                {
                    "person": _(
                        "%(name)s already has a seat in this forum (%(role)s from %(start)s) in the same period."
                    )
                    % {
                        "name": person.get_full_name(),
                        "role": clash.get_role_display(),
                        "start": clash.starts_on.strftime("%d.%m.%Y"),
                    }
                }
            )
        membership = ForumMembership.objects.create(
            forum=forum,
            person=person,
            organisation=organisation,
            role=role,
            may_decide=may_decide,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        log_action(
            actor=actor,
            action="forums.membership.added",
            target=forum,
            changes=diff({}, snapshot(membership, SEAT_FIELDS), model=ForumMembership),
            data=_membership_snapshot(membership),
        )
    forget_forum_access(person)
    return membership


def membership_end(*, actor, membership: ForumMembership, ends_on: datetime.date | None = None) -> ForumMembership:
    """End a seat on `ends_on` (today if not given). The seat stays in the forum's history."""
    end_seat(
        actor=actor,
        seat=membership,
        owner=membership.forum,
        action="forums.membership.ended",
        record=_membership_snapshot,
        ends_on=ends_on,
    )
    forget_forum_access(membership.person)
    return membership
