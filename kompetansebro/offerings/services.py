"""Every change to education offerings: validated, atomic, recorded in the history.

The import and the API call these functions too, so `data` holds plain values keyed by model field
names: `field` as a CompetenceField (or its code), `tags` as a list of names or a text such as
"Varmepumpe, kulde; F-gass", `gathering_locations` as a list of Municipality objects.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.competences.models import CompetenceField
from kompetansebro.competences.services import tag_names, tags_get_or_create
from kompetansebro.core import bounds
from kompetansebro.core.versioning import save_versioned
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.offerings.search import search_words
from kompetansebro.organisations.models import Organisation, OrganisationKind

OFFERING_FIELDS = [
    "external_id",
    "title",
    "description",
    "field",
    "level",
    "credits",
    "credit_unit",
    "delivery_campus",
    "delivery_gatherings",
    "delivery_online",
    "delivery_decentralised",
    "delivery_workplace",
    "continuous_admission",
    "start_date",
    "application_deadline",
    "price",
    "capacity",
    "language",
    "url",
    "status",
]
RELATED_FIELDS = ["tags", "gathering_locations"]
HISTORY_FIELDS = [*OFFERING_FIELDS, *RELATED_FIELDS]
TEXT_FIELDS = {"external_id", "title", "description", "credit_unit", "language", "url"}


def offering_search_text(
    offering: Offering, *, tags: list[str], gathering_locations: list, provider: Organisation
) -> str:
    """The indexed words of title, description, tags, field, provider and gathering places."""
    parts = [
        offering.title,
        offering.description,
        " ".join(tags),
        offering.field.name_nb if offering.field_id else "",
        offering.field.name_en if offering.field_id else "",
        provider.name,
        " ".join(municipality.name for municipality in gathering_locations),
    ]
    return search_words(" ".join(part for part in parts if part))


def _offering_status_changed(actor, offering: Offering) -> None:
    """Development builds on offerings, so it is imported here, at call time, to keep the apps' imports one
    way: needs waiting for this offering move on when it opens or starts."""
    from kompetansebro.development.services import offering_started

    offering_started(actor=actor, offering=offering)


def _offering_changed(offering: Offering) -> None:
    """Tell matching inside the transaction (before a deletion removes the offering's suggestions).
    Matching builds on offerings, so it is imported here, at call time."""
    from kompetansebro.matching.services import offering_changed

    offering_changed(offering.pk, offering.field_id)


def _decimal(value, name: str):
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise ValidationError({name: _("Write a number, for example 12500 or 7,5.")}) from None


def _apply(offering: Offering, data: dict) -> None:
    for name in OFFERING_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "field" and isinstance(value, str):
            value = CompetenceField.objects.filter(code=value).first()
            if value is None:
                raise ValidationError({"field": _("Unknown field of competence: %(code)s.") % {"code": data[name]}})
        elif name in ("credits", "price"):
            value = _decimal(value, name)
        elif name in TEXT_FIELDS and value is None:
            value = ""
        elif name == "status" and not value:
            value = OfferingStatus.PLANNED
        setattr(offering, name, value)


def _validate(offering: Offering, provider: Organisation) -> None:
    errors: dict[str, list] = {}
    if provider.kind != OrganisationKind.EDUCATION_PROVIDER:
        errors.setdefault("provider", []).append(
            _("%(name)s is not registered as an education provider.") % {"name": provider.name}
        )
    if offering.credits is not None and not offering.credit_unit:
        errors.setdefault("credit_unit", []).append(
            _("Say whether the credits are study points or vocational college points.")
        )
    if offering.credit_unit and offering.credits is None:
        errors.setdefault("credits", []).append(_("Write the number of credits, or leave the unit empty."))
    if offering.credits is not None and offering.credits <= 0:
        errors.setdefault("credits", []).append(_("Credits must be more than 0."))
    if offering.price is not None and offering.price < 0:
        errors.setdefault("price", []).append(_("The price cannot be negative. Write 0 if it is free of charge."))
    elif error := bounds.amount_error(offering.price):
        errors.setdefault("price", []).append(error)
    deadline, start = offering.application_deadline, offering.start_date
    if isinstance(deadline, date) and isinstance(start, date) and deadline > start:
        errors.setdefault("application_deadline", []).append(
            _("The application deadline must be on or before the start date.")
        )
    if (
        offering.external_id
        and Offering.objects.filter(provider=provider, external_id=offering.external_id)
        .exclude(pk=offering.pk)
        .exists()
    ):
        errors.setdefault("external_id", []).append(
            _("%(provider)s already has an offering with the external id %(id)s.")
            % {"provider": provider.name, "id": offering.external_id}
        )
    try:
        offering.full_clean(exclude=["provider", "search_text", *errors], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _related(data: dict, offering: Offering | None) -> tuple[list[str], list]:
    """Tag names and gathering places after the change; unchanged ones are read from the offering."""
    if "tags" in data:
        tags = tag_names(data["tags"] or [])
    else:
        tags = list(offering.tags.values_list("name", flat=True)) if offering and offering.pk else []
    if "gathering_locations" in data:
        locations = list(data["gathering_locations"] or [])
    else:
        locations = list(offering.gathering_locations.all()) if offering and offering.pk else []
    return tags, locations


def _save_related(offering: Offering, data: dict, tags: list[str], locations: list) -> None:
    if "tags" in data:
        offering.tags.set(tags_get_or_create(tags))
    if "gathering_locations" in data:
        offering.gathering_locations.set(locations)


def offering_create(*, actor, provider: Organisation, data: dict) -> Offering:
    """Register an offering for `provider` (an education provider). Raises ValidationError with
    messages by field name."""
    offering = Offering(provider=provider)
    _apply(offering, data)
    _validate(offering, provider)
    tags, locations = _related(data, None)
    offering.search_text = offering_search_text(offering, tags=tags, gathering_locations=locations, provider=provider)
    with transaction.atomic():
        offering.save()
        _save_related(offering, {"tags": tags, "gathering_locations": locations}, tags, locations)
        log_action(
            actor=actor,
            action="offerings.offering.created",
            target=offering,
            changes=diff({}, snapshot(offering, HISTORY_FIELDS), model=Offering),
            data={"provider": provider.name},
        )
        _offering_changed(offering)
    return offering


def offering_update(*, actor, offering: Offering, data: dict, expected_version: int) -> Offering:
    """Change the fields given in `data` (the provider stays). Raises ConcurrentEditError when someone
    else saved the offering after `expected_version`, ValidationError for invalid values."""
    stored = Offering.objects.select_related("provider").get(pk=offering.pk)
    before = snapshot(stored, HISTORY_FIELDS)
    _apply(offering, data)
    _validate(offering, stored.provider)
    tags, locations = _related(data, stored)
    offering.search_text = offering_search_text(
        offering, tags=tags, gathering_locations=locations, provider=stored.provider
    )
    with transaction.atomic():
        save_versioned(
            offering, expected_version=expected_version, update_fields=[*OFFERING_FIELDS, "search_text", "updated_at"]
        )
        _save_related(offering, data, tags, locations)
        changes = diff(before, snapshot(offering, HISTORY_FIELDS), model=Offering)
        if changes:
            log_action(actor=actor, action="offerings.offering.changed", target=offering, changes=changes)
            if "status" in changes:
                _offering_status_changed(actor, offering)
            _offering_changed(offering)
    return offering


def offering_set_status(*, actor, offering: Offering, status: str) -> Offering:
    """Move the offering to `status` (planned, open, running, closed); bumps the version, so an editor
    who opened the form before gets a conflict instead of silently undoing the change."""
    if status not in OfferingStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    with transaction.atomic():
        current = Offering.objects.select_for_update().get(pk=offering.pk)
        if current.status == status:
            offering.status, offering.version = current.status, current.version
            return offering
        before = snapshot(current, ["status"])
        current.status = status
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
        log_action(
            actor=actor,
            action="offerings.offering.status_changed",
            target=current,
            changes=diff(before, snapshot(current, ["status"]), model=Offering),
        )
        _offering_status_changed(actor, current)
        _offering_changed(current)
    offering.status, offering.version, offering.updated_at = current.status, current.version, current.updated_at
    return offering


def offering_delete(*, actor, offering: Offering) -> None:
    """Delete the offering; the history keeps a record of what it was."""
    with transaction.atomic():
        log_action(
            actor=actor,
            action="offerings.offering.deleted",
            target=offering,
            changes=diff(snapshot(offering, HISTORY_FIELDS), {}, model=Offering),
            data={"provider": offering.provider.name, "external_id": offering.external_id},
        )
        _offering_changed(offering)
        offering.delete()
