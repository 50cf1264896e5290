from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Every asset is served from our own origin; nothing may load from elsewhere.
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
# Django's admin uses a few inline styles; it is still same-origin only.
ADMIN_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            is_admin = request.path.startswith(self.admin_prefix)
            response["Content-Security-Policy"] = ADMIN_POLICY if is_admin else POLICY
        if settings.DEBUG is False:
            response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class LanguageMiddleware:
    """Norwegian bokmål first: the language chosen with the switch (cookie), else the person's profile
    language, else bokmål. The browser's Accept-Language is ignored on purpose: many Norwegians run
    English browsers but expect a Norwegian public service in Norwegian."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            user = getattr(request, "user", None)
            language = getattr(user, "language", None) if getattr(user, "is_authenticated", False) else None
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
