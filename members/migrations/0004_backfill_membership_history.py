"""Backfill the membership history for the records that exist (issue "membership history").

- Spells from each member's status changes and accepted transfers (members/history.py
  rebuild_spells, run here with the historical models); today's register is the last word,
  so the counts for today agree before and after (tests/members/test_history_migration.py).
- The application date of applicants (their joining date until now held it).
- The day a lost, replaced or cancelled card stopped being valid: the replacement's issue
  date when there is one, else its own issue date (the day it ended was never recorded; the
  past figures counted such cards as not valid, and so they stay).
"""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def forwards(apps, schema_editor):
    from members.history import rebuild_spells

    names = ("Member", "MemberStatusChange", "Transfer", "MembershipSpell")
    rebuild_spells({n: apps.get_model("members", n) for n in names})
    Member = apps.get_model("members", "Member")
    Member.objects.filter(status="applied", applied_on__isnull=True).update(
        applied_on=F("joined_on")
    )
    Card = apps.get_model("members", "ServiceCard")
    ended = Card.objects.filter(status__in=["lost", "replaced", "cancelled"], ended_on__isnull=True)
    replacement = Card.objects.filter(replaces=OuterRef("pk")).values("issued_on")[:1]
    ended.filter(replaced_by__isnull=False).update(ended_on=Subquery(replacement))
    ended.filter(ended_on__isnull=True).update(ended_on=F("issued_on"))


def backwards(apps, schema_editor):
    apps.get_model("members", "MembershipSpell").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0003_membership_history")]

    operations = [migrations.RunPython(forwards, backwards)]
