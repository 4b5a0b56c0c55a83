from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """`manage.py bench`: builds the performance.md data set and measures it. No models."""

    name = "unionportal.bench"
    label = "bench"
    verbose_name = _("Benchmarks")
