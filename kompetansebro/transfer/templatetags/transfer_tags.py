from django import template
from django.urls import reverse

register = template.Library()

FILE_STEMS = {"needs": "behov", "offerings": "tilbud", "organisations": "organisasjoner"}


@register.simple_tag(takes_context=True)
def export_url(context, kind: str, fmt: str) -> str:
    """The export of the list as filtered now: the page's query string without the page number."""
    request = context.get("request")
    url = reverse("transfer:export", kwargs={"name": FILE_STEMS[kind], "fmt": fmt})
    if request is None:
        return url
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return f"{url}?{query}" if query else url
