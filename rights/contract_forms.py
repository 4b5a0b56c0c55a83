"""Forms of the collective-contract and mediation pages: the fields only; the rules are in
services/contracts.py and services/mediation.py."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from .models import (
    CollectiveContract,
    ContractKind,
    ContractStatus,
    MediationOutcome,
    MediatorRole,
)

DATE = forms.DateInput(attrs={"type": "date"})


class _Helper:
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 3)
            if isinstance(field, forms.DateField):
                field.widget = DATE


class ContractForm(_Helper, forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Union"), queryset=Organisation.objects.none())
    employer_lines = forms.CharField(
        label=_("Employers covered"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "For a regional or industry contract: one employer's union a line, its name or "
            "unified social credit code, a comma and the workers covered there."
        ),
    )

    class Meta:
        model = CollectiveContract
        fields = [
            "organisation",
            "title",
            "kind",
            "coverage",
            "offered_on",
            "rounds",
            "vote_body",
            "voted_on",
            "signed_on",
            "starts_on",
            "ends_on",
            "workers_covered",
            "wage_increase",
            "text",
        ]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            del self.fields["organisation"]
            self.initial["employer_lines"] = "\n".join(
                f"{e.organisation.name},{e.workers}"
                for e in self.instance.employers.select_related("organisation")
            )
        self.fields["workers_covered"].required = False
        self._helper()

    def employers(self, signer: Organisation) -> list[tuple[Organisation, int]]:
        """The employers typed, found among the unions under `signer`; a form error for a
        line not understood or not found."""
        found = []
        under = Organisation.objects.filter(path__startswith=signer.path).exclude(pk=signer.pk)
        for n, line in enumerate(self.cleaned_data.get("employer_lines", "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            m = re.fullmatch(r"(.+?)\s*[,，]\s*(\d{1,7})", line)
            if not m:
                self.add_error(
                    "employer_lines",
                    _("Line %(n)s: write the employer, a comma and the workers.") % {"n": n},
                )
                continue
            key = m.group(1).strip()
            org = under.filter(uscc=key).first() or under.filter(name=key).first()
            if org is None:
                self.add_error(
                    "employer_lines",
                    _("Line %(n)s: no union “%(name)s” under %(signer)s.")
                    % {"n": n, "name": key, "signer": signer.name},
                )
                continue
            found.append((org, int(m.group(2))))
        return found


class SendForm(_Helper, forms.Form):
    on = forms.DateField(label=_("Sent on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


OUTCOME_CHOICES = [
    ("received", _("Received, under review")),
    (ContractStatus.APPROVED, _("Approved")),
    (ContractStatus.NO_OBJECTION, _("No objection within the review")),
    (ContractStatus.OBJECTED, _("Objected")),
]


class OutcomeForm(_Helper, forms.Form):
    received_on = forms.DateField(label=_("Received by the labour bureau on"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES)
    on = forms.DateField(label=_("Outcome on"), required=False)
    note = forms.CharField(label=_("The bureau's comment"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ContractFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ContractKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), ("in_force", _("In force")), *ContractStatus.choices],
    )
    due = forms.ChoiceField(
        label=_("Reminder"),
        required=False,
        choices=[
            ("", _("All")),
            ("renew", _("To renew")),
            ("send", _("Not sent in time")),
            ("outcome", _("No outcome yet")),
        ],
    )
    q = forms.CharField(label=_("Union or title"), required=False, max_length=60)


class CommitteeForm(_Helper, forms.Form):
    set_up_on = forms.DateField(label=_("Set up on"))
    active = forms.BooleanField(label=_("The committee exists"), required=False, initial=True)
    members = forms.CharField(
        label=_("Members"),
        required=False,
        widget=forms.Textarea,
        help_text=_("One a line: the name, a comma and the role (%(roles)s).")
        % {"roles": "、".join(str(label) for _v, label in MediatorRole.choices)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean_members(self) -> list[tuple[str, str]]:
        by_label = {str(label): value for value, label in MediatorRole.choices}
        by_label.update({value: value for value in MediatorRole.values})
        out = []
        for n, line in enumerate(self.cleaned_data["members"].splitlines(), 1):
            if not line.strip():
                continue
            parts = re.split(r"[,，]", line, maxsplit=1)
            name = parts[0]
            role = parts[1].strip() if len(parts) > 1 else str(MediatorRole.MEMBER.label)
            if role not in by_label or not name.strip() or len(name.strip()) > 60:
                raise forms.ValidationError(
                    _("Line %(n)s: write the name, a comma and one of the roles.") % {"n": n}
                )
            out.append((name.strip(), by_label[role]))
        return out


class MediationForm(_Helper, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Union"), queryset=Organisation.objects.none())
    applied_on = forms.DateField(label=_("Applied on"))
    applicant = forms.CharField(label=_("Applicant"), max_length=60)
    respondent = forms.CharField(label=_("Other party"), max_length=120)
    subject = forms.CharField(label=_("Subject"), max_length=200)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self._helper()


class MediationCloseForm(_Helper, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in MediationOutcome.choices if c[0] != MediationOutcome.OPEN],
    )
    on = forms.DateField(label=_("On"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
