from django import template

from kompetansebro.development.selectors import requests_of_need

register = template.Library()


@register.inclusion_tag("development/_need_requests.html", takes_context=True)
def need_development_requests(context, need):
    """The development requests a need is part of, with the providers' answers, as far as the person may
    see them. Nothing (and no query) for anonymous visitors."""
    user = context.get("user")
    return {"development_requests": requests_of_need(user, need), "need": need}
