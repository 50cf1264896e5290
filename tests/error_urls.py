"""The site's URLs plus one view that fails, to see the 500 page as people would (tests/test_error_pages.py)."""

from django.urls import path

from kompetansebro.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401 - read by Django


def broken(request):
    raise RuntimeError("a bug")


def broken_api(request):
    raise RuntimeError("a bug in an API view outside django-ninja")


urlpatterns = [path("feil/", broken), path("api/feil/", broken_api), *urlpatterns]
