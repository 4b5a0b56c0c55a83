from django import template

from ..stats import online_joining

register = template.Library()


@register.inclusion_tag("selfservice/_figures.html")
def online_joining_figures(org):
    return {"figures": online_joining(org) if org is not None else None, "org": org}
