from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("kompetansebro.core.urls")),
    path("konto/", include("kompetansebro.accounts.urls")),
    path("organisasjoner/", include("kompetansebro.organisations.urls")),
    path("", include("kompetansebro.geography.urls")),
    path("behov/", include("kompetansebro.needs.urls")),
    path("kartlegging/", include("kompetansebro.mapping.urls")),
    path("tilbud/", include("kompetansebro.offerings.urls")),
    path("kobling/", include("kompetansebro.matching.urls")),
    path("bestillinger/", include("kompetansebro.development.urls")),
    path("fora/", include("kompetansebro.forums.urls")),
    path("tilskudd/", include("kompetansebro.grants.urls")),
    path("prosjekter/", include("kompetansebro.projects.urls")),
    path("import-eksport/", include("kompetansebro.transfer.urls")),
    path("api/", include("kompetansebro.api.urls")),
    path("i18n/sprak/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "kompetansebro.core.errors.permission_denied"
handler404 = "kompetansebro.core.errors.page_not_found"
handler500 = "kompetansebro.core.errors.server_error"
