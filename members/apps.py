from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisations and members")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        # tasks: registered now, so services can enqueue them by name (without importing them)
        from . import signals, tasks, todo  # noqa: F401
        from .mfa import policy  # noqa: F401  (its system check)
        from .models import Member, Organisation, Role, Transfer, User

        auditlog.register(Organisation, exclude_fields=["path", "depth", "numchild", "version"])
        auditlog.register(Role)
        auditlog.register(User, exclude_fields=["password", "last_login"])
        # Member create, edit, status change and transfer (security.md G1), before and after.
        # The resident ID appears only masked (its cipher and blind index never), the phone
        # masked as on the pages (138****0000).
        auditlog.register(
            Member,
            exclude_fields=[
                "resident_id_cipher",
                "resident_id_index",
                "version",
                "created_at",
                "updated_at",
            ],
            mask_fields=["phone"],
            mask_callable="members.validators.mask_mobile",
        )
        auditlog.register(Transfer)
        todo.register()
