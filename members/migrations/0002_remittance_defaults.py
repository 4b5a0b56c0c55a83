"""Seed the city-wide default remittance rule for the 2% levy (domain.md D).

The grassroots union keeps 60% and 40% goes up (S9, Zhejiang "60/40"): 20% to the union
directly above, 10% to the city federation (level 2; for a union directly under the city this
lands on the city too, see RemittanceShare) and 10% outside the city to the provincial and
national federations. A federation administrator changes it in the rule table by adding a rule
with a later effective date.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

EFFECTIVE_FROM = date(2020, 1, 1)
SHARES = [
    (1, Decimal("20"), "上一级工会"),
    (2, Decimal("10"), "市总工会"),
    (99, Decimal("10"), "省总工会及全总"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("members", "RemittanceRule")
    Share = apps.get_model("members", "RemittanceShare")
    if Rule.objects.filter(organisation__isnull=True, effective_from=EFFECTIVE_FROM).exists():
        return
    rule = Rule.objects.create(
        organisation=None,
        effective_from=EFFECTIVE_FROM,
        retained_percent=Decimal("60"),
        note="全市默认：基层工会留成60%，上解40%",
    )
    for level, percent, label in SHARES:
        Share.objects.create(rule=rule, level=level, percent=percent, label=label)


def unseed(apps, schema_editor):
    Rule = apps.get_model("members", "RemittanceRule")
    FundRecord = apps.get_model("members", "FundRecord")
    rules = Rule.objects.filter(organisation__isnull=True, effective_from=EFFECTIVE_FROM)
    if not FundRecord.objects.filter(rule__in=rules).exists():
        rules.delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
