from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Hardship relief")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import timeline, todo
        from .models import Campaign, CondolenceVisit, HardshipFile, ReliefApplication

        for model in (ReliefApplication, HardshipFile, CondolenceVisit, Campaign):
            auditlog.register(model)
        timeline.register_all()
        todo.register()
