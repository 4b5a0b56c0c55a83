"""Encryption at rest for resident ID numbers and health and hardship text (security.md F4).

The number is stored as Fernet ciphertext (AES-128-CBC + HMAC) with an HMAC-SHA256 blind
index beside it, so the database can enforce one-person-one-membership and find a member by
full ID without holding any number in clear. The masked form (420502********123X) is stored
too: screens and default exports never need to decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _keys(secret: str) -> tuple[Fernet, bytes]:
    material = hashlib.sha256(secret.encode()).digest()
    fernet = Fernet(base64.urlsafe_b64encode(material))
    index_key = hmac.new(material, b"unionportal blind index v1", hashlib.sha256).digest()
    return fernet, index_key


def _current() -> tuple[Fernet, bytes]:
    return _keys(settings.FIELD_ENCRYPTION_KEY)


def encrypt(value: str) -> str:
    return _current()[0].encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _current()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        # A wrong key must not crash a page; the value is simply unavailable.
        return ""


def blind_index(value: str) -> str:
    return hmac.new(_current()[1], value.encode(), hashlib.sha256).hexdigest() if value else ""


# --- Encrypted free text (health and hardship text, security.md F4) -------------------------


class EncryptedMixin:
    """A model field whose column holds Fernet ciphertext (the cipher and key above) while
    the attribute holds the plaintext: reads decrypt, saves, updates and bulk writes encrypt.
    The text cannot be searched in the database; only blank/null tests are allowed, so a
    filter that would silently match nothing (icontains on ciphertext) fails loudly instead."""

    _lookups_allowed = frozenset({"exact", "isnull"})

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_db_prep_value(self, value, connection, prepared=False):
        # prepared=True: a lookup's operand (only "exact" on "" is meaningful), left as is.
        # prepared=False: a value being written (save, update, bulk_create, bulk_update).
        value = super().get_db_prep_value(value, connection, prepared)
        if not prepared and value:
            value = encrypt(str(value))
        return value

    def get_lookup(self, lookup_name):
        if lookup_name not in self._lookups_allowed:
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None


class EncryptedTextField(EncryptedMixin, models.TextField):
    """TextField stored encrypted (a textarea in forms, as before)."""


class EncryptedCharField(EncryptedMixin, models.CharField):
    """CharField stored encrypted: max_length checks the plaintext; the column is text,
    since the ciphertext is longer than the text."""


def redacted(value: str) -> str:
    """Audit-log mask for encrypted text: the change is recorded, the words are not."""
    return "******" if value else ""


def is_ciphertext(value: str) -> bool:
    """Whether `value` is a token of the current key (a data migration's test)."""
    try:
        _current()[0].decrypt(value.encode())
    except (InvalidToken, ValueError):
        return False
    return True
