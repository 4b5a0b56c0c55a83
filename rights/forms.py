"""Forms of the casework pages: they validate and tidy input; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.lookup import member_q
from members.models import Member, Organisation
from unionportal.core.forms import DATE, HelperMixin, NameOnlyInput, document_type
from unionportal.core.lookup import could_be_number

from .models import CaseKind, Category, Channel, Satisfaction


class CaseForm(HelperMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    hotline = forms.BooleanField(label=_("Through the 12351 hotline"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, initial=CaseKind.REQUEST)
    received_on = forms.DateField(
        label=pgettext_lazy("case", "Received on"), widget=DATE, initial=timezone.localdate
    )
    received_by = forms.ModelChoiceField(
        label=_("Received by"), queryset=Organisation.objects.none(), empty_label=None
    )
    people = forms.IntegerField(
        label=_("Number of people"),
        initial=1,
        min_value=1,
        max_value=10000,
        help_text=_("Five or more people on a visit make it a collective visit."),
        error_messages={"min_value": _("At least one person brings a case.")},
    )
    member = forms.CharField(
        label=_("Member (full resident ID or phone)"),
        max_length=40,
        required=False,
        widget=NameOnlyInput,
        help_text=_("Leave empty for a petitioner who is not a member."),
    )
    petitioner_name = forms.CharField(
        label=_("Petitioner's name (not a member)"), max_length=100, required=False
    )
    petitioner_contact = forms.CharField(
        label=_("Petitioner's phone or address"), max_length=100, required=False
    )
    employer = forms.ModelChoiceField(
        label=_("Employer concerned (an organisation of the portal)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    employer_name = forms.CharField(
        label=_("Or the employer's name"), max_length=120, required=False
    )
    employer_uscc = forms.CharField(
        label=_("and its unified social credit code"), max_length=18, required=False
    )
    category = forms.ModelChoiceField(
        label=_("Subject"),
        queryset=Category.objects.filter(active=True),
        error_messages={
            "invalid_choice": _("Choose a subject from the list."),
            "required": _("Choose a subject from the list."),
        },
    )
    request = forms.CharField(label=_("What is asked"), widget=forms.Textarea)
    attachment_title = forms.CharField(label=_("Attachment title"), max_length=100, required=False)
    attachment = forms.FileField(
        label=_("Attachment (PDF, JPEG or PNG, at most 5 MB)"), required=False
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    member_pk = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, receivers=None, members=None, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members if members is not None else Member.objects.none()
        self.content_type = ""
        if receivers is not None:
            self.fields["received_by"].queryset = receivers
        if employers is not None:
            self.fields["employer"].queryset = employers
        self._helper()

    def clean_member(self):
        text = (self.cleaned_data.get("member") or "").strip()
        if not text:
            return None
        if not could_be_number(text):
            raise forms.ValidationError(
                _("Enter the member's full resident ID or phone number, or leave it empty.")
            )
        found = list(self.members.filter(member_q(text, prefix=""))[:2])
        if not found:
            raise forms.ValidationError(
                _("No member of your unions has that resident ID or phone number.")
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several members have that phone number: enter the resident ID instead.")
            )
        return found[0]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        self.content_type = document_type(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("member") and data.get("member_pk"):
            data["member"] = self.members.filter(pk=data["member_pk"]).first()
        if data.get("attachment") and not (data.get("attachment_title") or "").strip():
            self.add_error("attachment_title", _("Give the attachment a title."))
        return data


class _Form(HelperMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


def _on():
    return forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)


class AcceptForm(_Form):
    on = _on()
    comment = forms.CharField(label=_("Comment"), required=False)


class RejectForm(_Form):
    on = _on()
    reason = forms.CharField(label=_("Reason it is not accepted"), widget=forms.Textarea)


class ConsultForm(_Form):
    on = _on()
    answer = forms.CharField(label=_("Answer given"), widget=forms.Textarea)


class DispatchForm(_Form):
    to = forms.ModelChoiceField(
        label=_("Dispatch to"), queryset=Organisation.objects.none(), empty_label=None
    )
    due_on = forms.DateField(label=_("To be handled by"), widget=DATE)
    on = _on()
    comment = forms.CharField(label=_("Instructions"), widget=forms.Textarea, required=False)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["to"].queryset = targets


class NoteForm(_Form):
    on = _on()
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea)


class ExtendForm(_Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=366)
    reason = forms.CharField(label=_("Reason for the extension"), widget=forms.Textarea)
    on = _on()


class AnswerForm(_Form):
    on = _on()
    answer = forms.CharField(label=_("Answer to the petitioner"), widget=forms.Textarea)


class CloseForm(_Form):
    on = _on()
    outcome = forms.CharField(label=pgettext_lazy("case", "Outcome"), widget=forms.Textarea)


class FollowUpForm(_Form):
    on = _on()
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    comment = forms.CharField(label=_("Comment"), required=False)


class ReviewForm(_Form):
    on = _on()
    reason = forms.CharField(label=_("What the petitioner disputes"), widget=forms.Textarea)


class AttachmentForm(HelperMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 5 MB)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean_file(self):
        f = self.cleaned_data["file"]
        self.content_type = document_type(f)
        return f
