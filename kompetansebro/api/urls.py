from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _

from kompetansebro.api import views
from kompetansebro.api.errors import error_response
from kompetansebro.api.main import api

app_name = "api"


def _json_method_not_allowed(view):
    """django-ninja answers a wrong method with a plain-text 405; ours is JSON like every other error."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(405, _("Method not allowed. Allowed: %(methods)s.") % {"methods": allowed})
            response["Allow"] = allowed
        return response

    return wrapped


def _api_urls():
    patterns, app, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns, app, namespace


urlpatterns = [
    path("nokler/", views.tokens, name="tokens"),
    path("nokler/<int:pk>/trekk-tilbake/", views.token_revoke_view, name="token_revoke"),
    path("docs", views.docs, name="docs"),
    path("", _api_urls()),
    # Anything else under /api/v1/ answers with a JSON 404, like the API's own errors.
    re_path(r"^v1/", views.not_found, name="not_found"),
]
