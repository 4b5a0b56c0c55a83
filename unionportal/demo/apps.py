from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`seed_demo`: the demo city, built by each app's own demo module. No models."""

    name = "unionportal.demo"
    label = "demo"
    verbose_name = _("Demo data")
