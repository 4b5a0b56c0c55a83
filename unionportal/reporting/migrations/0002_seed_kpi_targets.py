"""Default KPI targets (domain.md "Decisions": establishment and membership rates >= 90%)."""

from datetime import date

from django.db import migrations

DEFAULTS = {"establishment_rate": 90, "membership_rate": 90}


def seed(apps, schema_editor):
    KpiTarget = apps.get_model("reporting", "KpiTarget")
    for kpi, percent in DEFAULTS.items():
        KpiTarget.objects.get_or_create(
            kpi=kpi, effective_from=date(2000, 1, 1), defaults={"percent": percent}
        )


def unseed(apps, schema_editor):
    apps.get_model("reporting", "KpiTarget").objects.filter(
        kpi__in=DEFAULTS, effective_from=date(2000, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_reports_and_snapshots")]

    operations = [migrations.RunPython(seed, unseed)]
