from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "competitions"
    verbose_name = _("Competitions and honours")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, story, timeline

        for model in (
            models.Competition,
            models.Criterion,
            models.Judge,
            models.Entry,
            models.Honour,
            models.InnovationStudio,
            models.NominationRound,
            models.Nomination,
        ):
            auditlog.register(model)
        timeline.register()
        story.register()
