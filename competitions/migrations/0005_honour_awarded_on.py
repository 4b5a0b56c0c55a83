"""Honours record the day they were awarded (nullable until 0006 fills it in); honour kinds may
be tied to one level."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("competitions", "0004_one_trimming_rule")]
    operations = [
        migrations.AddField(
            model_name="honour",
            name="awarded_on",
            field=models.DateField(null=True, verbose_name="awarded on"),
        ),
        migrations.AddField(
            model_name="honourkind",
            name="level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("national", "National"),
                    ("provincial", "Provincial"),
                    ("city", "City"),
                    ("county", "County or district"),
                ],
                max_length=20,
                verbose_name="only at level",
            ),
        ),
        migrations.AlterModelOptions(
            name="honour",
            options={"ordering": ["-year", "-awarded_on", "kind_id", "pk"], "verbose_name": "honour"},
        ),
    ]
