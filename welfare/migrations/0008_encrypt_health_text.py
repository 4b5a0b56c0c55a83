"""Health and hardship text encrypted at rest (security.md F4, issue 14).

The columns become text holding Fernet ciphertext (members.crypto, the key of the resident
IDs). The data step encrypts the rows already there with raw SQL (the model fields would try
to decrypt plaintext); backwards it decrypts them, before the columns shrink back.
"""

from django.db import migrations

import members.crypto
from members import crypto

COLUMNS = {
    "welfare_hardshipfile": [
        "income_verification",
        "household_notes",
        "causes",
        "close_reason",
    ],
    "welfare_householdmember": ["name", "note"],
    "welfare_reliefapplication": [
        "income_verification",
        "reason",
        "home_visit",
        "override_reason",
        "reject_reason",
    ],
    "welfare_reliefdecision": ["comment"],
    "welfare_condolencevisit": ["note"],
}


def _rewrite(schema_editor, change) -> None:
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            cols = ", ".join(quote(c) for c in columns)
            cursor.execute(f"SELECT id, {cols} FROM {quote(table)} ORDER BY id")  # noqa: S608
            for pk, *values in cursor.fetchall():
                new = [change(v) if v else v for v in values]
                if new == values:
                    continue
                sets = ", ".join(f"{quote(c)} = %s" for c in columns)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {sets} WHERE id = %s",  # noqa: S608
                    [*new, pk],
                )


def encrypt_rows(apps, schema_editor) -> None:
    _rewrite(schema_editor, lambda v: v if crypto.is_ciphertext(v) else crypto.encrypt(v))


def decrypt_rows(apps, schema_editor) -> None:
    _rewrite(schema_editor, lambda v: crypto.decrypt(v) if crypto.is_ciphertext(v) else v)


class Migration(migrations.Migration):
    dependencies = [
        ("welfare", "0007_visit_enterprise"),
    ]

    operations = [
        migrations.AlterField(
            model_name="condolencevisit",
            name="note",
            field=members.crypto.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="hardshipfile",
            name="causes",
            field=members.crypto.EncryptedTextField(blank=True, verbose_name="causes of hardship"),
        ),
        migrations.AlterField(
            model_name="hardshipfile",
            name="close_reason",
            field=members.crypto.EncryptedTextField(blank=True, verbose_name="reason for closing"),
        ),
        migrations.AlterField(
            model_name="hardshipfile",
            name="household_notes",
            field=members.crypto.EncryptedTextField(
                blank=True, verbose_name="household members and incomes"
            ),
        ),
        migrations.AlterField(
            model_name="hardshipfile",
            name="income_verification",
            field=members.crypto.EncryptedTextField(
                blank=True, verbose_name="income verification result"
            ),
        ),
        migrations.AlterField(
            model_name="householdmember",
            name="name",
            field=members.crypto.EncryptedCharField(max_length=60, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="householdmember",
            name="note",
            field=members.crypto.EncryptedCharField(
                blank=True, max_length=200, verbose_name="note"
            ),
        ),
        migrations.AlterField(
            model_name="reliefapplication",
            name="home_visit",
            field=members.crypto.EncryptedTextField(blank=True, verbose_name="home visit record"),
        ),
        migrations.AlterField(
            model_name="reliefapplication",
            name="income_verification",
            field=members.crypto.EncryptedTextField(
                blank=True, verbose_name="income verification result"
            ),
        ),
        migrations.AlterField(
            model_name="reliefapplication",
            name="override_reason",
            field=members.crypto.EncryptedTextField(
                blank=True, verbose_name="reason for overriding a check"
            ),
        ),
        migrations.AlterField(
            model_name="reliefapplication",
            name="reason",
            field=members.crypto.EncryptedTextField(verbose_name="reason for the application"),
        ),
        migrations.AlterField(
            model_name="reliefapplication",
            name="reject_reason",
            field=members.crypto.EncryptedTextField(
                blank=True, verbose_name="reason for rejection"
            ),
        ),
        migrations.AlterField(
            model_name="reliefdecision",
            name="comment",
            field=members.crypto.EncryptedTextField(blank=True, verbose_name="comment"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
