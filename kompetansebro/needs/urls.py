from django.urls import path

from kompetansebro.needs import views

app_name = "needs"

urlpatterns = [
    path("", views.need_list, name="list"),
    path("ny/", views.need_create, name="create"),
    path("<int:pk>/", views.need_detail, name="detail"),
    path("<int:pk>/endre/", views.need_update, name="update"),
    path("<int:pk>/status/", views.need_change_status, name="change_status"),
    path("<int:pk>/historikk/", views.need_history, name="history"),
]
