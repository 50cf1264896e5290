"""Forums under /fora/: each part of the app keeps its own URL list (forums, members, meetings and cases;
decisions, minutes and documents; follow-up tasks), all in the "forums" namespace."""

from django.urls import include, path

app_name = "forums"

urlpatterns = [
    path("", include("kompetansebro.forums.urls_forums")),
    path("", include("kompetansebro.forums.urls_minutes")),
    path("", include("kompetansebro.forums.urls_tasks")),
]
