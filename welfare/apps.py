from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Hardship relief")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from members.crypto import EncryptedMixin

        from . import story, timeline, todo
        from .models import Campaign, CondolenceVisit, HardshipFile, ReliefApplication

        # The encrypted health and hardship text (security.md F4) is logged as changed, never
        # in words: the audit table must not hold what the welfare tables hold encrypted.
        for model in (ReliefApplication, HardshipFile, CondolenceVisit, Campaign):
            encrypted = [f.name for f in model._meta.fields if isinstance(f, EncryptedMixin)]
            if encrypted:
                auditlog.register(
                    model, mask_fields=encrypted, mask_callable="members.crypto.redacted"
                )
            else:
                auditlog.register(model)
        timeline.register_all()
        story.register()
        todo.register()
