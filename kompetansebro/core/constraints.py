"""Database constraints that speak to people. Every constraint carries a message in their language and a code
(its name); one that concerns a single field names it, so that forms and full_clean() show the message beside
that field instead of at the top of the page. Django clones constraints from their deconstructed arguments,
so the field is kept here by constraint name (names are unique in the database) and not in the migrations."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

CONSTRAINT_FIELDS: dict[str, str] = {}


def _remember(name: str, field: str | None) -> None:
    if field is not None:
        CONSTRAINT_FIELDS[name] = field


def check(*, name: str, condition, message, field: str | None = None) -> models.CheckConstraint:
    _remember(name, field)
    return models.CheckConstraint(
        condition=condition, name=name, violation_error_message=message, violation_error_code=name
    )


def unique(*expressions, name: str, message, field: str | None = None, **kwargs) -> models.UniqueConstraint:
    _remember(name, field)
    return models.UniqueConstraint(
        *expressions, **kwargs, name=name, violation_error_message=message, violation_error_code=name
    )


def errors_beside_fields(error_dict: dict) -> dict:
    """Move the errors of constraints that name a field from the top of the form to that field."""
    moved: dict[str, list] = {}
    for name, errors in error_dict.items():
        for error in errors:
            target = CONSTRAINT_FIELDS.get(error.code, name) if name == NON_FIELD_ERRORS else name
            moved.setdefault(target, []).append(error)
    return moved


class ConstraintErrorsBesideFields:
    """Model mixin: a violated constraint that names a field is reported on that field."""

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(errors_beside_fields(error.error_dict)) from None
