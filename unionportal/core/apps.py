from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: job runs, file jobs, the Excel writer, audit helpers, middleware.

    The label stays "unionportal" (the app's tables and migrations were made under it).
    """

    name = "unionportal.core"
    label = "unionportal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # openpyxl parses XML; with defusedxml installed it refuses entity attacks
        # (security.md E4). Fail at start-up rather than parse unsafely.
        import defusedxml  # noqa: F401
