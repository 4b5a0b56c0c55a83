"""What the apps' forms share: the date widget, the crispy helper, the name box that never writes
a typed resident ID back into the page (security.md F2), and the check of an uploaded document
(PDF, JPEG or PNG by its first bytes, at most 5 MB) for proofs, case attachments and evidence."""

from __future__ import annotations

import unicodedata

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _

DATE = forms.DateInput(attrs={"type": "date"})

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAGIC = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG": "image/png",
}


class HelperMixin:
    """A crispy helper without its own <form> tag; text areas three rows high."""

    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 3)


class NameOnlyInput(forms.TextInput):
    """Writes a typed name back into the page, never a typed resident ID (security.md F2)."""

    def format_value(self, value):
        value = super().format_value(value)
        if value and sum(ch.isdigit() for ch in unicodedata.normalize("NFKC", value)) >= 6:
            return None
        return value


def document_type(upload) -> str:
    """The content type of an uploaded PDF, JPEG or PNG, read from its first bytes; a form
    error in Chinese for anything else or anything over 5 MB."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise forms.ValidationError(_("The file is larger than 5 MB."))
    head = upload.read(8)
    upload.seek(0)
    for magic, content_type in DOCUMENT_MAGIC.items():
        if head.startswith(magic):
            return content_type
    raise forms.ValidationError(_("Only PDF, JPEG and PNG files are accepted."))
