"""Studios recorded with the level "exemplary" (示范, a distinction apart from the level since
0011): they keep it as named exemplary on the day they were recognised, and take the city
level, the lowest the portal knows, for their level; correct it by hand where it was higher."""

from django.db import migrations
from django.db.models import F


def split(apps, schema_editor):
    InnovationStudio = apps.get_model("competitions", "InnovationStudio")
    InnovationStudio.objects.filter(level="exemplary").update(
        exemplary_on=F("recognised_on"), level="city"
    )


class Migration(migrations.Migration):
    dependencies = [("competitions", "0011_studio_exemplary_apart_from_level")]
    operations = [migrations.RunPython(split, migrations.RunPython.noop)]
