"""The honours recorded before the award date was asked for: their award date is taken to be
the (local) day they were recorded, the only day known. Correct them by hand where the award
was earlier (the honours of a year typed in at its end)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models.functions import TruncDate


def backfill(apps, schema_editor):
    Honour = apps.get_model("competitions", "Honour")
    local = ZoneInfo(settings.TIME_ZONE)
    Honour.objects.filter(awarded_on__isnull=True).update(
        awarded_on=TruncDate("created_at", tzinfo=local)
    )


class Migration(migrations.Migration):
    dependencies = [("competitions", "0005_honour_awarded_on")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
