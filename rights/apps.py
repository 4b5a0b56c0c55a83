from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "rights"
    verbose_name = _("Rights protection")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from members.crypto import EncryptedMixin

        from . import contract_todo, todo
        from .models import Case, CollectiveContract, MediationCase

        # The petitioner's identity and the case text are encrypted at rest: the audit log
        # records that they changed, never their words.
        encrypted = [f.name for f in Case._meta.fields if isinstance(f, EncryptedMixin)]
        auditlog.register(Case, mask_fields=encrypted, mask_callable="members.crypto.redacted")
        todo.register()
        auditlog.register(CollectiveContract)
        auditlog.register(
            MediationCase, mask_fields=["applicant"], mask_callable="members.crypto.redacted"
        )
        contract_todo.register()
