"""{{ entry.additional_data.event|event_label }} and {{ run.task|job_label }}: the Chinese names
of audit events and jobs (unionportal/core/labels.py)."""

from django import template

from unionportal.core.labels import event_label as _event_label
from unionportal.core.labels import job_label as _job_label

register = template.Library()


@register.filter
def event_label(code) -> str:
    return _event_label(str(code or ""))


@register.filter
def job_label(task) -> str:
    return _job_label(str(task or ""))
