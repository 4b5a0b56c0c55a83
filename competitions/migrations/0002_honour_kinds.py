"""The built-in honour kinds (domain.md G); the federation administrator adds others."""

from django.db import migrations

KINDS = [
    ("national_model_worker", "National model worker", "member"),
    ("national_advanced_worker", "National advanced worker", "member"),
    ("provincial_model_worker", "Provincial model worker", "member"),
    ("provincial_advanced_worker", "Provincial advanced worker", "member"),
    ("city_model_worker", "City model worker", "member"),
    ("city_advanced_worker", "City advanced worker", "member"),
    ("may_day_medal", "May-Day labour medal", "member"),
    ("may_day_award", "May-Day labour award certificate", "organisation"),
    ("pioneer_team", "Worker pioneer team", "team"),
    ("top_ten_star", "Top ten star", "member"),
    ("skills_champion", "Skills champion", "member"),
    ("technical_expert", "Technical expert", "member"),
    ("service_star", "Service star", "member"),
]


def add(apps, schema_editor):
    HonourKind = apps.get_model("competitions", "HonourKind")
    for code, name, recipient in KINDS:
        HonourKind.objects.get_or_create(
            code=code, defaults={"name": name, "recipient": recipient, "builtin": True}
        )


def remove(apps, schema_editor):
    apps.get_model("competitions", "HonourKind").objects.filter(builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("competitions", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
