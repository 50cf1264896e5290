from django.urls import path

from kompetansebro.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("ny/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/endre/", views.organisation_update, name="update"),
    path("<int:pk>/slett/", views.organisation_delete, name="delete"),
    path("<int:pk>/historikk/", views.organisation_history, name="history"),
    path("<int:pk>/personer/ny/", views.membership_add, name="membership_add"),
    path("<int:pk>/personer/<int:membership_pk>/rolle/", views.membership_change_role, name="membership_role"),
    path("<int:pk>/personer/<int:membership_pk>/fjern/", views.membership_remove, name="membership_remove"),
]
