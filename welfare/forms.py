"""Forms of the welfare app: they validate and tidy input; services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.crypto import blind_index
from members.models import Member
from members.validators import normalise_resident_id
from unionportal.core.forms import DATE, HelperMixin, NameOnlyInput, document_type

from .models import (
    Campaign,
    CampaignKind,
    CondolenceRule,
    HardshipCategory,
    NoticeRule,
    Occasion,
    PovertyLine,
    ReliefCap,
    ReliefKind,
)

_Helper = HelperMixin


def money_field(label, required=True):
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0.01, required=required
    )


def find_member(members_in_scope, text: str) -> Member:
    text = (text or "").strip()
    try:
        number = normalise_resident_id(text)
    except Exception:  # noqa: BLE001 - not an ID: look the name up
        number = ""
    if number and len(number) == 18:
        found = list(members_in_scope.filter(resident_id_index=blind_index(number))[:2])
    else:
        found = list(members_in_scope.filter(name=text)[:2])
    if not found:
        raise forms.ValidationError(_("No member of your unions has that name or resident ID."))
    if len(found) > 1:
        raise forms.ValidationError(
            _("Several members have that name: enter the resident ID instead.")
        )
    return found[0]


class ReliefForm(_Helper, forms.Form):
    member = forms.CharField(
        label=_("Member (name or resident ID)"),
        max_length=40,
        required=False,
        widget=NameOnlyInput,
    )
    kind = forms.ChoiceField(label=_("Relief kind"), choices=ReliefKind.choices)
    amount_requested = money_field(_("Amount requested"))
    reason = forms.CharField(label=_("Reason for the application"), widget=forms.Textarea)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(self, *args, members=None, campaigns=None, fixed_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.fixed_member = fixed_member
        if fixed_member is not None:
            del self.fields["member"]
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns
        self._helper()

    def clean_member(self):
        if self.fixed_member is not None:
            return self.fixed_member
        return find_member(self.members, self.cleaned_data.get("member"))


class SubmitForm(_Helper, forms.Form):
    home_visit = forms.CharField(label=_("Home visit record"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ReviewForm(_Helper, forms.Form):
    income_verification = forms.CharField(
        label=_("Income verification result"), widget=forms.Textarea
    )
    comment = forms.CharField(label=_("Comment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ApproveForm(_Helper, forms.Form):
    amount_approved = money_field(_("Amount approved"))
    comment = forms.CharField(label=_("Comment"), required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding a check"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class RejectForm(_Helper, forms.Form):
    reason = forms.CharField(label=_("Reason for the rejection"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class PayForm(_Helper, forms.Form):
    paid_on = forms.DateField(label=pgettext_lazy("relief", "Paid on"), widget=DATE)
    reference = forms.CharField(label=_("Payment reference"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ProofForm(_Helper, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 5 MB)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean_file(self):
        f = self.cleaned_data["file"]
        self.content_type = document_type(f)
        return f


class FileForm(_Helper, forms.Form):
    member = forms.CharField(
        label=_("Member (name or resident ID)"),
        max_length=40,
        required=False,
        widget=NameOnlyInput,
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=30)
    annual_income = forms.DecimalField(
        label=_("Household income per year"), max_digits=12, decimal_places=2, min_value=0
    )
    illness_costs = forms.DecimalField(
        label=_("Illness costs per year"), max_digits=12, decimal_places=2, min_value=0
    )
    disability_costs = forms.DecimalField(
        label=_("Disability costs per year"), max_digits=12, decimal_places=2, min_value=0
    )
    schooling_costs = forms.DecimalField(
        label=_("Schooling costs per year"), max_digits=12, decimal_places=2, min_value=0
    )
    household_notes = forms.CharField(
        label=_("Other notes on the household"), widget=forms.Textarea, required=False
    )
    income_from = forms.ChoiceField(
        label=_("When the household rows add up to another income, the file uses"),
        choices=[
            ("typed", _("the household income typed above")),
            ("rows", _("the sum of the household rows")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    causes = forms.CharField(label=_("Causes of hardship"), widget=forms.Textarea)
    accident = forms.BooleanField(label=_("Disaster, accident or major illness"), required=False)
    category = forms.ChoiceField(
        label=_("Category (empty: use the suggestion)"),
        choices=[("", "—"), *HardshipCategory.choices],
        required=False,
    )

    def __init__(self, *args, members=None, fixed_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members, self.fixed_member = members, fixed_member
        if fixed_member is not None:
            del self.fields["member"]
        self._helper()

    def clean_member(self):
        return find_member(self.members, self.cleaned_data.get("member"))


class HouseholdRowForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=60, required=False)
    relation = forms.CharField(label=_("Relation"), max_length=30, required=False)
    annual_income = forms.DecimalField(
        label=_("Income per year"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("relation"):
            self.add_error("relation", _("Say how this person is related to the worker."))
        if not data.get("name") and (data.get("relation") or data.get("annual_income")):
            self.add_error("name", _("Enter the name."))
        return data


HouseholdFormSet = forms.formset_factory(HouseholdRowForm, extra=2, max_num=20)


def household_rows(formset) -> list[dict] | None:
    """The filled rows of a valid household formset; None when none is filled (the form's
    household income then stands)."""
    rows = [
        {
            "name": f.cleaned_data["name"],
            "relation": f.cleaned_data["relation"],
            "annual_income": f.cleaned_data.get("annual_income") or 0,
            "note": f.cleaned_data.get("note", ""),
        }
        for f in formset
        if f.cleaned_data.get("name")
    ]
    return rows or None


class ReasonForm(_Helper, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class VisitForm(_Helper, forms.Form):
    member = forms.CharField(
        label=_("Member (name or resident ID)"), max_length=40, widget=NameOnlyInput
    )
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    in_cash = forms.BooleanField(label=_("In cash"), required=False)
    amount = money_field(_("Amount or value"))
    visitors = forms.CharField(label=_("Visitors"), max_length=200)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False
    )
    enterprise = forms.CharField(
        label=_("Enterprise visited"),
        max_length=120,
        required=False,
        help_text=_("The employer whose workers were visited, e.g. 宜昌某某化工有限公司."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(self, *args, members=None, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns
        self._helper()

    def clean_member(self):
        return find_member(self.members, self.cleaned_data.get("member"))


class CampaignForm(_Helper, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    organisation = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    budget = money_field(_("Budget"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self._helper()


class BudgetForm(_Helper, forms.Form):
    budget = money_field(_("New budget"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)


# --- Rule tables ---------------------------------------------------------------------------


class _RuleForm(_Helper, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if isinstance(f, forms.DateField):
                f.widget = DATE
        self._helper()


class PovertyLineForm(_RuleForm):
    class Meta:
        model = PovertyLine
        fields = ["region_code", "year", "monthly_amount", "effective_from", "note"]


class NoticeRuleForm(_RuleForm):
    class Meta:
        model = NoticeRule
        fields = ["days", "effective_from", "note"]


class ReliefCapForm(_RuleForm):
    class Meta:
        model = ReliefCap
        fields = ["kind", "yearly_cap", "needs_hardship_file", "effective_from", "note"]


class CondolenceRuleForm(_RuleForm):
    class Meta:
        model = CondolenceRule
        fields = ["occasion", "yearly_cap", "cash_allowed", "effective_from", "note"]


RULE_FORMS = {
    "poverty": PovertyLineForm,
    "notice": NoticeRuleForm,
    "relief_cap": ReliefCapForm,
    "condolence": CondolenceRuleForm,
}
