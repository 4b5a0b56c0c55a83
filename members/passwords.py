"""Password rules beyond Django's own (security.md B1): character classes and union words."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Words an attacker guesses first against a union's portal, lower-cased, pinyin and Chinese.
UNION_WORDS = (
    "gonghui",
    "zonggonghui",
    "union",
    "yichang",
    "ycgh",
    "zgh",
    "huiyuan",
    "laomo",
    "工会",
    "总工会",
    "宜昌",
    "会员",
)


def character_classes(password: str) -> int:
    classes = set()
    for ch in password:
        if ch.isdigit():
            classes.add("digit")
        elif ch.isascii() and ch.islower():
            classes.add("lower")
        elif ch.isascii() and ch.isupper():
            classes.add("upper")
        elif not unicodedata.category(ch).startswith("Z"):
            classes.add("other")
    return len(classes)


class CharacterClassValidator:
    """At least `min_classes` of: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                ngettext(
                    "The password must mix at least %(n)d kind of character.",
                    "The password must mix at least %(n)d of these: lower-case letters, "
                    "upper-case letters, digits and symbols.",
                    self.min_classes,
                )
                % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least 3 of these: lower-case letters, upper-case letters, digits and symbols."
        )


class UnionWordValidator:
    """Refuses passwords built on the words everyone guesses against a union's portal."""

    def validate(self, password: str, user=None) -> None:
        folded = password.lower()
        if any(word in folded for word in UNION_WORDS):
            raise ValidationError(
                _(
                    "The password must not contain words such as 'gonghui', 'union' or the "
                    "city's name; they are the first an attacker tries."
                ),
                code="password_union_word",
            )

    def get_help_text(self) -> str:
        return _("Do not use union words such as 'gonghui' or the city's name.")
