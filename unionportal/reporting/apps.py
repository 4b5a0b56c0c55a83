from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "unionportal.reporting"
    label = "reporting"
    verbose_name = _("Reports and statistics")

    def ready(self) -> None:
        from . import checklist, todo_reports

        todo_reports.register()
        checklist.register()
