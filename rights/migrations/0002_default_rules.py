"""The default rule tables (domain.md K): the subject categories and the deadlines of 信访工作条例
(2022): 15 days to decide acceptance, 60 to conclude, one extension of up to 30, 30 to request a
review; 90 days for possible duplicates; a visit of 5 or more people is collective."""

from datetime import date

from django.db import migrations

CATEGORIES = [
    ("wages", "劳动报酬/欠薪"),
    ("social_insurance", "社会保险"),
    ("contract", "劳动合同"),
    ("injury", "工伤"),
    ("safety", "劳动安全"),
    ("hours", "工时休假"),
    ("women", "女职工权益"),
    ("democracy", "民主管理"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("rights", "Category")
    DeadlineRule = apps.get_model("rights", "DeadlineRule")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})
    DeadlineRule.objects.get_or_create(effective_from=date(2022, 5, 1))


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
