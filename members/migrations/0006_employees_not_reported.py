"""Employee figures may be "not reported" (issue 13 item 2), and a joint grassroots union
records how many employers it covers (item 3).

Until now an employee figure nobody entered was stored as 0, so a union with members and 0
employees is one that never reported: its 0 becomes not reported (NULL). A 0 where the union
has no members may be true and stays. The migrant figure likewise, against migrant members.
Members count in the union they are registered in or in any of its branches and groups.
Backwards, not reported becomes 0 again.
"""

import django.core.validators
from django.db import migrations, models
from django.db.models import Exists, OuterRef

# The kinds that stand for an employer's workforce (a grassroots union, its branches, groups).
WORKFORCE_KINDS = ("grassroots", "joint_grassroots", "branch", "group")
COUNTED = ("active", "retained")


def forwards(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    Member = apps.get_model("members", "Member")

    def members_below(**extra):
        # Members registered in the organisation or anywhere in its subtree.
        return Exists(
            Member.objects.filter(
                status__in=COUNTED,
                organisation__path__startswith=OuterRef("path"),
                **extra,
            )
        )

    orgs = Organisation.objects.filter(kind__in=WORKFORCE_KINDS)
    # Migrants first: the check constraint wants migrants within employees while both are set.
    orgs.filter(migrant_employees=0).filter(members_below(is_migrant=True)).update(
        migrant_employees=None
    )
    orgs.filter(employees=0).filter(members_below()).update(employees=None)


def backwards(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    Organisation.objects.filter(employees__isnull=True).update(employees=0)
    Organisation.objects.filter(migrant_employees__isnull=True).update(migrant_employees=0)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_phone_landline"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="organisation",
            name="organisation_migrants_within_employees",
        ),
        migrations.AddField(
            model_name="organisation",
            name="employers_covered",
            field=models.PositiveIntegerField(
                default=1,
                help_text="For a joint grassroots union: how many employers it covers.",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="employers covered",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="employees",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="employees"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="migrant_employees",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="migrant employees"
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("migrant_employees__isnull", True),
                    ("employees__isnull", True),
                    ("migrant_employees__lte", models.F("employees")),
                    _connector="OR",
                ),
                name="organisation_migrants_within_employees",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(("employers_covered__gte", 1)),
                name="organisation_covers_an_employer",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
