"""Optimistic locking with a three-way merge. An edit form carries the version it was opened at and, signed, the
raw values of its fields at that moment (the base). When someone else saved meanwhile, each field is decided on
its own: a field only they changed takes their value, a field only this editor changed keeps it, and only a
field both changed to different values is put to the editor (the conflict panel)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.query import QuerySet
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import display_value


class ConcurrentEditError(Exception):
    """Raised when the object changed after the editor loaded it; carries the current state (None when it was
    removed)."""

    def __init__(self, current):
        super().__init__("The object was changed by someone else.")
        self.current = current


CONFLICT_MESSAGE = _(
    "Someone else saved this while you were editing, and changed some of the same fields as you. Compare their "
    "values with yours below, choose what to keep in the form and save again."
)
MERGED_MESSAGE = _(
    "Someone else saved this while you were editing. Your changes are saved, and theirs to %(fields)s are kept."
)
MERGE_ATTEMPTS = 3


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(instance: VersionedModel, *, expected_version: int, update_fields: list[str]) -> None:
    """Save changed fields if the stored version is still `expected_version`; bump the version."""
    with transaction.atomic():
        current = type(instance).objects.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            raise ConcurrentEditError(current)
        instance.version = expected_version + 1
        instance.save(update_fields=[*update_fields, "version"])


def raw(value):
    """A value as plain JSON for comparing: objects by primary key, amounts and instants canonical, lists of
    plain values (many-to-many, tags) sorted; tuples and lists of rows (a formset) keep their order."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, dict):
        return {str(key): raw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [raw(item) for item in value]
    if isinstance(value, list | set | frozenset | QuerySet):
        items = [raw(item) for item in value]
        if all(isinstance(item, str | int | float | bool) for item in items):
            return sorted(items, key=lambda item: (str(type(item)), item))
        return items
    return value


@dataclass
class Merge:
    """The outcome of merging one editor's values into a version saved by someone else."""

    theirs: list[str] = field(default_factory=list)  # changed only by the other person: take theirs
    conflicts: list[str] = field(default_factory=list)  # changed by both, to different values: ask


def merge(*, base: dict | None, mine: dict, current: dict) -> Merge:
    """Three-way merge of raw values (see `raw`) per field. Without a base (an old or forged form) every field
    where the editor's value differs from the stored one is a conflict, as nothing better is known."""
    result = Merge()
    for name, value in mine.items():
        stored = current.get(name)
        if value == stored:
            continue
        if base is None or name not in base:
            result.conflicts.append(name)
        elif base[name] == value:
            result.theirs.append(name)
        elif base[name] != stored:
            result.conflicts.append(name)
    return result


def _salt(obj) -> str:
    return f"kompetansebro.versioning.base:{obj._meta.label_lower}:{obj.pk}"


class VersionedForm(forms.Form):
    """The hidden version and base of an edit form. Call `start_version(obj)` in the form's __init__ (with None
    when creating: the fields go). Forms whose fields are not model fields of the object override
    `edit_value` (and `data_value` when the field's widget needs another form of the value)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def start_version(self, obj) -> None:
        if obj is None or obj.pk is None:
            del self.fields["version"], self.fields["base"]
            return
        self.fields["version"].initial = self.version_of(obj)
        self.fields["base"].initial = lambda: self.sign_base(obj)  # when rendered: the fields are final then

    def version_of(self, obj):
        """What the form's `version` field holds for `obj`: its version number, unless a form says otherwise."""
        return obj.version

    def edited_fields(self) -> list[str]:
        return [name for name in self.fields if name not in ("version", "base")]

    def edit_value(self, obj, name: str):
        """The value of field `name` as stored in `obj`, in the terms of cleaned_data. A form field that is not
        stored on the object has the value a new form shows."""
        try:
            model_field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            return self.fields[name].initial
        if model_field.many_to_many:
            return list(getattr(obj, name).all())
        return getattr(obj, name)

    def edit_values(self, obj) -> dict:
        return {name: self.edit_value(obj, name) for name in self.edited_fields()}

    def compared(self, name: str, value):
        """What of a value counts when comparing (before `raw`): the value itself, unless a form says otherwise."""
        return value

    def raw_values(self, values: dict) -> dict:
        return {name: raw(self.compared(name, value)) for name, value in values.items()}

    def label(self, name: str):
        return self.fields[name].label

    def data_value(self, name: str, value):
        """`value` (as edit_value gives it) as the form's data would carry it."""
        return self.fields[name].prepare_value(value)

    def shown(self, obj, name: str, value):
        """A value as people read it in the conflict panel."""
        try:
            obj._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            return display_value(obj, name, value=value)
        form_field = self.fields[name]
        if isinstance(value, models.Model):
            return str(value)
        if getattr(form_field, "choices", None) is not None and not isinstance(value, list | tuple):
            return str(dict(form_field.choices).get(value, value)) if value not in (None, "") else ""
        if isinstance(value, datetime.date):
            return value.strftime("%d.%m.%Y")
        return value

    def sign_base(self, obj) -> str:
        values = self.raw_values(self.edit_values(obj))
        return signing.dumps({"v": self.version_of(obj), "f": values}, salt=_salt(obj), compress=True)

    def base_values(self, obj, version) -> dict | None:
        """The raw values the form was opened with, if the signed base is intact and of `version`."""
        try:
            payload = signing.loads(self.cleaned_data.get("base") or "", salt=_salt(obj))
        except signing.BadSignature:
            return None
        return payload["f"] if payload.get("v") == version else None

    def mine(self) -> dict:
        return self.raw_values(
            {name: self.cleaned_data[name] for name in self.edited_fields() if name in self.cleaned_data}
        )

    def take_over(self, current, names: list[str]) -> None:
        """Put the stored values of `names`, and the stored version and base, in the form's data, so the form
        shows them and a second save builds on the stored version."""
        self.taken_over = names
        data = self.data.copy()
        values = self.edit_values(current)
        for name in (name for name in names if name in self.fields):
            key, value = self.add_prefix(name), self.data_value(name, values[name])
            if isinstance(value, list | tuple | set | QuerySet):
                data.setlist(key, [str(item) for item in value])
            else:
                data[key] = "" if value is None else value
        data[self.add_prefix("version")] = self.version_of(current)
        data[self.add_prefix("base")] = self.sign_base(current)
        self.data = data


def _labels(form, names: list[str]) -> str:
    return ", ".join(str(form.label(name)) for name in names)


def save_form_versioned(form: VersionedForm, save, *, request) -> dict:
    """Run `save(expected_version)` for a valid form, merging in what someone else saved meanwhile (see the
    module). Returns {} when saved, with a message naming the fields taken over from the other person;
    otherwise the context of `core/_conflict.html`, with the conflict on the form and the stored version and
    the other person's other changes in its data."""
    expected = form.cleaned_data.get("version") or 0
    base = None
    taken: list[str] = []
    for attempt in range(1, MERGE_ATTEMPTS + 1):
        try:
            save(expected)
        except ConcurrentEditError as error:
            current = error.current
            if current is None:  # removed meanwhile: nothing to merge into
                raise
            if attempt == 1:
                base = form.base_values(current, expected)
            stored = form.edit_values(current)
            outcome = merge(base=base, mine=form.mine(), current=form.raw_values(stored))
            if outcome.conflicts or attempt == MERGE_ATTEMPTS:
                return _conflict(form, current, stored, outcome.conflicts, [*taken, *outcome.theirs])
            form.cleaned_data.update({name: stored[name] for name in outcome.theirs})
            taken += outcome.theirs
            expected, base = form.version_of(current), form.raw_values(stored)
        else:
            break
    if taken:
        messages.info(request, MERGED_MESSAGE % {"fields": _labels(form, taken)})
    return {}


def _conflict(form: VersionedForm, current, stored: dict, conflicts: list[str], taken: list[str]) -> dict:
    form.add_error(None, CONFLICT_MESSAGE)
    form.take_over(current, taken)
    return {
        "conflict": current,
        "conflict_differences": [
            {
                "label": form.label(name),
                "saved": form.shown(current, name, stored[name]),
                "yours": form.shown(current, name, form.cleaned_data[name]),
            }
            for name in conflicts
        ],
        "conflict_taken": _labels(form, taken),
    }
