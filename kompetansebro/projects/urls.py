"""Projects under /prosjekter/: the project and its groups, goals, activities and risks; budget, financing,
costs and status reports."""

from django.urls import include, path

app_name = "projects"

urlpatterns = [
    path("", include("kompetansebro.projects.urls_projects")),
    path("", include("kompetansebro.projects.urls_economy")),
]
