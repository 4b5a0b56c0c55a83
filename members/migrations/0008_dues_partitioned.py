"""Dues records partitioned by month on PostgreSQL (issue 22); SQLite keeps one table.

The model does not change: the table is rebuilt as PARTITION BY RANGE (month) with the primary
key (id, month), one partition per month (24 months back, every month on record, 12 ahead) and
a default partition, and the rows are copied over (members/partitions.py). Reversible.
"""

from django.db import migrations

from members.partitions import partition_dues, unpartition_dues


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_auditor_confirmation"),
    ]

    operations = [
        migrations.RunPython(partition_dues, unpartition_dues, elidable=False),
    ]
