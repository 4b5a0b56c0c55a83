"""One trimming rule for every competition (competitions.scoring): the per-competition switch
goes; the highest and the lowest are dropped wherever 5 or more judges' totals count."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("competitions", "0003_judge_entries")]
    operations = [migrations.RemoveField(model_name="competition", name="trim_extremes")]
