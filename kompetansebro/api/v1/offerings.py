"""Education offerings: /api/v1/offerings. The same rules as the catalogue and the provider pages
(offerings/rules.py, offerings/selectors.py): planned offerings are seen only by the provider's members,
region secretariats and platform admins; members of the provider keep its offerings.

A provider's course system keeps its catalogue current with PUT /api/v1/offerings/by-external-id/{id}
?provider=<organisation id>: it creates the offering the first time and updates it afterwards, and sending
the same body again changes nothing (no new version, no history entry)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from kompetansebro.api.auth import require_user
from kompetansebro.api.errors import register_representation
from kompetansebro.api.schemas import ConflictOut, ErrorOut, PageMeta, patch_schema
from kompetansebro.api.v1.common import (
    MAX_ID,
    Paging,
    check_text,
    expected_version,
    field_by_code,
    get_visible,
    municipality_by_number,
    optional_if_match,
    page,
    raise_if,
    require_perm,
    set_etag,
    update_merging,
)
from kompetansebro.competences.models import CreditUnit, DeliveryMode, Level
from kompetansebro.competences.services import tag_names
from kompetansebro.offerings.forms import OfferingFilterForm
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.offerings.rules import providers_user_may_edit
from kompetansebro.offerings.selectors import DELIVERY_FLAGS, offering_search, offerings_visible_to
from kompetansebro.offerings.services import OFFERING_FIELDS, offering_create, offering_update
from kompetansebro.organisations.models import Organisation, OrganisationKind

router = Router(tags=["offerings"])

LevelCode = Literal[tuple(Level.values)]  # type: ignore[valid-type]
DeliveryCode = Literal[tuple(DeliveryMode.values)]  # type: ignore[valid-type]
CreditUnitCode = Literal[tuple(CreditUnit.values)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(OfferingStatus.values)]  # type: ignore[valid-type]
LanguageCode = Literal["nb", "en", "se"]
Money = Decimal
_EDITABLE = [name for name in OFFERING_FIELDS if name != "external_id"]


class ProviderRef(Schema):
    id: int
    name: str


class OfferingOut(Schema):
    id: int
    version: int = Field(description="Send it back with If-Match (or as `version`) when you change the offering.")
    url: str = Field(description="The offering's page on the site.")
    provider: ProviderRef
    external_id: str = Field(description="The provider's own id; empty if none.", examples=["EVU-HELSE-101"])
    title: str = Field(examples=["Velferdsteknologi i hjemmetjenesten"])
    description: str
    field: str = Field(description="Code of the field of competence.", examples=["helse-og-omsorg"])
    tags: list[str] = Field(examples=[["velferdsteknologi"]])
    level: LevelCode = Field(examples=["videreutdanning"])
    credits: str | None = Field(description="Decimal as a string.", examples=["7.5"])
    credit_unit: CreditUnitCode | Literal[""] = Field(examples=["studiepoeng"])
    delivery: list[DeliveryCode] = Field(examples=[["samlingsbasert", "nett"]])
    continuous_admission: bool
    gathering_locations: list[str] = Field(description="Municipality numbers.", examples=[["5026", "5025"]])
    start_date: date | None = Field(examples=["2027-01-15"])
    application_deadline: date | None = Field(examples=["2026-12-01"])
    price: str | None = Field(description='NOK as a decimal string; "0.00" is free.', examples=["4500.00"])
    capacity: int | None = Field(examples=[30])
    language: LanguageCode = Field(examples=["nb"])
    link: str = Field(description="The provider's page about the offering.", examples=["https://example.no/kurs"])
    status: StatusCode = Field(examples=["open"])
    created_at: datetime
    updated_at: datetime


class OfferingPage(PageMeta):
    results: list[OfferingOut]


class OfferingFields(Schema):
    """Missing fields take the defaults shown (PUT replaces the whole offering)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20_000)
    field: str = Field(max_length=60, description="Code of the field of competence (GET /api/v1/fields).")
    tags: list[str] = Field(default_factory=list, max_length=50)
    level: LevelCode
    credits: Money | None = Field(None, max_digits=5, decimal_places=1, gt=0, examples=["7.5"])
    credit_unit: CreditUnitCode | Literal[""] = ""
    delivery: list[DeliveryCode] = Field(default_factory=list)
    continuous_admission: bool = False
    gathering_locations: list[str] = Field(default_factory=list, max_length=400, description="Municipality numbers.")
    start_date: date | None = None
    application_deadline: date | None = None
    price: Money | None = Field(None, max_digits=13, decimal_places=2, ge=0, examples=["4500.00"])
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    language: LanguageCode = "nb"
    link: str = Field("", max_length=200)
    status: StatusCode = "planned"


class OfferingIn(OfferingFields):
    provider: int = Field(ge=1, le=MAX_ID, description="Id of the education provider (organisation).")
    external_id: str = Field("", max_length=100, description="Your own stable id, unique per provider.")


OfferingPatch = patch_schema(OfferingIn, name="OfferingPatch", exclude=frozenset({"provider"}))


class OfferingFilters(Schema):
    """The catalogue's search on the site (offerings.forms.OfferingFilterForm)."""

    q: str | None = Field(None, max_length=200, description="Words in title, description, tags, field, provider.")
    municipality: str | None = Field(
        None,
        max_length=4,
        description="Near me: offerings a person living in this municipality (number) can take without moving.",
    )
    level: list[LevelCode] = Field(default_factory=list, description="Any of these levels (repeat).")
    delivery: list[DeliveryCode] = Field(default_factory=list, description="Any of these delivery modes (repeat).")
    field: list[str] = Field(default_factory=list, description="Any of these field codes (repeat).")
    continuous_admission: bool = False
    provider: int | None = Field(None, ge=1, le=MAX_ID, description="Provider (organisation) id.")
    status: Literal["", "open", "running", "planned", "closed", "all"] = Field(
        "", description="Empty: all except closed; 'all': also closed."
    )


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def offering_out(request, offering: Offering) -> dict:
    return {
        "id": offering.pk,
        "version": offering.version,
        "url": request.build_absolute_uri(offering.get_absolute_url()),
        "provider": {"id": offering.provider_id, "name": offering.provider.name},
        "external_id": offering.external_id,
        "title": offering.title,
        "description": offering.description,
        "field": offering.field.code,
        "tags": sorted(tag.name for tag in offering.tags.all()),
        "level": offering.level,
        "credits": None if offering.credits is None else str(offering.credits),
        "credit_unit": offering.credit_unit,
        "delivery": [str(mode) for mode, flag in DELIVERY_FLAGS.items() if getattr(offering, flag)],
        "continuous_admission": offering.continuous_admission,
        "gathering_locations": sorted(m.number for m in offering.gathering_locations.all()),
        "start_date": offering.start_date,
        "application_deadline": offering.application_deadline,
        "price": _money(offering.price),
        "capacity": offering.capacity,
        "language": offering.language,
        "link": offering.url,
        "status": offering.status,
        "created_at": offering.created_at,
        "updated_at": offering.updated_at,
    }


register_representation(Offering, offering_out)


def _visible(request):
    return (
        offerings_visible_to(request.user)
        .select_related("provider", "field")
        .prefetch_related("tags", "gathering_locations")
    )


def _reloaded(request, offering):
    return _visible(request).filter(pk=offering.pk).first() or offering


def _data(payload: dict) -> dict:
    """Model field values from the API's fields; unknown codes become field errors (422)."""
    errors: dict[str, list[str]] = {}
    check_text(payload, errors)
    data = {
        name: value
        for name, value in payload.items()
        if name not in {"delivery", "version", "provider", "link", "gathering_locations"}
    }
    if "field" in payload:
        data["field"] = field_by_code(payload["field"] or "", errors)
    if "link" in payload:
        data["url"] = payload["link"] or ""
    if "delivery" in payload:
        modes = set(payload["delivery"] or [])
        data.update({flag: str(mode) in modes for mode, flag in DELIVERY_FLAGS.items()})
    if "gathering_locations" in payload:
        numbers = list(dict.fromkeys(payload["gathering_locations"] or []))
        data["gathering_locations"] = [municipality_by_number(n, errors, "gathering_locations") for n in numbers]
    if "tags" in payload and any(len(tag) > 60 for tag in payload["tags"] or []):
        errors["tags"] = [_("A tag is at most 60 characters long.")]
    raise_if(errors)
    return data


def _unchanged(offering: Offering, data: dict) -> bool:
    """Would saving `data` change nothing? Then a repeated PUT leaves the version and history alone."""
    for name, value in data.items():
        if name == "tags":
            if sorted(tag_names(value or [])) != sorted(tag.name for tag in offering.tags.all()):
                return False
        elif name == "gathering_locations":
            if {m.pk for m in value} != {m.pk for m in offering.gathering_locations.all()}:
                return False
        elif name in OFFERING_FIELDS and getattr(offering, name) != (value if value is not None else _blank(name)):
            return False
    return True


def _blank(name):
    return "" if name in {"external_id", "credit_unit", "url"} else None


def _editable_provider(user, provider_id: int) -> Organisation:
    provider = Organisation.objects.filter(pk=provider_id).first()
    if provider is None:
        raise_if({"provider": [_("Unknown organisation %(id)s.") % {"id": provider_id}]})
    if provider.kind != OrganisationKind.EDUCATION_PROVIDER:
        raise_if({"provider": [_("%(name)s is not registered as an education provider.") % {"name": provider.name}]})
    require_perm(user, "offerings.add_offering")
    if not providers_user_may_edit(user).filter(pk=provider.pk).exists():
        raise PermissionDenied(_("You may not register offerings for that provider."))
    return provider


def _created(request, response, offering):
    offering = _reloaded(request, offering)
    set_etag(response, offering)
    response["Location"] = request.build_absolute_uri(reverse("api:v1:read_offering", args=[offering.pk]))
    return Status(201, offering_out(request, offering))


@router.get("", response=OfferingPage, summary="Search the catalogue")
def list_offerings(request, filters: Query[OfferingFilters], paging: Query[Paging]):
    """The offerings the caller may see, filtered like the public catalogue: open first, then running,
    planned and closed; then by next start. Anonymous callers never see planned offerings."""
    query = QueryDict(mutable=True)
    for name, value in filters.model_dump(exclude_none=True).items():
        if isinstance(value, list):
            query.setlist(name, [str(item) for item in value])
        elif value is not False and value != "":
            query[name] = "on" if value is True else str(value)
    form = OfferingFilterForm(query)
    if not form.is_valid():
        raise_if({name: [str(message) for message in messages] for name, messages in form.errors.items()})
    return page(request, offering_search(user=request.user, filters=form.cleaned_data), paging, offering_out)


@router.get("/{int:offering_id}", response={200: OfferingOut, 404: ErrorOut}, summary="Read an offering")
def read_offering(request, offering_id: int, response: HttpResponse):
    offering = get_visible(_visible(request), offering_id)
    set_etag(response, offering)
    return offering_out(request, offering)


@router.post(
    "", response={201: OfferingOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}, summary="Register an offering"
)
def create_offering(request, payload: OfferingIn, response: HttpResponse):
    """Register an offering for an education provider you are a member of."""
    user = require_user(request)
    provider = _editable_provider(user, payload.provider)
    offering = offering_create(actor=user, provider=provider, data=_data(payload.model_dump()))
    return _created(request, response, offering)


@router.patch(
    "/{int:offering_id}",
    response={
        200: OfferingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
        428: ErrorOut,
    },
    summary="Change an offering",
)
def update_offering(request, offering_id: int, payload: OfferingPatch, response: HttpResponse):
    """Change the fields sent (the status too). Send the version you edited (If-Match or `version`); if
    someone else changed one of the same fields in between, the answer is 409 with the current offering
    (changes to other fields are kept, and yours made on top of them)."""
    user = require_user(request)
    offering = get_visible(_visible(request), offering_id)
    require_perm(user, "offerings.change_offering", offering)
    version = expected_version(request, payload.version)
    data = _data(payload.model_dump(exclude_unset=True))
    offering = update_merging(
        lambda expected: offering_update(actor=user, offering=offering, data=data, expected_version=expected),
        version=version,
        sent=set(data),
    )
    offering = _reloaded(request, offering)
    set_etag(response, offering)
    return offering_out(request, offering)


class UpsertQuery(Schema):
    provider: int = Field(ge=1, le=MAX_ID, description="Id of the education provider (organisation).")


@router.put(
    "/by-external-id/{external_id}",
    response={200: OfferingOut, 201: OfferingOut, 401: ErrorOut, 403: ErrorOut, 409: ConflictOut, 422: ErrorOut},
    summary="Create or replace an offering by your own id",
)
def upsert_offering(
    request, external_id: str, query: Query[UpsertQuery], payload: OfferingFields, response: HttpResponse
):
    """For a provider's course system: creates the offering with this external id (201) or replaces it
    (200). Fields left out take their defaults. Sending the same body again changes nothing. If-Match
    is optional: without it the course system's version wins; with it, a stale version answers 409."""
    user = require_user(request)
    provider = _editable_provider(user, query.provider)
    external_id = external_id.strip()
    errors: dict[str, list[str]] = {}
    check_text({"external_id": external_id}, errors)
    if not external_id or len(external_id) > 100:
        errors.setdefault("external_id", []).append(_("The external id must have 1 to 100 characters."))
    raise_if(errors)
    data = _data(payload.model_dump())
    offering = _visible(request).filter(provider=provider, external_id=external_id).first()
    if offering is None:
        return _created(
            request, response, offering_create(actor=user, provider=provider, data={**data, "external_id": external_id})
        )
    require_perm(user, "offerings.change_offering", offering)
    optional_if_match(request, offering)
    if not _unchanged(offering, data):
        offering = offering_update(actor=user, offering=offering, data=data, expected_version=offering.version)
        offering = _reloaded(request, offering)
    set_etag(response, offering)
    return offering_out(request, offering)
