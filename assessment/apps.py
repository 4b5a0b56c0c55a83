from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Standardisation assessment")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import todo
        from .models import Area, Assessment, Item, Round, Standard

        for model in (Standard, Area, Item, Round):
            auditlog.register(model)
        auditlog.register(Assessment, exclude_fields=["version"])
        todo.register()
