"""Forms validate and tidy input; congress.services decides."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from members import access
from members.forms import DATE, OrgChoiceField
from members.models import Organisation, OrgKind

from .models import (
    CongressRule,
    CongressSession,
    Delegate,
    ItemKind,
    MotionCategory,
    SessionKind,
    Verdict,
)

CONGRESS_ORG_KINDS = [
    OrgKind.GRASSROOTS,
    OrgKind.JOINT_GRASSROOTS,
    OrgKind.PARK_UNION,
    OrgKind.TOWNSHIP_UNION,
    OrgKind.INDUSTRY_UNION,
]


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*layout, Submit("save", _("Save")))
    return helper


class RuleForm(forms.ModelForm):
    class Meta:
        model = CongressRule
        fields = [
            "effective_from",
            "min_cosigners",
            "reply_days",
            "frontline_min_percent",
            "managers_max_percent",
            "women_tolerance_percent",
            "delegates_min_percent",
            "delegates_min_count",
            "assembly_below_workers",
            "quorum_numerator",
            "quorum_denominator",
            "note",
        ]
        widgets = {"effective_from": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "effective_from",
            Row(Column("min_cosigners"), Column("reply_days")),
            Row(
                Column("frontline_min_percent"),
                Column("managers_max_percent"),
                Column("women_tolerance_percent"),
            ),
            Row(
                Column("delegates_min_percent"),
                Column("delegates_min_count"),
                Column("assembly_below_workers"),
            ),
            Row(Column("quorum_numerator"), Column("quorum_denominator")),
            "note",
        )

    def clean_reply_days(self) -> int:
        days = self.cleaned_data["reply_days"]
        if days < 1:
            raise forms.ValidationError(_("At least one day."))
        return days

    def clean(self):
        data = super().clean()
        n, d = data.get("quorum_numerator"), data.get("quorum_denominator")
        if n is not None and d is not None and (d == 0 or n > d):
            self.add_error("quorum_numerator", _("The quorum is a fraction no larger than 1."))
        return data


class SessionForm(forms.Form):
    organisation = OrgChoiceField(queryset=Organisation.objects.none(), label=_("Union"))
    term = forms.IntegerField(label=_("Term"), min_value=1, max_value=99)
    session_number = forms.IntegerField(label=_("Session"), min_value=1, max_value=99)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    collection_opens = forms.DateField(
        label=_("Motions collected from"),
        widget=DATE,
        required=False,
        help_text=_("Blank: 30 days before the session."),
    )
    collection_closes = forms.DateField(
        label=_("Motions collected until"),
        widget=DATE,
        required=False,
        help_text=_("Blank: the day of the session."),
    )
    delegates_expected = forms.IntegerField(
        label=_("Delegates expected"), min_value=1, max_value=100000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.scope(
            user,
            Organisation.objects.active().filter(kind__in=CONGRESS_ORG_KINDS),
            capability="congress.manage",
        ).order_by("path")
        self.helper = _helper(
            Row(Column("organisation", css_class="col-md-6"), Column("kind")),
            Row(Column("term"), Column("session_number"), Column("held_on")),
            Row(Column("collection_opens"), Column("collection_closes")),
            "delegates_expected",
        )


class SessionUpdateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    collection_opens = forms.DateField(label=_("Motions collected from"), widget=DATE)
    collection_closes = forms.DateField(label=_("Motions collected until"), widget=DATE)
    delegates_expected = forms.IntegerField(
        label=_("Delegates expected"), min_value=1, max_value=100000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("kind"), Column("held_on")),
            Row(Column("collection_opens"), Column("collection_closes")),
            "delegates_expected",
        )


class AttendanceForm(forms.Form):
    delegates_present = forms.IntegerField(label=_("Delegates present"), min_value=0)


class MotionForm(forms.Form):
    proposer = forms.ModelChoiceField(queryset=Delegate.objects.none(), label=_("Proposer"))
    cosigners = forms.ModelMultipleChoiceField(
        queryset=Delegate.objects.none(),
        label=_("Co-signers"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=MotionCategory.choices)
    body = forms.CharField(
        label=_("Motion"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("One topic per motion: the situation, the reason and the proposed measure."),
    )

    def __init__(self, *args, session: CongressSession, **kwargs):
        super().__init__(*args, **kwargs)
        delegates = Delegate.objects.filter(
            organisation=session.organisation, term=session.term
        ).select_related("member")
        self.fields["proposer"].queryset = delegates
        self.fields["cosigners"].queryset = delegates
        self.helper = _helper(
            Row(Column("proposer"), Column("category")),
            "title",
            "body",
            "cosigners",
        )

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class MotionActionForm(forms.Form):
    """The fields any motion action may need; the view picks the service by `action`."""

    ACTIONS = ("review", "file", "reject", "convert", "merge", "assign", "answer", "verdict")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(required=False)
    comment = forms.CharField(required=False, max_length=2000)
    merged_into = forms.IntegerField(required=False)
    handling_unit = forms.CharField(required=False, max_length=100)
    responsible_person = forms.CharField(required=False, max_length=60)
    due_on = forms.DateField(required=False)
    answer = forms.CharField(required=False, max_length=10000)
    verdict = forms.ChoiceField(required=False, choices=[("", "")] + list(Verdict.choices))


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0)
    votes_abstain = forms.IntegerField(label=_("Abstain"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("title", css_class="col-md-8"), Column("kind")),
            Row(Column("votes_for"), Column("votes_against"), Column("votes_abstain")),
        )


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("title", "body", "received_on")


class EvaluateForm(forms.Form):
    adopted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Adopted")), ("0", _("Not adopted"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)
    benefit = forms.DecimalField(
        label=_("Estimated benefit (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
