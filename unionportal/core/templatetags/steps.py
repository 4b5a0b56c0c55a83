"""{% step_indicator progress %} and {{ day|long_date }} (unionportal/core/steps.py)."""

from __future__ import annotations

from datetime import date

from django import template

from .. import steps

register = template.Library()


@register.inclusion_tag("_steps.html")
def step_indicator(progress: steps.Progress | None) -> dict:
    return {"progress": progress}


@register.filter
def long_date(day: date | None) -> str:
    return steps.long_date(day) if day else ""
