"""Competence needs: /api/v1/needs. The same rules as the pages (needs/rules.py, needs/selectors.py):
a need the caller may not see is 404, one they see but may not change is 403. Public needs seen only
because they are public come anonymised: no organisation, no contact person, no external id."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from kompetansebro.api.auth import require_user
from kompetansebro.api.errors import register_representation, validation_errors
from kompetansebro.api.schemas import ConflictOut, ErrorOut, PageMeta, StatusChangeIn, patch_schema
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
from kompetansebro.competences.models import NEED_DELIVERY_FIELDS, Level
from kompetansebro.needs.access import need_access
from kompetansebro.needs.forms import NeedFilterForm, contact_people
from kompetansebro.needs.models import NEXT_STATUSES, CompetenceNeed, NeedStatus, Urgency, Visibility
from kompetansebro.needs.rules import allowed_next_statuses, organisations_user_may_register_for, sees_need_identity
from kompetansebro.needs.selectors import need_search, needs_visible_to
from kompetansebro.needs.services import need_change_status, need_register, need_update
from kompetansebro.organisations.models import Organisation

router = Router(tags=["needs"])

# A need's delivery wishes as DeliveryMode codes and the model fields they set.
DELIVERY_WISHES = NEED_DELIVERY_FIELDS
NeedDelivery = Literal["nett", "samlingsbasert", "i_bedrift", "campus"]
LevelCode = Literal[tuple(Level.values)]  # type: ignore[valid-type]
UrgencyCode = Literal[tuple(Urgency.values)]  # type: ignore[valid-type]
VisibilityCode = Literal[tuple(Visibility.values)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(NeedStatus.values)]  # type: ignore[valid-type]
Tag = Field(max_length=60)


class OrganisationRef(Schema):
    id: int
    name: str


class ContactOut(Schema):
    name: str
    email: str


class NeedOut(Schema):
    id: int
    version: int = Field(description="Send it back with If-Match (or as `version`) when you change the need.")
    url: str = Field(description="The need's page on the site.")
    anonymised: bool = Field(description="True when the caller sees the need only because it is public.")
    organisation: OrganisationRef | None = Field(description="Null when anonymised.")
    registered_on_behalf_by: OrganisationRef | None = None
    external_id: str | None = Field(description="Null when anonymised.", examples=["HR-2026-14"])
    title: str = Field(
        description="When anonymised: the public title (or a neutral one), never the internal title.",
        examples=["Helsefagarbeidere med fagbrev"],
    )
    description: str = Field(description="When anonymised: the public description (or a neutral one).")
    public_title: str | None = Field(description="What the public sees as the title; null when anonymised.")
    public_description: str | None = Field(description="What the public sees as the description; null when anonymised.")
    field: str = Field(description="Code of the field of competence.", examples=["helse-og-omsorg"])
    tags: list[str] = Field(examples=[["demens", "velferdsteknologi"]])
    level: LevelCode | Literal[""] = Field(description="Wanted level; empty when not decided.", examples=["fagbrev"])
    persons: int = Field(examples=[6])
    municipality: str = Field(description="Municipality number.", examples=["5026"])
    delivery: list[NeedDelivery] = Field(description="Delivery wishes.", examples=[["nett", "samlingsbasert"]])
    combined_work_education: bool = Field(description="Recruit without formal competence, educate on the job.")
    wanted_start: date | None = Field(examples=["2027-08-15"])
    urgency: UrgencyCode = Field(examples=["medium"])
    contact_person: ContactOut | None = Field(description="Null when anonymised or not set.")
    visibility: VisibilityCode = Field(examples=["region"])
    status: StatusCode = Field(examples=["registered"])
    status_changed_at: datetime
    allowed_next_statuses: list[StatusCode] = Field(description="The statuses the caller may move the need to now.")
    created_at: datetime
    updated_at: datetime


class NeedPage(PageMeta):
    results: list[NeedOut]


class NeedFields(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20_000)
    field: str = Field(max_length=60, description="Code of the field of competence (GET /api/v1/fields).")
    tags: list[str] = Field(default_factory=list, max_length=50)
    level: LevelCode | Literal[""] = ""
    persons: int = Field(1, ge=1, le=100_000)
    municipality: str | None = Field(
        None, max_length=4, description="Municipality number; empty: the organisation's municipality."
    )
    delivery: list[NeedDelivery] = Field(default_factory=list)
    combined_work_education: bool = False
    wanted_start: date | None = None
    urgency: UrgencyCode = "medium"
    contact_person: str | None = Field(
        None, max_length=254, description="E-mail of a person in the organisation, or null."
    )
    visibility: VisibilityCode = "region"
    public_title: str = Field(
        "", max_length=200, description="What the public sees instead of the title when public. Empty: a neutral title."
    )
    public_description: str = Field(
        "",
        max_length=20_000,
        description="What the public sees instead of the description. Leave out the employer. Empty: a neutral text.",
    )
    external_id: str = Field("", max_length=100, description="Your own stable id, unique per organisation.")


class NeedIn(NeedFields):
    organisation: int = Field(ge=1, le=MAX_ID, description="Id of the organisation with the need.")


NeedPatch = patch_schema(NeedFields, name="NeedPatch")


class NeedFilters(Schema):
    """The filters of the need list on the site (needs.forms.NeedFilterForm)."""

    q: str | None = Field(None, max_length=200, description="Words in the title, description or tags.")
    status: list[StatusCode] = Field(default_factory=list, description="One or more statuses (repeat).")
    field: str | None = Field(None, max_length=60, description="Field of competence code.")
    level: LevelCode | None = None
    municipality: str | None = Field(None, max_length=4, description="Municipality number.")
    region: str | None = Field(None, max_length=60, description="Region code, e.g. trondelag-sor.")
    urgency: UrgencyCode | None = None
    combined_work_education: bool = False
    organisation: int | None = Field(None, ge=1, le=MAX_ID, description="Organisation id (only needs you see in full).")


def _org(organisation) -> dict | None:
    return {"id": organisation.pk, "name": organisation.name} if organisation is not None else None


def need_out(request, need: CompetenceNeed) -> dict:
    identity = sees_need_identity(request.user, need)
    contact = need.contact_person if identity else None
    return {
        "id": need.pk,
        "version": need.version,
        "url": request.build_absolute_uri(need.get_absolute_url()),
        "anonymised": not identity,
        "organisation": _org(need.organisation) if identity else None,
        "registered_on_behalf_by": _org(need.registered_on_behalf_by) if identity else None,
        "external_id": need.external_id if identity else None,
        "title": need.title if identity else need.public_title_text,
        "description": need.description if identity else need.public_description_text,
        "public_title": need.public_title if identity else None,
        "public_description": need.public_description if identity else None,
        "field": need.field.code,
        "tags": [tag.name for tag in need.tags.all()],
        "level": need.level,
        "persons": need.persons,
        "municipality": need.municipality.number,
        "delivery": [code for code, name in DELIVERY_WISHES.items() if getattr(need, name)],
        "combined_work_education": need.combined_work_education,
        "wanted_start": need.wanted_start,
        "urgency": need.urgency,
        "contact_person": {"name": contact.get_full_name(), "email": contact.email} if contact else None,
        "visibility": need.visibility,
        "status": need.status,
        "status_changed_at": need.status_changed_at,
        "allowed_next_statuses": allowed_next_statuses(request.user, need),
        "created_at": need.created_at,
        "updated_at": need.updated_at,
    }


register_representation(CompetenceNeed, need_out)

_RELATED = ("organisation", "registered_on_behalf_by", "field", "municipality", "contact_person")


def _visible(request):
    return needs_visible_to(request.user).select_related(*_RELATED).prefetch_related("tags")


def _reloaded(request, need):
    return _visible(request).get(pk=need.pk) if request.user.has_perm("needs.view_need", need) else need


def _data(payload: dict, organisation, *, creating: bool) -> dict:
    """Model field values from the API's fields; unknown codes become field errors (422)."""
    errors: dict[str, list[str]] = {}
    check_text(payload, errors)
    data = {name: value for name, value in payload.items() if name not in {"delivery", "version", "organisation"}}
    if "field" in payload:
        data["field"] = field_by_code(payload["field"] or "", errors)
    if payload.get("municipality"):
        data["municipality"] = municipality_by_number(payload["municipality"], errors)
    elif "municipality" in payload:
        data["municipality"] = organisation.municipality
    if "delivery" in payload:
        wishes = set(payload["delivery"] or [])
        data.update({name: code in wishes for code, name in DELIVERY_WISHES.items()})
    if payload.get("contact_person"):
        email = payload["contact_person"].strip()
        data["contact_person"] = contact_people(organisation).filter(email__iexact=email).first()
        if data["contact_person"] is None:
            errors["contact_person"] = [_("Give the e-mail of a person registered in the organisation, or null.")]
    elif "contact_person" in payload:
        data["contact_person"] = None
    if "tags" in payload:
        data["tags"] = [tag for tag in (payload["tags"] or []) if len(tag) <= 60]
        if len(data["tags"]) != len(payload["tags"] or []):
            errors["tags"] = [_("A tag is at most 60 characters long.")]
    if creating and payload.get("wanted_start") and payload["wanted_start"] < timezone.localdate():
        errors["wanted_start"] = [_("The wanted start cannot be in the past.")]
    raise_if(errors)
    return data


@router.get("", response=NeedPage, summary="List needs")
def list_needs(request, filters: Query[NeedFilters], paging: Query[Paging]):
    """The needs the caller may see, newest first, filtered like the need list on the site.
    Anonymous callers see only public needs, anonymised."""
    query = QueryDict(mutable=True)
    for name, value in filters.model_dump(exclude_none=True).items():
        if isinstance(value, list):
            query.setlist(name, value)
        elif value is not False:
            query[name] = str(value).lower() if isinstance(value, bool) else str(value)
    form = NeedFilterForm(query)
    if not form.is_valid():
        raise_if({name: [str(message) for message in messages] for name, messages in form.errors.items()})
    needs = need_search(user=request.user, filters=form.cleaned_data).prefetch_related("tags")
    return page(request, needs, paging, need_out)


@router.get("/{int:need_id}", response={200: NeedOut, 404: ErrorOut}, summary="Read a need")
def read_need(request, need_id: int, response: HttpResponse):
    need = get_visible(_visible(request), need_id)
    set_etag(response, need)
    return need_out(request, need)


@router.post(
    "",
    response={201: NeedOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Register a need",
)
def create_need(request, payload: NeedIn, response: HttpResponse):
    """Register a need for an organisation you may register for (your own as contact person or
    administrator, a company your business garden represents, or any in your secretariat's region)."""
    user = require_user(request)
    require_perm(user, "needs.add_need")
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if organisation is None:
        raise_if({"organisation": [_("Unknown organisation %(id)s.") % {"id": payload.organisation}]})
    if not organisations_user_may_register_for(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You may not register needs for that organisation."))
    data = _data(payload.model_dump(), organisation, creating=True)
    need = need_register(
        actor=user, organisation=organisation, data=data, registered_on_behalf_by=_on_behalf(user, organisation)
    )
    need = _reloaded(request, need)
    set_etag(response, need)
    response["Location"] = request.build_absolute_uri(reverse("api:v1:read_need", args=[need.pk]))
    return Status(201, need_out(request, need))


def _on_behalf(user, organisation):
    """A business garden registers for a company it represents (not for its own organisation)."""
    access = need_access(user)
    if organisation.pk in access.responsible_org_ids or organisation.pk not in access.represented_org_ids:
        return None
    return organisation.represented_by


@router.patch(
    "/{int:need_id}",
    response={
        200: NeedOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
        428: ErrorOut,
    },
    summary="Change a need",
)
def update_need(request, need_id: int, payload: NeedPatch, response: HttpResponse):
    """Change the fields sent. Send the version you edited (If-Match or `version`); if someone else changed
    one of the same fields in between, the answer is 409 with the current need (changes to other fields are
    kept, and yours made on top of them)."""
    user = require_user(request)
    need = get_visible(_visible(request), need_id)
    require_perm(user, "needs.change_need", need)
    version = expected_version(request, payload.version)
    data = _data(payload.model_dump(exclude_unset=True), need.organisation, creating=False)
    need = update_merging(
        lambda expected: need_update(actor=user, need=need, data=data, expected_version=expected),
        version=version,
        sent=set(data),
    )
    need = _reloaded(request, need)
    set_etag(response, need)
    return need_out(request, need)


@router.post(
    "/{int:need_id}/status",
    response={200: NeedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
    summary="Move a need in its life cycle",
)
def change_need_status(request, need_id: int, payload: StatusChangeIn, response: HttpResponse):
    """Move the need to one of `allowed_next_statuses`; closing needs a `reason`. If-Match is optional
    here; when sent and stale, the answer is 409."""
    user = require_user(request)
    need = get_visible(_visible(request), need_id)
    if payload.status not in allowed_next_statuses(user, need):
        if payload.status not in NeedStatus.values:
            raise_if(
                {
                    "status": [
                        _("Unknown status. Choose one of: %(statuses)s.") % {"statuses": ", ".join(NeedStatus.values)}
                    ]
                }
            )
        require_perm(user, "needs.change_status", need)
        if payload.status in NEXT_STATUSES[NeedStatus(need.status)]:
            raise PermissionDenied(_("You may not make this move. See allowed_next_statuses."))
        raise_if(
            {"status": [_("The need cannot move to that status from its current one. See allowed_next_statuses.")]}
        )
    optional_if_match(request, need)
    try:
        need = need_change_status(actor=user, need=need, to_status=payload.status, reason=payload.reason)
    except DjangoValidationError as error:
        errors = validation_errors(error)
        raise DjangoValidationError({("status" if k == "to_status" else k): v for k, v in errors.items()}) from None
    need = _reloaded(request, need)
    set_etag(response, need)
    return need_out(request, need)
