"""Projects, their groups, result goals, activities and risks (the "projects" namespace, under /prosjekter/)."""

from django.urls import path

from kompetansebro.projects.views import plan, projects

urlpatterns = [
    path("", projects.project_list, name="list"),
    path("ny/", projects.project_create, name="create"),
    path("<slug:slug>/", projects.project_detail, name="detail"),
    path("<slug:slug>/endre/", projects.project_edit, name="edit"),
    path("<slug:slug>/historikk/", projects.project_history, name="history"),
    path("<slug:slug>/avslutt/", projects.project_close, name="close"),
    path("<slug:slug>/slett/", projects.project_delete, name="delete"),
    path("<slug:slug>/grupper/ny/", projects.member_add, name="member_add"),
    path("<slug:slug>/grupper/<int:pk>/avslutt/", projects.member_end, name="member_end"),
    path("<slug:slug>/resultatmal/ny/", plan.goal_create, name="goal_create"),
    path("<slug:slug>/resultatmal/<int:pk>/endre/", plan.goal_edit, name="goal_edit"),
    path("<slug:slug>/aktiviteter/ny/", plan.activity_create, name="activity_create"),
    path("<slug:slug>/aktiviteter/<int:pk>/endre/", plan.activity_edit, name="activity_edit"),
    path("<slug:slug>/risiko/ny/", plan.risk_create, name="risk_create"),
    path("<slug:slug>/risiko/<int:pk>/endre/", plan.risk_edit, name="risk_edit"),
    path("<slug:slug>/risiko/<int:pk>/slett/", plan.risk_delete, name="risk_delete"),
]
