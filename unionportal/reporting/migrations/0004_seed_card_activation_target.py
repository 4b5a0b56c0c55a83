"""The seed's card-activation target (service cards activated: 50%) among the default KPI
targets (issue 13 item 14); a federation admin edits it like the others."""

from datetime import date

from django.db import migrations

DEFAULTS = {"card_activation_rate": 50}


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
    dependencies = [("reporting", "0003_snapshot_fillfactor")]

    operations = [migrations.RunPython(seed, unseed)]
