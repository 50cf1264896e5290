"""Every change to competence needs: validated, atomic, recorded in the history.

Callers (views, import, API) decide permissions with needs/rules.py first; these functions check only that
the data and the status move are valid."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, model_label, snapshot
from kompetansebro.competences.services import tag_names, tags_get_or_create
from kompetansebro.core.versioning import save_versioned
from kompetansebro.geography.models import Region
from kompetansebro.needs.access import need_access
from kompetansebro.needs.models import (
    FINAL_STATUSES,
    FORWARD_ORDER,
    NEXT_STATUSES,
    CompetenceNeed,
    NeedStatus,
    NeedStatusChange,
)
from kompetansebro.needs.rules import allowed_next_statuses
from kompetansebro.organisations.models import Organisation, RegionRoleKind

# The fields a registration or an edit may set (data keys = model field names).
NEED_FIELDS = [
    "title",
    "description",
    "field",
    "level",
    "persons",
    "municipality",
    "wants_online",
    "wants_local_gatherings",
    "wants_workplace",
    "campus_acceptable",
    "combined_work_education",
    "wanted_start",
    "urgency",
    "contact_person",
    "visibility",
    "public_title",
    "public_description",
    "external_id",
]
# Stripped of surrounding spaces, so that a public text of only spaces falls back to the neutral text.
STRIPPED_FIELDS = {"external_id", "public_title", "public_description"}
HISTORY_FIELDS = ["organisation", "registered_on_behalf_by", "registered_by_region", *NEED_FIELDS, "tags", "status"]


def _check_persons(need: CompetenceNeed) -> None:
    if need.persons is None or need.persons < 1:
        raise ValidationError({"persons": _("The number of persons must be at least 1.")})


def _tags_from(value) -> list[str]:
    if value is None:
        return []
    return tag_names(value)


def _rematch_after_commit(need: CompetenceNeed) -> None:
    """Matching builds on needs, so it is imported here, at call time, to keep the apps' imports one way."""
    from kompetansebro.matching.services import need_changed

    transaction.on_commit(lambda: need_changed(need.pk))


def _registering_region(actor, organisation: Organisation, municipality, registered_on_behalf_by):
    """The region whose secretariat registers a need for an organisation it does not act for itself."""
    if registered_on_behalf_by is not None or not getattr(actor, "is_authenticated", False):
        return None
    if organisation.pk in need_access(actor).responsible_org_ids:
        return None
    return (
        Region.objects.filter(roles__user=actor, roles__role=RegionRoleKind.SECRETARIAT, municipalities=municipality)
        .order_by("pk")
        .first()
    )


def need_register(
    *, actor, organisation: Organisation, data: dict, registered_on_behalf_by: Organisation | None = None
) -> CompetenceNeed:
    """Register a need for `organisation` (by itself, by a business garden or by a region's secretariat).

    `data` uses the model's field names; `tags` may be a list of names or a text like "varmepumpe, F-gass".
    The municipality defaults to the organisation's. The need starts as registered."""
    need = CompetenceNeed(
        organisation=organisation,
        registered_on_behalf_by=registered_on_behalf_by,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=NeedStatus.REGISTERED,
        **{name: data[name] for name in NEED_FIELDS if name in data and data[name] is not None},
    )
    if need.municipality_id is None:
        need.municipality_id = organisation.municipality_id
    for name in STRIPPED_FIELDS:
        setattr(need, name, (getattr(need, name) or "").strip())
    need.registered_by_region = data.get("registered_by_region") or _registering_region(
        actor, organisation, need.municipality, registered_on_behalf_by
    )
    _check_persons(need)
    need.full_clean()
    names = _tags_from(data.get("tags"))
    with transaction.atomic():
        need.save()
        if names:
            need.tags.set(tags_get_or_create(names))
        NeedStatusChange.objects.create(
            need=need, from_status="", to_status=NeedStatus.REGISTERED, changed_by=need.created_by
        )
        log_action(
            actor=actor,
            action="needs.need.created",
            target=need,
            changes=diff({}, snapshot(need, HISTORY_FIELDS), model=CompetenceNeed),
        )
        _rematch_after_commit(need)
    return need


def need_update(*, actor, need: CompetenceNeed, data: dict, expected_version: int) -> CompetenceNeed:
    """Change the fields in `data` (not the status: see need_change_status).

    Raises ConcurrentEditError when someone else saved the need after `expected_version`."""
    stored = CompetenceNeed.objects.get(pk=need.pk)
    before = snapshot(stored, HISTORY_FIELDS)
    changed = [name for name in NEED_FIELDS if name in data]
    for name in changed:
        value = data[name]
        if name in STRIPPED_FIELDS:
            value = (value or "").strip()
        setattr(need, name, value)
    _check_persons(need)
    need.full_clean()
    with transaction.atomic():
        save_versioned(need, expected_version=expected_version, update_fields=[*changed, "updated_at"])
        if "tags" in data:
            need.tags.set(tags_get_or_create(_tags_from(data["tags"])))
        changes = diff(before, snapshot(need, HISTORY_FIELDS), model=CompetenceNeed)
        if changes:
            log_action(actor=actor, action="needs.need.changed", target=need, changes=changes)
            _rematch_after_commit(need)
    return need


def need_change_status(
    *, actor, need: CompetenceNeed, to_status: str, reason: str = "", cause: str = "", cause_object: str = ""
) -> CompetenceNeed:
    """Move the need one step in its life cycle (NEXT_STATUSES); closing needs a reason.

    `cause` (an English msgid marked with gettext_noop) and `cause_object` (the name of what caused it) say
    why the system made the move. Writes the status history (who, when, why) and the audit history, and
    bumps the version."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = CompetenceNeed.objects.select_for_update().get(pk=need.pk)
        from_status = current.status
        if to_status not in NeedStatus.values:
            raise ValidationError({"to_status": _("Choose a valid status.")})
        if to_status not in NEXT_STATUSES[NeedStatus(from_status)]:
            raise ValidationError(
                {
                    "to_status": _("A need that is “%(from)s” cannot be moved to “%(to)s”.")
                    % {"from": NeedStatus(from_status).label, "to": NeedStatus(to_status).label}
                }
            )
        if to_status == NeedStatus.CLOSED and not reason:
            raise ValidationError({"reason": _("Write why the need is closed.")})
        need.status = to_status
        need.status_changed_at = timezone.now()
        need.version = current.version + 1
        need.save(update_fields=["status", "status_changed_at", "version", "updated_at"])
        NeedStatusChange.objects.create(
            need=need,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            cause=cause,
            cause_object=cause_object,
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        changes = {"status": {"old": from_status, "new": to_status, "model": model_label(CompetenceNeed)}}
        if reason:
            changes["reason"] = {"old": None, "new": reason, "model": model_label(NeedStatusChange)}
        data = {"reason": reason}
        if cause:
            changes["cause"] = {"old": None, "new": cause_object or None, "label": cause}
            data.update(cause=cause, cause_object=cause_object)
        log_action(actor=actor, action="needs.need.status_changed", target=need, changes=changes, data=data)
        _rematch_after_commit(need)
    return need


def _forward_path(from_status: str, to_status: str) -> list[str]:
    """The steps from `from_status` to `to_status` along FORWARD_ORDER, each allowed by NEXT_STATUSES; empty
    when the need is already there or further, in a final state, or no such path exists."""
    if from_status in FINAL_STATUSES or from_status not in FORWARD_ORDER or to_status not in FORWARD_ORDER:
        return []
    start, end = FORWARD_ORDER.index(from_status), FORWARD_ORDER.index(to_status)
    # breadth first over forward moves, so "in dialogue → offer running" skips "being adapted" where allowed
    paths = {from_status: []}
    frontier = [from_status]
    while frontier and to_status not in paths:
        following = []
        for status in frontier:
            for step in NEXT_STATUSES[NeedStatus(status)]:
                if step in FORWARD_ORDER and start < FORWARD_ORDER.index(step) <= end and step not in paths:
                    paths[step] = [*paths[status], step]
                    following.append(step)
        frontier = following
    return paths.get(to_status, []) if end > start else []


def need_advance(*, actor, need: CompetenceNeed, to_status: str, cause: str, cause_object: str = "") -> int:
    """Move the need forward to `to_status` because of evidence (a provider's answer, a linked offering, an
    accepted match), one allowed step at a time, each recorded with its cause. Never back, never out of
    "fulfilled" or "closed"; a registered need passes "qualified" only when `actor` may qualify it (a review
    is a person's decision). Returns how many steps were made."""
    path = _forward_path(need.status, to_status)
    if path and path[0] == NeedStatus.QUALIFIED and NeedStatus.QUALIFIED not in allowed_next_statuses(actor, need):
        return 0
    for step in path:
        need_change_status(actor=actor, need=need, to_status=step, cause=cause, cause_object=cause_object)
    return len(path)
