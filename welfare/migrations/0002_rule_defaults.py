"""Default rule tables: Hubei condolence caps (domain.md E), relief caps per kind, public
notice days and the city's minimum living standard. Federation admins edit them in the
portal by adding newer rows."""

from datetime import date
from decimal import Decimal

from django.db import migrations

START = date(2025, 1, 1)

CONDOLENCE = [
    # occasion, cap per member and year, cash allowed
    ("festival", "1200", False),  # holiday gifts: goods or vouchers only, no cash
    ("birthday", "300", False),  # in kind
    ("marriage", "1000", False),  # in kind
    ("birth", "500", True),
    ("retirement", "1000", False),  # keepsake
    ("illness", "1000", True),  # hospital stay
    ("bereavement", "1000", True),  # member or direct relative
]

RELIEF_CAPS = [
    # kind, cap per person and calendar year, needs an open hardship file
    ("living", "6000", True),
    ("medical", "20000", False),
    ("education", "5000", True),
    ("winter", "2000", False),
    ("summer", "500", False),
    ("temporary", "3000", False),
]


def seed(apps, schema_editor):
    CondolenceRule = apps.get_model("welfare", "CondolenceRule")
    ReliefCap = apps.get_model("welfare", "ReliefCap")
    NoticeRule = apps.get_model("welfare", "NoticeRule")
    PovertyLine = apps.get_model("welfare", "PovertyLine")
    note = "湖北省2018—2019年送温暖和帮扶救助规定"
    if not CondolenceRule.objects.exists():
        CondolenceRule.objects.bulk_create(
            CondolenceRule(
                occasion=o,
                yearly_cap=Decimal(c),
                cash_allowed=cash,
                effective_from=START,
                note=note,
            )
            for o, c, cash in CONDOLENCE
        )
    if not ReliefCap.objects.exists():
        ReliefCap.objects.bulk_create(
            ReliefCap(kind=k, yearly_cap=Decimal(c), needs_hardship_file=f, effective_from=START)
            for k, c, f in RELIEF_CAPS
        )
    if not NoticeRule.objects.exists():
        NoticeRule.objects.create(days=7, effective_from=START, note="公示期一般为5至7天")
    if not PovertyLine.objects.exists():
        PovertyLine.objects.bulk_create(
            PovertyLine(
                region_code="",
                year=year,
                monthly_amount=Decimal("800.00"),
                effective_from=date(year, 1, 1),
                note="全市默认标准，请按区县设置各自的低保标准",
            )
            for year in (2025, 2026)
        )


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
