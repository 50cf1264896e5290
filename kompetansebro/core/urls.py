from django.urls import path

from kompetansebro.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("min-side/", views.start_page, name="start"),
    path("healthz", views.healthz, name="healthz"),
]
