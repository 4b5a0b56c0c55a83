"""Forms validate and tidy input; competitions.services decides."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.forms import DATE, OrgChoiceField
from members.models import Member, User

from .models import (
    Competition,
    Criterion,
    Honour,
    HonourKind,
    HonourLevel,
    InnovationStudio,
    NominationRound,
    QuotaAttribute,
    QuotaDefault,
    QuotaOperator,
)


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class CompetitionForm(forms.ModelForm):
    organiser = OrgChoiceField(queryset=None, label=_("Organiser"))

    class Meta:
        model = Competition
        fields = [
            "organiser",
            "name",
            "field",
            "kind",
            "starts_on",
            "ends_on",
            "registration_opens",
            "registration_closes",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "registration_opens": DATE,
            "registration_closes": DATE,
        }

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.helper = _helper()


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "weight", "min_score", "max_score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class JudgeForm(forms.Form):
    username = forms.CharField(label=_("Judge's user name"), max_length=150)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this user name."))
        return user


class EntryForm(forms.Form):
    organisation = OrgChoiceField(queryset=None, label=_("Union"))
    member = forms.ModelChoiceField(queryset=Member.objects.none(), required=False)
    team_name = forms.CharField(label=_("Team name"), max_length=80, required=False)
    team_members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), required=False, label=_("Team members")
    )

    def __init__(self, *args, unions, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = unions
        self.fields["member"].queryset = members
        self.fields["member"].label = _("Member (an individual entry)")
        self.fields["team_members"].queryset = members
        self.helper = _helper()

    def clean_team_name(self):
        return self.cleaned_data["team_name"].strip()


class HonourForm(forms.ModelForm):
    organisation = OrgChoiceField(queryset=None, label=_("Organisation"))
    member = forms.ModelChoiceField(queryset=Member.objects.none(), required=False)

    class Meta:
        model = Honour
        fields = [
            "kind",
            "level",
            "year",
            "awarded_on",
            "awarding_body",
            "organisation",
            "member",
            "team_name",
        ]
        widgets = {"awarded_on": DATE}

    def __init__(self, *args, organisations, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded_on"].initial = timezone.localdate
        self.fields["kind"].queryset = HonourKind.objects.filter(active=True)
        self.fields["organisation"].queryset = organisations
        self.fields["member"].queryset = members
        self.fields["member"].label = _("Member")
        self.helper = _helper()


class WinnersForm(forms.Form):
    kind = forms.ModelChoiceField(queryset=HonourKind.objects.filter(active=True))
    level = forms.ChoiceField(choices=HonourLevel.choices, label=_("Level"))
    year = forms.IntegerField(min_value=1949, max_value=2100, label=_("Year"))
    awarded_on = forms.DateField(widget=DATE, label=_("Awarded on"), initial=timezone.localdate)
    awarding_body = forms.CharField(max_length=120, label=_("Awarding body"))
    top = forms.IntegerField(min_value=1, max_value=100, initial=3, label=_("Ranks up to"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _("Honour")
        self.helper = _helper()


class StudioForm(forms.ModelForm):
    organisation = OrgChoiceField(queryset=None, label=_("Organisation"))
    leader = forms.ModelChoiceField(queryset=Member.objects.none(), required=False)

    class Meta:
        model = InnovationStudio
        fields = [
            "name",
            "organisation",
            "leader",
            "field",
            "level",
            "recognised_on",
            "exemplary_on",
            "achievements",
        ]
        widgets = {
            "recognised_on": DATE,
            "exemplary_on": DATE,
            "achievements": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"exemplary_on": _("Only for a studio named exemplary (示范).")}

    def __init__(self, *args, organisations, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["leader"].queryset = members
        self.fields["leader"].label = _("Leader")
        self.helper = _helper()


class RoundForm(forms.ModelForm):
    organiser = OrgChoiceField(queryset=None, label=_("Organiser"))

    class Meta:
        model = NominationRound
        fields = ["organiser", "kind", "level", "year", "awarding_body"]

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["kind"].queryset = HonourKind.objects.filter(active=True)
        self.helper = _helper()


class RuleForm(forms.Form):
    attribute = forms.ChoiceField(choices=QuotaAttribute.choices, label=_("Who"))
    operator = forms.ChoiceField(choices=QuotaOperator.choices, label=_("Rule"))
    percent = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, label=_("Percent"))


class QuotaForm(forms.Form):
    organisation = OrgChoiceField(queryset=None, label=_("Union"))
    seats = forms.IntegerField(min_value=0, max_value=10000, label=_("Seats"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class NoticeForm(forms.Form):
    notice_from = forms.DateField(widget=DATE, label=_("Notice from"))
    notice_to = forms.DateField(widget=DATE, label=_("Notice until"))


class DecideForm(forms.Form):
    awarded_on = forms.DateField(widget=DATE, label=_("Awarded on"), required=False)


class ObjectionForm(forms.Form):
    received_on = forms.DateField(widget=DATE, label=_("Received on"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Objection"))
    handling = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Handling"), required=False
    )


class NominationForm(forms.Form):
    organisation = OrgChoiceField(queryset=None, label=_("Union"))
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Member"))
    # What the quota rules ask that the member's record does not hold (nominations.RECORDED).
    is_industrial_worker = forms.BooleanField(required=False, label=_("Industrial worker"))
    is_science_education = forms.BooleanField(required=False, label=_("Science or education staff"))
    is_non_public = forms.BooleanField(required=False, label=_("Works in a non-public enterprise"))
    is_key_industry = forms.BooleanField(required=False, label=_("Works in a key industry"))
    is_enterprise_head = forms.BooleanField(
        required=False,
        label=_("Enterprise head"),
        help_text=_("The enterprise's legal representative or principal, not a manager."),
    )

    def __init__(self, *args, unions, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = unions
        self.fields["member"].queryset = members
        self.helper = _helper()


class QuotaDefaultForm(forms.ModelForm):
    class Meta:
        model = QuotaDefault
        fields = ["kind", "attribute", "operator", "percent", "effective_from", "note"]
        widgets = {"effective_from": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class HonourKindForm(forms.ModelForm):
    class Meta:
        model = HonourKind
        fields = ["code", "name", "recipient", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
