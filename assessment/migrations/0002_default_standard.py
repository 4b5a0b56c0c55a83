"""The default 六有六好 standard (assessment/defaults.py): 100 points over the six areas."""

from django.db import migrations


def seed(apps, schema_editor):
    from assessment.defaults import seed as seed_standard

    seed_standard(
        apps.get_model("assessment", "Standard"),
        apps.get_model("assessment", "Area"),
        apps.get_model("assessment", "Item"),
    )


def unseed(apps, schema_editor):
    from assessment.defaults import EFFECTIVE_FROM

    Standard = apps.get_model("assessment", "Standard")
    Standard.objects.filter(effective_from=EFFECTIVE_FROM, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
