from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Workers' congress")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import story, timeline, todo
        from .models import CongressRule, CongressSession, Motion, ReviewedItem, Suggestion

        for model in (CongressRule, CongressSession, ReviewedItem, Suggestion):
            auditlog.register(model)
        auditlog.register(Motion, exclude_fields=["version"])
        todo.register()
        timeline.register()
        story.register()
