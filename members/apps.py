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
        from .models import Organisation, Role, User

        auditlog.register(Organisation, exclude_fields=["path", "depth", "numchild", "version"])
        auditlog.register(Role)
        auditlog.register(User, exclude_fields=["password", "last_login"])
        todo.register()
