from django.urls import path

from kompetansebro.mapping import views

app_name = "mapping"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("ny/", views.round_create, name="create"),
    path("oversikt/<slug:code>/", views.region_overview, name="region_overview"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/behov/ny/", views.round_register_need, name="register_need"),
    path("<int:pk>/ingen-behov/", views.round_no_needs, name="no_needs"),
    path("<int:pk>/purring/", views.round_send_reminders, name="send_reminders"),
    path("<int:pk>/lukk/", views.round_close, name="close"),
    path("<int:pk>/bekreft-behov/", views.round_confirm_needs, name="confirm_needs"),
    path("<int:pk>/eksport.xlsx", views.round_export, name="export"),
    path("<int:pk>/saksliste/", views.round_agenda, name="agenda"),
]
