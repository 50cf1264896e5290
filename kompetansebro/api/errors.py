"""Every error of the API is JSON of one shape, `{"detail": "…", "errors": {"field": ["message", …]}}`:

400 malformed JSON, 401 missing or bad token, 403 not allowed, 404 not found (or not visible), 405 wrong
method, 409 version conflict (with the current representation), 422 invalid input, 429 too many calls.
Nothing else escapes as a 500 page: an unexpected error is logged and answered with the same shape."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from kompetansebro.core.versioning import ConcurrentEditError

logger = logging.getLogger(__name__)

NON_FIELD = "__all__"
# Serialisers of the current state of an object, for the body of a 409 (see register_representation).
_REPRESENTATIONS = {}


def register_representation(model, function) -> None:
    """`function(request, instance) -> dict` answers a version conflict on `model` with the current state."""
    _REPRESENTATIONS[model] = function


def error_response(status: int, detail: str, errors: dict | None = None, **extra) -> JsonResponse:
    return JsonResponse(
        {"detail": str(detail), "errors": errors or {}, **extra},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def etag(version: int) -> str:
    return f'"{version}"'


def _location_name(loc) -> str:
    """The top-level field an error is about: ("body", "payload", "tags", 0) → "tags";
    ("query", "limit") → "limit"; ("body", "payload") → "__all__" (the body as a whole)."""
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return parts[0] if parts else NON_FIELD


def _schema_message(error: dict) -> str:
    if error.get("type") == "missing":
        return _("This field is required.")
    if error.get("type") == "extra_forbidden":
        return _("Unknown field.")
    message = str(error.get("msg", _("Invalid value.")))
    return message.removeprefix("Value error, ")


def handle_schema_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        messages = errors.setdefault(_location_name(error.get("loc", ())), [])
        if (message := _schema_message(error)) not in messages:
            messages.append(message)
    return error_response(422, _("The request is not valid."), errors)


def validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(message) for message in messages] for name, messages in exc.message_dict.items()}
    return {NON_FIELD: [str(message) for message in exc.messages]}


def handle_validation_error(request, exc: DjangoValidationError):
    return error_response(422, _("The request is not valid."), validation_errors(exc))


def handle_conflict(request, exc: ConcurrentEditError):
    current = exc.current
    represent = _REPRESENTATIONS.get(type(current))
    extra = {"current": represent(request, current)} if represent else {}
    response = error_response(
        409,
        _(
            "Someone else changed this since the version you sent. The current version is in 'current': "
            "merge your changes into it and send them again with its version."
        ),
        {"version": [_("The current version is %(version)s.") % {"version": current.version}]},
        **extra,
    )
    response["ETag"] = etag(current.version)
    return response


def handle_authentication_error(request, exc: AuthenticationError):
    response = error_response(401, exc.message if exc.message != "Unauthorized" else _("Authentication required."))
    response["WWW-Authenticate"] = 'Bearer realm="kompetansebro"'
    return response


def handle_http_error(request, exc: HttpError):
    detail = str(exc)
    if isinstance(exc, Throttled):
        detail = _("Too many requests. Wait a moment and try again (see Retry-After).")
    elif exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("The request body is not valid JSON.")
    return error_response(exc.status_code, detail)


def handle_permission_denied(request, exc: PermissionDenied):
    return error_response(403, str(exc) or _("You may not do this."))


def handle_not_found(request, exc):
    return error_response(404, _("Not found."))


def handle_unexpected(request, exc: Exception):
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500, _("An unexpected error occurred. It has been logged."))


def install(api) -> None:
    api.add_exception_handler(NinjaValidationError, handle_schema_error)
    api.add_exception_handler(DjangoValidationError, handle_validation_error)
    api.add_exception_handler(ConcurrentEditError, handle_conflict)
    api.add_exception_handler(AuthenticationError, handle_authentication_error)
    api.add_exception_handler(HttpError, handle_http_error)
    api.add_exception_handler(PermissionDenied, handle_permission_denied)
    api.add_exception_handler(Http404, handle_not_found)
    api.add_exception_handler(ObjectDoesNotExist, handle_not_found)
    api.add_exception_handler(Exception, handle_unexpected)
