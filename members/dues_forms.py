"""Forms of the dues and union-fund pages. They validate and tidy input; services decide."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access
from .dues import first_of_month, parse_month
from .forms import DATE, OrgChoiceField
from .models import GRASSROOTS_KINDS, UPPER_KINDS, Organisation, PaidHow, RemittanceShare
from .services.funds import MAX_LEVEL, MAX_PAYROLL


class MonthField(forms.CharField):
    """A month typed or picked as YYYY-MM; cleans to the 1st of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-01.")}

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        **kwargs,
    )


def _helper(*inputs) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    for item in inputs:
        helper.add_input(item)
    return helper


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=timezone.localdate)
    paid_how = forms.ChoiceField(label=_("Paid how"), choices=PaidHow.choices)

    def clean_paid_on(self) -> date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("The payment date cannot be in the future."))
        return paid_on


class MemberPaymentForm(PaymentForm):
    months = forms.MultipleChoiceField(
        label=_("Months"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, unpaid_months: list[date] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [(f"{m:%Y-%m}", f"{m:%Y-%m}") for m in unpaid_months]
        self.helper = _helper(Submit("pay", _("Mark paid")))

    def clean_months(self) -> list[date]:
        return [parse_month(m) for m in self.cleaned_data["months"]]


class PayAheadForm(PaymentForm):
    """Dues paid ahead, from next month through a month at most a year ahead."""

    through = MonthField(label=_("Paid through (month)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["through"].help_text = _(
            "From next month through this month, at most 12 months ahead; each month's dues "
            "are worked out from the wage base in force for it."
        )
        self.helper = _helper(Submit("pay_ahead", _("Record the payment ahead")))
        self.helper.layout = Layout(Row(Column("through"), Column("paid_on")), "paid_how")


class WageBaseForm(forms.Form):
    month = MonthField(label=_("From month"))
    amount = _money_field(
        _("Monthly wage base (yuan)"),
        max_value=Decimal("1000000"),
        help_text=_(
            "Dues are 0.5% of the base after dropping the part below ¥10. Dues already "
            "generated keep their base."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = first_of_month(timezone.localdate())
        self.helper = _helper(Submit("save", _("Set wage base")))
        self.helper.layout = Layout(Row(Column("month"), Column("amount")))


class FundRecordForm(forms.Form):
    organisation = OrgChoiceField(queryset=Organisation.objects.none(), label=_("Union"))
    month = MonthField(label=_("Month"))
    payroll = _money_field(
        _("Total payroll (yuan)"),
        max_value=MAX_PAYROLL,
        help_text=_("工资总额 as the statistics bureau defines it; the levy is 2% of it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.scope(
            user,
            Organisation.objects.active().filter(kind__in=GRASSROOTS_KINDS),
            capability="member.edit",
        ).order_by("path")
        self.fields["month"].initial = first_of_month(timezone.localdate())
        self.helper = _helper(Submit("save", _("Record and divide")))

    def clean_month(self) -> date:
        month = self.cleaned_data["month"]
        if month and month > first_of_month(timezone.localdate()):
            raise forms.ValidationError(_("The month cannot be in the future."))
        return month


LEVEL_CHOICES = [(str(n), str(n)) for n in range(1, MAX_LEVEL + 1)] + [
    (str(RemittanceShare.LEVEL_OUTSIDE), _("Outside the city (province, national)"))
]


class ShareForm(forms.Form):
    # The blank first choice keeps an untouched extra row empty, so the formset skips it.
    level = forms.TypedChoiceField(
        label=_("Level above"),
        choices=[("", "—"), *LEVEL_CHOICES],
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    percent = forms.DecimalField(
        label=_("Share (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01"}),
    )
    label = forms.CharField(
        label=_("Recipient"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


ShareFormSet = forms.formset_factory(ShareForm, extra=2, can_delete=True, max_num=12)


def shares_from(formset) -> list[dict]:
    """The filled, undeleted rows of a share formset."""
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and "level" in f.cleaned_data
    ]


class RemittanceRuleForm(forms.Form):
    organisation = OrgChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Applies to"),
        required=False,
        empty_label=_("The whole city (default)"),
        help_text=_("An organisation's own rule covers everything below it."),
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    retained_percent = forms.DecimalField(
        label=_("Kept by the grassroots union (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Rules are set for upper organisations (an industry union, a county); the list stays
        # short even in a city of thousands of grassroots unions.
        self.fields["organisation"].queryset = access.scope(
            user,
            Organisation.objects.active().filter(kind__in=UPPER_KINDS),
            capability="rules.edit",
        ).order_by("path")
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("organisation", css_class="col-md-6"), Column("effective_from")),
            Row(Column("retained_percent"), Column("note", css_class="col-md-8")),
        )


class WhatIfForm(forms.Form):
    BASIS = [("payroll", _("Total payroll")), ("levy", _("The 2% levy itself"))]

    amount = _money_field(_("Amount (yuan)"), max_value=MAX_PAYROLL)
    basis = forms.ChoiceField(label=_("The amount is"), choices=BASIS, initial="payroll")
    retained_percent = forms.DecimalField(
        label=_("Alternative: kept by the union (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("amount"), Column("basis"), Column("retained_percent")),
        )
