"""The built-in honour kinds are named in Chinese (they were seeded in English by 0002, and the
pages show the name as it is stored); the model-worker kinds are tied to their level. A name
the administrator has changed since is left alone."""

from django.db import migrations

# code: (English name seeded by 0002, Chinese name, level it is awarded at or "")
KINDS = {
    "national_model_worker": ("National model worker", "全国劳动模范", "national"),
    "national_advanced_worker": ("National advanced worker", "全国先进工作者", "national"),
    "provincial_model_worker": ("Provincial model worker", "省劳动模范", "provincial"),
    "provincial_advanced_worker": ("Provincial advanced worker", "省先进工作者", "provincial"),
    "city_model_worker": ("City model worker", "市劳动模范", "city"),
    "city_advanced_worker": ("City advanced worker", "市先进工作者", "city"),
    "may_day_medal": ("May-Day labour medal", "五一劳动奖章", ""),
    "may_day_award": ("May-Day labour award certificate", "五一劳动奖状", ""),
    "pioneer_team": ("Worker pioneer team", "工人先锋号", ""),
    "top_ten_star": ("Top ten star", "十佳职工", ""),
    "skills_champion": ("Skills champion", "技术状元", ""),
    "technical_expert": ("Technical expert", "技术能手", ""),
    "service_star": ("Service star", "服务明星", ""),
}


def to_chinese(apps, schema_editor):
    HonourKind = apps.get_model("competitions", "HonourKind")
    for code, (english, chinese, level) in KINDS.items():
        HonourKind.objects.filter(code=code, builtin=True, name=english).update(name=chinese)
        HonourKind.objects.filter(code=code, builtin=True).update(level=level)


def to_english(apps, schema_editor):
    HonourKind = apps.get_model("competitions", "HonourKind")
    for code, (english, chinese, _level) in KINDS.items():
        HonourKind.objects.filter(code=code, builtin=True, name=chinese).update(name=english)


class Migration(migrations.Migration):
    dependencies = [("competitions", "0006_backfill_awarded_on")]
    operations = [migrations.RunPython(to_chinese, to_english)]
