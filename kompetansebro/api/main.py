"""The REST API, version 1 (django-ninja). Routes under /api/v1/, schema at /api/openapi.json,
reference at /api/docs (our own page, see views.docs). See docs/api.md."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from kompetansebro.api import errors
from kompetansebro.api.auth import TokenOrSession
from kompetansebro.api.throttling import AnonymousThrottle, TokenThrottle
from kompetansebro.api.v1 import needs, offerings, reference

DESCRIPTION = (
    "Competence needs and education offerings of Kompetansebro. Anonymous callers may read public data; "
    "send `Authorization: Bearer <token>` (a personal key from /api/nokler/) to act as yourself. "
    'Errors are JSON: `{"detail": "…", "errors": {"field": ["message"]}}`.'
)


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Kompetansebro API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=TokenOrSession(),
    renderer=Renderer(),
    throttle=[AnonymousThrottle(), TokenThrottle()],
)
errors.install(api)

api.add_router("/v1/", reference.router)
api.add_router("/v1/needs", needs.router)
api.add_router("/v1/offerings", offerings.router)
