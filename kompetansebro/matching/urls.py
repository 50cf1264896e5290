from django.urls import path

from kompetansebro.matching import views

app_name = "matching"

urlpatterns = [
    path("behov/<int:pk>/tilbud/<int:offering_pk>/passer/", views.match_accept, name="accept"),
    path("behov/<int:pk>/tilbud/<int:offering_pk>/passer-ikke/", views.match_reject, name="reject"),
    path("tilbyder/<int:pk>/", views.provider_needs, name="provider"),
]
