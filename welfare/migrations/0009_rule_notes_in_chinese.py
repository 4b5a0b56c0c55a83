"""The seeded rule rows' notes in Chinese (issue 20 item 4: no English data on Chinese pages).
Only the notes the seed wrote are changed; a note an administrator typed stays as typed."""

from django.db import migrations

NOTES = {
    "Hubei 2018-19 rules (domain.md E)": "湖北省2018—2019年送温暖和帮扶救助规定",
    "commonly 5-7 days": "公示期一般为5至7天",
    "city-wide default; set each district's line": "全市默认标准，请按区县设置各自的低保标准",
}
MODELS = ("CondolenceRule", "ReliefCap", "NoticeRule", "PovertyLine")


def to_chinese(apps, schema_editor, notes=NOTES):
    for name in MODELS:
        model = apps.get_model("welfare", name)
        if not any(f.name == "note" for f in model._meta.fields):
            continue
        for old, new in notes.items():
            model.objects.filter(note=old).update(note=new)


def to_english(apps, schema_editor):
    to_chinese(apps, schema_editor, notes={v: k for k, v in NOTES.items()})


class Migration(migrations.Migration):
    dependencies = [("welfare", "0008_encrypt_health_text")]

    operations = [migrations.RunPython(to_chinese, to_english)]
