"""Forms of the public and member pages. The rules live in the services; these only carry
the fields (and the honeypot and CAPTCHA of the public form)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import EmploymentType
from rights.models import CaseKind, Category

from .services.accounts import username_for


class JoinForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200, required=False)
    resident_id = forms.CharField(
        label=_("Resident ID number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    employer = forms.CharField(
        label=_("Employer (name or unified social credit code)"), max_length=200, required=False
    )
    union = forms.IntegerField(required=False, widget=forms.HiddenInput)
    no_union = forms.BooleanField(label=_("My employer has no union"), required=False)
    area_union = forms.IntegerField(label=_("Township, street or park union"), required=False)
    employment_type = forms.ChoiceField(
        label=_("Employment type"),
        choices=[("", "---------"), *EmploymentType.choices],
        required=False,
    )
    is_migrant = forms.BooleanField(label=_("I am a migrant worker (农民工)"), required=False)
    consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice"), required=False
    )
    captcha = forms.CharField(
        label=_("Answer the sum in the picture"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # The honeypot: hidden from people by the page's CSS, filled in by bots.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class StatusForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=20)
    id_tail = forms.CharField(
        label=_("Last 6 characters of the resident ID"), min_length=6, max_length=6
    )


class ActivateForm(forms.Form):
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters mixing 3 of: lower-case letters, upper-case "
            "letters, digits and symbols; no union words such as 'gonghui'."
        ),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class MemberLoginForm(AuthenticationForm):
    """Mobile and password; the mobile maps to the member account's username."""

    error_messages = {
        "invalid_login": _(
            "The mobile number or password is wrong. Accounts are locked for 30 minutes "
            "after 5 failed attempts."
        ),
        "inactive": _(
            "The mobile number or password is wrong. Accounts are locked for 30 minutes "
            "after 5 failed attempts."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Mobile number")
        self.fields["username"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_username(self):
        from members.validators import normalise_mobile

        text = self.cleaned_data.get("username", "")
        try:
            return username_for(normalise_mobile(text))
        except forms.ValidationError:
            return f"m{text}"


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("New mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class TransferAskForm(forms.Form):
    employer = forms.CharField(
        label=_("New employer (name or unified social credit code)"), max_length=200
    )
    union = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500, required=False
    )


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    category = forms.ModelChoiceField(
        label=_("Subject"), queryset=Category.objects.filter(active=True), required=False
    )
    request = forms.CharField(
        label=_("What do you ask for?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the applicant sees it)"), widget=forms.Textarea(attrs={"rows": 2})
    )
