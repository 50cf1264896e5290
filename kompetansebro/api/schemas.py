"""What the API reads and writes. Codes, not labels: level and delivery as in competences.models
(Level, DeliveryMode), fields of competence by `code`, municipalities by their four-digit SSB number,
money as a decimal string ("1234.50"), dates as ISO 8601 (2026-11-22)."""

from datetime import datetime
from types import NoneType
from typing import Annotated, get_args

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, create_model, field_validator


class ErrorOut(Schema):
    detail: str = Field(examples=["The request is not valid."])
    errors: dict[str, list[str]] = Field(
        default_factory=dict, examples=[{"persons": ["Input should be greater than or equal to 1"]}]
    )


class ConflictOut(ErrorOut):
    current: dict = Field(description="The object as it is stored now, with its current version.")


class FieldOut(Schema):
    code: str = Field(examples=["helse-og-omsorg"])
    name_nb: str = Field(examples=["Helse og omsorg"])
    name_en: str = Field(examples=["Health and care"])
    description: str = ""


class CountyOut(Schema):
    number: str = Field(examples=["50"])
    name: str = Field(examples=["Trøndelag"])


class MunicipalityOut(Schema):
    number: str = Field(examples=["5026"])
    name: str = Field(examples=["Holtålen"])
    county: CountyOut
    centrality_class: int = Field(description="SSB centrality class, 1 most central, 6 least.", examples=[6])
    population: int = Field(examples=[2000])


class StatusChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(examples=["qualified"], max_length=20)
    reason: str = Field("", max_length=2000, description="Why; required when closing a need.")


class PatchBase(Schema):
    model_config = ConfigDict(extra="forbid")


def _drop_default(schema: dict) -> None:
    schema.pop("default", None)


def _refuse_null(value):
    if value is None:
        raise ValueError(_("This field cannot be null."))
    return value


def _may_be_null(annotation) -> bool:
    return NoneType in get_args(annotation)


def patch_schema(full: type[Schema], *, name: str, exclude: frozenset[str] = frozenset()) -> type[Schema]:
    """The PATCH schema of `full`: any field may be left out, but null only where `full` allows it, so a null
    for a NOT NULL column is a 422 naming the field (never a database error) and the OpenAPI document says
    which fields may be null. Plus the `version` edited."""
    not_null = []
    fields: dict = {"version": (int | None, Field(None, ge=1, description="The version edited; or send If-Match."))}
    for field_name, info in full.model_fields.items():
        if field_name in exclude:
            continue
        annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        nullable = _may_be_null(info.annotation)
        if not nullable:
            not_null.append(field_name)
        fields[field_name] = (
            annotation,
            Field(
                None,
                description=info.description,
                examples=info.examples,
                json_schema_extra=None if nullable else _drop_default,
            ),
        )
    return create_model(
        name,
        __base__=PatchBase,
        __doc__="Only the fields sent are changed.",
        __module__=full.__module__,
        __validators__={"refuse_null": field_validator(*not_null, mode="before")(_refuse_null)},
        **fields,
    )


class PageMeta(Schema):
    count: int = Field(description="How many objects match the filters in all.")
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, or null on the last page.")
    previous: str | None = None


class TokenOut(Schema):
    """Not exposed; kept for the reference page of who is calling (GET /api/v1/me)."""

    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None = None


class MeOut(Schema):
    authenticated: bool
    email: str | None = None
    full_name: str | None = None
    authenticated_by: str = Field(description="'token', 'session' or 'anonymous'.", examples=["token"])
    token: TokenOut | None = None
