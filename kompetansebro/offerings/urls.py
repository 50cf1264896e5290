from django.urls import path

from kompetansebro.offerings import views

app_name = "offerings"

urlpatterns = [
    path("", views.offering_catalogue, name="catalogue"),
    path("ny/", views.offering_create, name="create"),
    path("mine/", views.offering_mine, name="mine"),
    path("<int:pk>/", views.offering_detail, name="detail"),
    path("<int:pk>/endre/", views.offering_update, name="update"),
    path("<int:pk>/status/", views.offering_status, name="status"),
    path("<int:pk>/slett/", views.offering_delete, name="delete"),
    path("<int:pk>/historikk/", views.offering_history, name="history"),
]
