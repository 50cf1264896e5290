"""Pages of the API: the personal tokens and the human-readable API reference."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kompetansebro.api.docs import reference_from_openapi
from kompetansebro.api.errors import error_response
from kompetansebro.api.forms import TokenForm
from kompetansebro.api.main import api
from kompetansebro.api.models import ApiToken
from kompetansebro.api.services import token_create, token_revoke
from kompetansebro.core.permissions import permission_required


@never_cache
@permission_required("api.view_token_list")
def tokens(request):
    """List the person's own keys; a POST creates one and shows its secret once."""
    form = TokenForm(request.POST or None)
    secret = new_token = None
    if request.method == "POST" and request.user.has_perm("api.add_token") and form.is_valid():
        new_token, secret = token_create(
            actor=request.user, user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "secret": secret,
            "new_token": new_token,
        },
    )


def _own_token(request, pk):
    # Someone else's key is not found, not forbidden: its existence is nobody else's business.
    return get_object_or_404(ApiToken, pk=pk, user=request.user) if request.user.is_authenticated else None


@require_POST
@permission_required("api.revoke_token", _own_token)
def token_revoke_view(request, pk):
    token = _own_token(request, pk)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("The key “%(name)s” has been revoked. It no longer works.") % {"name": token.name})
    return redirect("api:tokens")


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Exempt from CSRF: it changes nothing, and a POST to an unknown path gets the JSON 404, not an HTML 403."""
    return error_response(404, "Not found. See /api/docs for the endpoints.")


def docs(request):
    """The API reference as a page of the site, built from the OpenAPI document: no Swagger UI, no
    assets from elsewhere (the site's Content-Security-Policy allows only our own origin)."""
    schema = api.get_openapi_schema(path_params={})
    return render(request, "api/docs.html", reference_from_openapi(schema, base_url=request.build_absolute_uri("/")))
