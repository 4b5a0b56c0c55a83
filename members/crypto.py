"""Encryption at rest for resident ID numbers (security.md F4).

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
