"""Who is calling: a personal token in `Authorization: Bearer …`, else the Django session, else nobody.

Anonymous callers may read; an Authorization header that is present but wrong is always refused (401),
never silently treated as anonymous. Session callers are held to Django's CSRF check on unsafe methods,
so a page on another site cannot make a logged-in browser write through the API."""

from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from kompetansebro.api.services import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class InvalidToken(AuthenticationError):
    def __init__(self, message: str):
        super().__init__(401, message)


class Anonymous(AnonymousUser):
    """Truthy, so that django-ninja lets the call through; the endpoints decide what nobody may do."""

    def __bool__(self):
        return True


LANGUAGES = {"nb": "nb", "no": "nb", "nn": "nb", "en": "en"}


def activate_language(request, user=None) -> None:
    """Messages in the language of Accept-Language (nb or en) if sent, else the token owner's language;
    session callers keep the site's choice (LanguageMiddleware)."""
    wanted = request.headers.get("Accept-Language", "").split(",")[0].split("-")[0].split(";")[0].strip().lower()
    language = LANGUAGES.get(wanted) or (getattr(user, "language", None) if user is not None else None)
    if language in {"nb", "en"}:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class TokenOrSession(HttpBearer):
    """Shown in the OpenAPI document as HTTP bearer authentication."""

    def __call__(self, request):
        activate_language(request)
        header = request.headers.get("Authorization")
        if header is not None:
            scheme, _space, secret = header.strip().partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                raise InvalidToken(_("The Authorization header must be 'Bearer <token>'."))
            return self.authenticate(request, secret.strip())
        user = request.user
        if user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise HttpError(403, _("CSRF check failed. Send the X-CSRFToken header with the session's token."))
            request.api_token = None
            return user
        request.api_token = None
        return Anonymous()

    def authenticate(self, request, token):
        api_token = token_authenticate(token)
        if api_token is None:
            raise InvalidToken(_("The token is unknown, revoked or expired."))
        request.user = api_token.user
        request.api_token = api_token
        if "Accept-Language" not in request.headers:
            activate_language(request, api_token.user)
        return api_token.user


def require_user(request):
    """The person calling, or 401 for anonymous callers."""
    user = request.user
    if not user.is_authenticated:
        raise AuthenticationError(401, _("Authentication required: send 'Authorization: Bearer <token>'."))
    return user
