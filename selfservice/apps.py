from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    name = "selfservice"
    verbose_name = _("Online joining and member self-service")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import todo
        from .models import JoinApplication, MemberAccount

        auditlog.register(
            JoinApplication,
            exclude_fields=["resident_id_cipher", "resident_id_index", "mobile"],
        )
        auditlog.register(MemberAccount, exclude_fields=["code_hash"])
        todo.register()
