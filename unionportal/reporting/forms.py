"""Forms of the quarterly report pages: they parse and tidy input; services.py decides
(negative figures, parts and wholes, reasons for overrides, the state machine)."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ReportPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NARRATIVE = ("work_done", "problems", "requests")


def last_quarter(today: date | None = None) -> tuple[int, int]:
    """The quarter that ended most recently: the one reports are usually opened for."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


class _Helper:
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class PeriodOpenForm(_Helper, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, q) for q in range(1, 5)]
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for 15 days after the quarter ends."),
    )

    def __init__(self, *args, **kwargs):
        year, quarter = last_quarter()
        kwargs.setdefault(
            "initial",
            {"year": year, "quarter": quarter, "due_on": ReportPeriod.default_due(year, quarter)},
        )
        super().__init__(*args, **kwargs)
        self._helper()

    def clean(self):
        data = super().clean()
        if data.get("year") and data.get("quarter") and not data.get("due_on"):
            data["due_on"] = ReportPeriod.default_due(data["year"], data["quarter"])
        return data


class PeriodDueForm(_Helper, forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


def reason_name(code: str) -> str:
    return f"reason_{code}"


class ReportForm(forms.Form):
    """One field per indicator, named by its code (service errors come back keyed by code),
    a reason field per computed indicator, the narrative and the version the page was read at.
    Rendered by hand in report_detail.html: the figures sit in a table by section."""

    work_done = forms.CharField(
        label=_("Work done this quarter"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requests = forms.CharField(
        label=_("Requests to the federation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = tuple(indicators)
        for ind in self.indicators:
            attrs = {"class": "form-control text-end", "inputmode": "numeric"}
            if ind.money:
                attrs.update(step="0.01", inputmode="decimal")
                field = forms.DecimalField(
                    label=ind.label,
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs=attrs),
                )
            else:
                attrs.update(step="1")
                field = forms.IntegerField(
                    label=ind.label,
                    required=False,
                    max_value=10**9,
                    widget=forms.NumberInput(attrs=attrs),
                )
            self.fields[ind.code] = field
            if ind.computed:
                self.fields[reason_name(ind.code)] = forms.CharField(
                    label=_("Reason for the change"),
                    required=False,
                    max_length=500,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm",
                            "placeholder": _("Reason, if you change the portal's figure"),
                        }
                    ),
                )
        for name in NARRATIVE:
            self.fields[name].widget.attrs["class"] = "form-control"

    def values(self) -> dict:
        return {ind.code: self.cleaned_data.get(ind.code) for ind in self.indicators}

    def reasons(self) -> dict:
        return {
            ind.code: self.cleaned_data.get(reason_name(ind.code)) or ""
            for ind in self.indicators
            if ind.computed
        }

    def narrative(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in NARRATIVE}


class ReviewForm(_Helper, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the report: say what needs fixing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
