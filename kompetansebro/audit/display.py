"""Showing the history. Changes are stored as field names and raw values (docs/data-formats.md) and put into
words here, in the viewer's language. Entries written before that format hold labels and values translated
for their editor; they are shown as they were stored."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from kompetansebro.core.money import format_nok

EMPTY = "–"
UNPLACED = 10**6  # rows that are no model field (a label msgid) come after the fields
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


class ChangeRow(NamedTuple):
    """One changed field as people read it; its own type, so no stored key can shadow a template lookup."""

    label: str
    old: str
    new: str


def change_rows(entry) -> list[ChangeRow]:
    """The entry's changes in the viewer's language: field names by verbose name, choices by label, dates as
    22.11.2026, money as kr 690 000, yes/no for booleans."""
    target = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    rows = []
    for key, change in (entry.changes or {}).items():
        model = _model(change.get("model"), target)
        field = _field(model, change.get("field") or key)
        choices = _choices(model, field)
        row = ChangeRow(
            _label(key, change, field),
            shown(change.get("old"), field, choices),
            shown(change.get("new"), field, choices),
        )
        rows.append(((str(change.get("object") or ""), _position(model, field), row.label.casefold()), row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _position(model, field) -> int:
    """Where the field stands in its model, so rows read in the order of the form. The stored order cannot be
    used: PostgreSQL's jsonb keeps an object's keys in an order of its own."""
    if field is None:
        return UNPLACED
    return model._meta.get_fields().index(field)


def _model(label: str | None, default):
    if not label:
        return default
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _choices(model, field) -> dict:
    """The field's choices; for a JSON list of choice values, those the model names in `history_choices`."""
    if field is None:
        return {}
    if field.choices:
        return dict(field.flatchoices)
    return dict(getattr(model, "history_choices", {}).get(field.name, ()))


def _label(key: str, change: dict, field) -> str:
    """The stored msgid translated, else the field's verbose name, else the key; after the name of the object
    it concerns (user text, or an English name from neutral_text, which gettext translates)."""
    if change.get("label"):
        text = gettext(change["label"])
    elif field is not None:
        text = str(field.verbose_name)
    else:
        text = "" if change.get("object") else key
    thing = capfirst(gettext(str(change["object"]))) if change.get("object") else ""
    return " – ".join(part for part in (thing, capfirst(text)) if part)


def shown(value, field=None, choices: dict | None = None) -> str:
    """A stored value as people read it; `field` (when known) says what kind of value it is, `choices` how its
    stored values read."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list | tuple):
        return ", ".join(shown(item, field, choices) for item in value)
    if isinstance(value, bool):
        return capfirst(gettext("yes") if value else gettext("no"))
    if choices and isinstance(value, str | int) and value in choices:
        return capfirst(str(choices[value]))
    if isinstance(value, str) and (field is None or isinstance(field, models.DateField)):
        moment = _moment(value)
        if moment is not None:
            return moment
    if isinstance(value, str) and field is not None and field.is_relation:
        return gettext(value)
    if isinstance(field, models.DecimalField):
        return _number(value, money=field.decimal_places == 2 and field.max_digits >= 13)
    return str(value)


def _moment(value: str) -> str | None:
    """An ISO date or time as 22.11.2026 (14:30 in Norwegian time); None when the text is not one."""
    try:
        if ISO_DATETIME.fullmatch(value):
            moment = datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if ISO_DATE.fullmatch(value):
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:  # looks like a date but is none, e.g. 2026-13-45
        return None
    return None


def _number(value, *, money: bool) -> str:
    """Money as kr 690 000 (every MONEY field: two decimals, 13 digits or more), other decimals grouped."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_nok(amount) if money else formats.number_format(amount, force_grouping=True)
