from __future__ import annotations

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


_ID_RE = re.compile(r"[0-9]{1,12}")


def is_id(value) -> bool:
    """Whether a query or form value is a plain number fit for int() and a primary key.
    str.isdigit() is not enough: it accepts '²' and numbers too long for int()."""
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None
