"""Shared pieces of the v1 endpoints: paging, versions (ETag / If-Match), lookups, reference codes."""

import re

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from pydantic import Field

from kompetansebro.api.errors import etag
from kompetansebro.audit.selectors import fields_changed_since
from kompetansebro.competences.models import CompetenceField
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.geography.models import Municipality

MAX_ID = 2**63 - 1
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


class Paging(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, 1–{MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=10_000_000, description="How many objects to skip.")


def page(request, queryset, paging: Paging, represent) -> dict:
    """{"count", "limit", "offset", "next", "previous", "results"} for one page of `queryset`."""
    count = queryset.count()
    objects = list(queryset[paging.offset : paging.offset + paging.limit])

    def link(offset):
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(paging.limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "next": link(paging.offset + paging.limit) if paging.offset + paging.limit < count else None,
        "previous": link(max(paging.offset - paging.limit, 0)) if paging.offset > 0 else None,
        "results": [represent(request, obj) for obj in objects],
    }


def get_visible(queryset, pk: int):
    """The object if it is in `queryset` (what the caller may see), else 404."""
    if pk < 1 or pk > MAX_ID:
        raise Http404
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def require_perm(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def expected_version(request, body_version: int | None) -> int:
    """The version the caller edited: `If-Match: "3"` or the `version` field. 428 when neither is sent."""
    header = request.headers.get("If-Match")
    header_version = None
    if header is not None:
        match = _IF_MATCH.match(header)
        if not match:
            raise DjangoValidationError({"version": [_('If-Match must be the ETag of the object, e.g. "3".')]})
        header_version = int(match.group(1))
    if header_version is not None and body_version is not None and header_version != body_version:
        raise DjangoValidationError({"version": [_("If-Match and the version field disagree.")]})
    version = header_version if header_version is not None else body_version
    if version is None:
        raise HttpError(428, _('Send the version you edited: the header If-Match: "<version>" or a version field.'))
    return version


def update_merging(update, *, version: int, sent: set[str]):
    """`update(version)` for a PATCH of the fields `sent`. When the version is stale but none of those fields
    changed since it (by the object's history), the change is made on the current version: a conflict
    (409) only when the caller and someone else changed the same field, or when the history cannot tell."""
    try:
        return update(version)
    except ConcurrentEditError as error:
        changed = fields_changed_since(error.current, version)
        if changed is None or changed & sent:
            raise
        return update(error.current.version)


def optional_if_match(request, obj) -> None:
    """For actions where a version is optional: a stale If-Match still answers 409."""
    if request.headers.get("If-Match") is not None and expected_version(request, None) != obj.version:
        raise ConcurrentEditError(obj)


def set_etag(response, obj) -> None:
    response["ETag"] = etag(obj.version)


def field_by_code(code: str, errors: dict, name: str = "field"):
    obj = CompetenceField.objects.filter(code=code).first()
    if obj is None:
        errors.setdefault(name, []).append(
            _("Unknown field of competence '%(code)s'. See /api/v1/fields.") % {"code": code[:60]}
        )
    return obj


def municipality_by_number(number: str, errors: dict, name: str = "municipality"):
    obj = Municipality.objects.filter(number=number).first() if re.fullmatch(r"\d{4}", number or "") else None
    if obj is None:
        errors.setdefault(name, []).append(
            _("Unknown municipality number '%(number)s'. See /api/v1/municipalities.") % {"number": (number or "")[:10]}
        )
    return obj


def check_text(payload: dict, errors: dict) -> None:
    """NUL characters are refused in every text (PostgreSQL cannot store them)."""
    for name, value in payload.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and "\x00" in item for item in values):
            errors.setdefault(name, []).append(_("Null characters are not allowed."))


def raise_if(errors: dict) -> None:
    if errors:
        raise DjangoValidationError(errors)
