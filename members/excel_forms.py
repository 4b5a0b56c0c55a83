"""Forms of the Excel pages: the member import upload and the register export options."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionportal.core.excel import MAX_UPLOAD_BYTES

from . import access
from .exports import FULL_FIELDS
from .forms import OrgChoiceField
from .imports import Layout as FileLayout
from .imports import read_layout
from .models import GRASSROOTS_KINDS, Organisation


class MemberImportForm(forms.Form):
    union = OrgChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Import into"),
        help_text=_("Members may also be placed in its branches and groups (last column)."),
    )
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("Up to 5 MB and 100,000 rows."),
    )

    def __init__(self, *args, user, too_big: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_big = too_big
        self.layout: FileLayout | None = None
        # Grassroots unions only (branches and groups are named in the file's last column),
        # so a city-wide account does not get tens of thousands of options.
        unions = access.scope(
            user,
            Organisation.objects.active().filter(kind__in=GRASSROOTS_KINDS),
            capability="member.edit",
        ).order_by("path")
        self.fields["union"].queryset = unions
        role = access.primary_role(user)
        if role is not None and not self.is_bound:
            self.fields["union"].initial = unions.filter(pk=role.organisation_id).first()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("check", _("Upload and check")))

    def clean(self):
        data = super().clean()
        if self.too_big:
            # The upload handler dropped the file at the cap (views.imports): say why.
            self.errors.pop("file", None)
            self.add_error(
                "file",
                _("The file is larger than %(limit)s MB; split it into smaller files.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB; split it into smaller files.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_big",
            )
        self.layout = read_layout(upload)
        return upload


class MemberExportForm(forms.Form):
    """What an export adds to the register list's filters: full numbers, for the roles with
    export_sensitive only, with the reason that goes into the audit log (security.md F3)."""

    full_fields = forms.MultipleChoiceField(
        label=_("Export in full"),
        choices=[
            ("resident_id", _("Full resident ID numbers")),
            ("phone", _("Full mobile numbers")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the work truly needs them; the export is recorded with its reason."),
    )
    reason = forms.CharField(
        label=_("Reason for full numbers"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.sensitive = access.can(user, "export.sensitive")
        if not self.sensitive:
            del self.fields["full_fields"]
            del self.fields["reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if data.get("full_fields") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for exporting full numbers."))
        return data

    def chosen_full_fields(self) -> tuple[str, ...]:
        chosen = self.cleaned_data.get("full_fields") or ()
        return tuple(f for f in FULL_FIELDS if f in chosen)
