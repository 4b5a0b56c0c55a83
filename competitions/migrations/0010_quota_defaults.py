"""The default quota rules per honour kind (domain.md G): the 2024 全国五一劳动奖章 notice [S15]
and the 2015 全国劳模 quotas [S16]. Rule data: the administrator replaces them by adding newer
rows on the quota rules page."""

from datetime import date
from decimal import Decimal

from django.db import migrations

MAY_DAY = date(2024, 1, 1)
MODEL_WORKERS = date(2015, 1, 1)
NOTICE = "2024年全国五一劳动奖和工人先锋号推荐评选通知"
QUOTAS = "2015年全国劳动模范和先进工作者评选名额分配要求"

DEFAULTS = [
    # kind, attribute, operator, percent, effective from, note
    ("may_day_medal", "industrial", "gte", 35, MAY_DAY, NOTICE),
    ("may_day_medal", "other_frontline", "gte", 20, MAY_DAY, NOTICE),
    ("may_day_medal", "science_education", "gte", 20, MAY_DAY, NOTICE),
    ("may_day_medal", "migrant", "gte", 10, MAY_DAY, NOTICE),
    ("may_day_medal", "non_public", "gte", 35, MAY_DAY, NOTICE),
    ("may_day_medal", "key_industry", "gte", 35, MAY_DAY, NOTICE),
    ("may_day_award", "non_public", "gte", 35, MAY_DAY, NOTICE),
    ("may_day_award", "key_industry", "gte", 35, MAY_DAY, NOTICE),
    ("pioneer_team", "non_public", "gte", 35, MAY_DAY, NOTICE),
    ("pioneer_team", "key_industry", "gte", 35, MAY_DAY, NOTICE),
    ("national_model_worker", "frontline", "gte", 57, MODEL_WORKERS, QUOTAS),
    ("national_model_worker", "enterprise_head", "lte", 20, MODEL_WORKERS, QUOTAS),
    ("national_model_worker", "migrant", "gte", 25, MODEL_WORKERS, QUOTAS),
]


def seed(apps, schema_editor):
    HonourKind = apps.get_model("competitions", "HonourKind")
    QuotaDefault = apps.get_model("competitions", "QuotaDefault")
    kinds = {k.code: k for k in HonourKind.objects.filter(builtin=True)}
    for code, attribute, operator, percent, effective_from, note in DEFAULTS:
        if code in kinds:
            QuotaDefault.objects.get_or_create(
                kind=kinds[code],
                attribute=attribute,
                operator=operator,
                effective_from=effective_from,
                defaults={"percent": Decimal(percent), "note": note},
            )


def unseed(apps, schema_editor):
    QuotaDefault = apps.get_model("competitions", "QuotaDefault")
    QuotaDefault.objects.filter(effective_from__in=[MAY_DAY, MODEL_WORKERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("competitions", "0009_nomination_attributes_and_quota_defaults")]
    operations = [migrations.RunPython(seed, unseed)]
