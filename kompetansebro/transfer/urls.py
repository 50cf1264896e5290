from django.urls import path

from kompetansebro.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.import_upload, name="import_upload"),
    path("import/<uuid:pk>/", views.import_preview, name="import_preview"),
    path("import/<uuid:pk>/lagre/", views.import_commit, name="import_commit"),
    path("eksport/<slug:name>.<slug:fmt>", views.export, name="export"),
]
