from django.urls import path

from kompetansebro.geography import views

app_name = "geography"

urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/<str:number>/", views.municipality_detail, name="municipality_detail"),
    path("regioner/", views.region_index, name="region_list"),
    path("regioner/ny/", views.region_create, name="region_create"),
    path("regioner/<slug:code>/", views.region_detail, name="region_detail"),
    path("regioner/<slug:code>/endre/", views.region_update, name="region_update"),
    path("regioner/<slug:code>/slett/", views.region_delete, name="region_delete"),
    path("regioner/<slug:code>/historikk/", views.region_history, name="region_history"),
    path("regioner/<slug:code>/roller/ny/", views.region_role_add, name="region_role_add"),
    path("regioner/<slug:code>/roller/<int:role_pk>/fjern/", views.region_role_remove, name="region_role_remove"),
]
