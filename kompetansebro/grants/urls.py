"""Grants under /tilskudd/: schemes and their annual wheel; rounds, priority lists, allocations and payments."""

from django.urls import include, path

app_name = "grants"

urlpatterns = [
    path("", include("kompetansebro.grants.urls_schemes")),
    path("", include("kompetansebro.grants.urls_rounds")),
]
