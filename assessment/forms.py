"""Forms of the assessment pages. The checklist and the review are built from the round's
frozen standard; the rules are in services.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import access
from members.models import Organisation
from unionportal.core.forms import document_type

from .models import ScoringKind


class RoundForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Opened for"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    self_due_on = forms.DateField(
        label=_("Self-assessment due on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.scope(
            user, Organisation.objects.filter(kind="federation"), capability="assessment.manage"
        )
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["starts_on"].initial = date(today.year, 1, 1)
        self.fields["ends_on"].initial = date(today.year, 12, 31)
        self.fields["self_due_on"].initial = date(today.year, 10, 31)

    def clean(self):
        data = super().clean()
        s, e, due = data.get("starts_on"), data.get("ends_on"), data.get("self_due_on")
        if s and e and e < s:
            self.add_error("ends_on", _("The round ends after it starts."))
        elif s and e and due and not s <= due <= e:
            self.add_error("self_due_on", _("The self-assessment is due within the round's dates."))
        return data


def score_field_name(code: str) -> str:
    return f"score_{code}"


def build_checklist(round_, scores: dict, data=None) -> forms.Form:
    """The union's checklist: one field per hand-scored item (computed items are shown, not
    typed), a note per item."""
    form = forms.Form(data)
    for area in round_.standard["areas"]:
        for item in area["items"]:
            if item["kind"] == ScoringKind.COMPUTED:
                continue
            row = scores[item["code"]]
            name = score_field_name(item["code"])
            if item["kind"] == ScoringKind.YES_NO:
                field = forms.TypedChoiceField(
                    label=item["text"],
                    choices=[("", "—"), (item["points"], _("Yes")), ("0", _("No"))],
                    required=False,
                )
                initial = "" if row.self_score is None else str(row.self_score)
                if initial not in ("", "0"):
                    initial = item["points"]
                elif initial == "0":
                    initial = "0"
            else:
                field = forms.DecimalField(
                    label=item["text"],
                    min_value=0,
                    max_value=Decimal(item["points"]),
                    decimal_places=1,
                    required=False,
                    widget=forms.NumberInput(attrs={"step": "0.5"}),
                )
                initial = row.self_score
            field.initial = initial
            form.fields[name] = field
            form.fields[f"note_{item['code']}"] = forms.CharField(
                label=_("Note"), max_length=300, required=False, initial=row.note
            )
    return form


class ReviewScoreForm(forms.Form):
    item_code = forms.CharField(widget=forms.HiddenInput)
    score = forms.DecimalField(label=_("Reviewer's score"), min_value=0, decimal_places=1)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ConfirmForm(forms.Form):
    exemplary = forms.BooleanField(label=_("Name it an exemplary union (典型)"), required=False)


class EvidenceForm(forms.Form):
    item_code = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=100)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 5 MB)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        self.content_type = document_type(f)
        return f
