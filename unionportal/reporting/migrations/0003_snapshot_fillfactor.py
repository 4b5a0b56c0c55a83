"""StatSnapshot: free room in each page on PostgreSQL, so the nightly rollup's updates are HOT
(neither indexed column changes, so no index is written)."""

from django.db import migrations


def fillfactor(value):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE reporting_statsnapshot SET (fillfactor = {int(value)})"
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_seed_kpi_targets")]

    operations = [
        migrations.RunPython(fillfactor(70), fillfactor(100)),
    ]
