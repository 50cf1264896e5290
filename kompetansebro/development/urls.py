from django.urls import path

from kompetansebro.development import views

app_name = "development"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("behovsgap/<slug:code>/", views.gap_analysis, name="gap"),
    path("behovsgap/<slug:code>/eksport.<str:file_format>", views.gap_export, name="gap_export"),
    path("ny/<slug:code>/", views.request_create, name="create"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/send/", views.request_send, name="send"),
    path("<int:pk>/svar/", views.request_answer, name="answer"),
    path("<int:pk>/koble-tilbud/", views.request_link_offering, name="link_offering"),
    path("<int:pk>/lukk/", views.request_close, name="close"),
]
