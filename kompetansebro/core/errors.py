"""The error pages people meet in production: in their language, in the site's layout, with a way onwards.

403 and 404 use the ordinary layout. 500 is rendered from a self-contained template without the request's
context processors, so it still answers when the database is what failed. Under /api/ (except the API's own
pages for people: the docs and the key management) errors stay JSON, like the API's other answers."""

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kompetansebro.api.errors import error_response
from kompetansebro.api.views import not_found as api_not_found


def _is_api(request) -> bool:
    pages = (reverse("api:docs"), reverse("api:tokens"))
    return request.path.startswith("/api/") and not request.path.startswith(pages)


def _came_from(request) -> str | None:
    """The page of this site the person came from, to offer the way back."""
    referer = request.META.get("HTTP_REFERER", "")
    allowed = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return referer if referer and allowed and referer != request.build_absolute_uri() else None


def permission_denied(request, exception=None):
    if _is_api(request):
        return error_response(403, _("You may not do this."))
    html = loader.render_to_string("403.html", {"came_from": _came_from(request)}, request)
    return HttpResponseForbidden(html)


def page_not_found(request, exception=None):
    if _is_api(request):
        return api_not_found(request)
    html = loader.render_to_string("404.html", {"came_from": _came_from(request)}, request)
    return HttpResponseNotFound(html)


def server_error(request):
    """No request context: neither the session, the user nor the database is touched."""
    if _is_api(request):
        return error_response(500, _("An unexpected error occurred. It has been logged."))
    language = getattr(request, "LANGUAGE_CODE", None) or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        html = loader.render_to_string("500.html", {"LANGUAGE_CODE": language})
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    """A form sent with a missing or outdated security token: the page was open too long, or cookies are
    blocked. Say so and offer the way back (settings.CSRF_FAILURE_VIEW)."""
    html = loader.render_to_string("core/csrf_failure.html", {"came_from": _came_from(request)}, request)
    return HttpResponseForbidden(html)
