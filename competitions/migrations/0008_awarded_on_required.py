"""Every honour now has its award date (0006): it is required from here on."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("competitions", "0007_honour_kinds_in_chinese")]
    operations = [
        migrations.AlterField(
            model_name="honour",
            name="awarded_on",
            field=models.DateField(verbose_name="awarded on"),
        ),
    ]
