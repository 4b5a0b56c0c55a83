from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        # One message for a wrong username and a wrong password (security.md B3).
        "invalid_login": _(
            "The username or password is wrong. Accounts are locked for 30 "
            "minutes after 5 failed attempts."
        ),
        "inactive": _(
            "The username or password is wrong. Accounts are locked for 30 "
            "minutes after 5 failed attempts."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True})


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters mixing 3 of: lower-case letters, upper-case "
            "letters, digits and symbols; no union words such as 'gonghui'."
        ),
    )


class TwoStepCodeForm(forms.Form):
    """The second step of the login: a code from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Verification code or recovery code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )
    remember = forms.BooleanField(required=False)

    def __init__(self, *args, remember_hours: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if remember_hours:
            self.fields["remember"].label = _(
                "Do not ask for a code on this browser for %(hours)d hours"
            ) % {"hours": remember_hours}
        else:
            del self.fields["remember"]


class TwoStepEnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=10,
        help_text=_("The 6-digit code the app shows after you have added the account."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "numeric"}
        ),
    )
