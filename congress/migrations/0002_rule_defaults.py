"""Seed the default congress rule (domain.md F): 2 co-signers besides the proposer, a reply
within 30 days, frontline delegates at least 50%, managers at most 20%, women in proportion to
the membership (5 points of tolerance), quorum 2/3. A federation administrator changes them by
adding a rule with a later effective date."""

from datetime import date

from django.db import migrations

EFFECTIVE_FROM = date(2020, 1, 1)


def seed(apps, schema_editor):
    Rule = apps.get_model("congress", "CongressRule")
    Rule.objects.get_or_create(
        effective_from=EFFECTIVE_FROM,
        defaults={
            "min_cosigners": 2,
            "reply_days": 30,
            "frontline_min_percent": 50,
            "managers_max_percent": 20,
            "women_tolerance_percent": 5,
            "quorum_numerator": 2,
            "quorum_denominator": 3,
            "note": "默认：附议不少于2人，30日内答复，一线职工≥50%，管理人员≤20%，法定人数2/3",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("congress", "CongressRule").objects.filter(
        effective_from=EFFECTIVE_FROM
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("congress", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
