from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "unionportal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # openpyxl parses XML; with defusedxml installed it refuses entity attacks
        # (security.md E4). Fail at start-up rather than parse unsafely.
        import defusedxml  # noqa: F401
