"""Members matched by what was typed into a search box (unionportal/core/lookup.py keeps the
text out of URLs): a full resident ID by its blind index, a phone exactly, else the name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from unionportal.core.lookup import could_be_number

from . import validators
from .crypto import blind_index


def member_q(text: str, prefix: str = "member__") -> Q:
    """Members whose name holds the text, or, for a full resident ID or phone, the exact one."""
    if could_be_number(text):
        tidy = validators.tidy(text)
        try:
            if len(tidy) >= 15 and not tidy.startswith("0"):
                number = validators.normalise_resident_id(tidy)
                return Q(**{f"{prefix}resident_id_index": blind_index(number)})
            return Q(**{f"{prefix}phone": validators.normalise_phone(text)})
        except ValidationError:  # not a valid number: nothing matches it
            return Q(pk__in=[])
    return Q(**{f"{prefix}name__icontains": text})
