"""Forms validate and tidy input; services decide. FormHelpers live with their forms."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access, validators
from .models import (
    ALLOWED_PARENTS,
    HOLDS_MEMBERS,
    Member,
    MemberStatus,
    Organisation,
    OrgKind,
    RoleName,
    User,
)
from .services.organisations import ORG_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{'　' * (obj.depth - 1)}{obj.name}"


class OrganisationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = list(ORG_FIELDS)
        widgets = {"founded_on": DATE, "term_start": DATE, "term_end": DATE}

    def __init__(self, *args, parent: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        if self.instance.pk:
            # The kind decides where a node may sit; it is fixed once created.
            self.fields["kind"].disabled = True
            self.fields["version"].initial = self.instance.version
        elif parent is not None:
            allowed = [k for k in OrgKind if parent.kind in ALLOWED_PARENTS[k]]
            self.fields["kind"].choices = [(k.value, k.label) for k in allowed]
        for name in ("employees", "migrant_employees"):
            self.fields[name].help_text = _("Leave blank if not reported.")
        # The number of employers covered means something for a joint union only.
        kind = self.instance.kind if self.instance.pk else None
        joint_possible = kind == OrgKind.JOINT_GRASSROOTS or (
            kind is None
            and any(v == OrgKind.JOINT_GRASSROOTS for v, _label in self.fields["kind"].choices)
        )
        covered = [Column("employers_covered")] if joint_possible else []
        if joint_possible:
            self.fields["employers_covered"].required = False
        else:
            del self.fields["employers_covered"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("The union"),
                Row(Column("kind"), Column("level")),
                Row(Column("name", css_class="col-md-8"), Column("short_name")),
                Row(Column("uscc"), Column("region_code")),
            ),
            Fieldset(
                _("The employer"),
                Row(Column("employer_name", css_class="col-md-8"), Column("employer_category")),
                Row(Column("employer_uscc"), Column("industry_code")),
                Row(Column("employees"), Column("migrant_employees"), *covered),
            ),
            Fieldset(
                _("Term and committees"),
                Row(Column("founded_on"), Column("term_start"), Column("term_end")),
                Row(Column("has_audit_committee"), Column("has_women_committee")),
            ),
            "version",
            Submit("save", _("Save")),
        )

    def clean_uscc(self) -> str:
        value = self.cleaned_data.get("uscc", "")
        return validators.normalise_union_uscc(value) if value else ""

    def clean_employer_uscc(self) -> str:
        value = self.cleaned_data.get("employer_uscc", "")
        return validators.normalise_uscc(value) if value else ""

    def clean_employers_covered(self) -> int:
        # Left blank (or a union that is not joint): it stands for its one employer.
        return self.cleaned_data.get("employers_covered") or 1

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class OrganisationMoveForm(forms.Form):
    parent = OrgChoiceField(queryset=Organisation.objects.none(), label=_("New parent"))

    def __init__(self, *args, user, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = (
            access.scope(user, Organisation.objects.active(), capability="organisation.manage")
            .exclude(path__startswith=organisation.path)
            .filter(kind__in=ALLOWED_PARENTS[organisation.kind])
            .order_by("path")
        )
        self.fields["parent"].queryset = candidates
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("move", _("Move"), css_class="btn-warning"))


class OrganisationDissolveForm(forms.Form):
    on = forms.DateField(label=_("Dissolved on"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason and approval"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the employer closed; name the higher union's approval document."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("dissolve", _("Dissolve"), css_class="btn-danger"))


class AccountForm(forms.ModelForm):
    organisation = OrgChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["organisation"].queryset = access.scope(
            user, Organisation.objects.active(), capability="account.manage"
        ).order_by("path")
        if self.instance.pk:
            self.fields["username"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Save")))


class RoleGrantForm(forms.Form):
    organisation = OrgChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    role = forms.ChoiceField(choices=RoleName.choices, label=_("Role"))
    active_from = forms.DateField(label=_("Active from"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = access.scope(
            user, Organisation.objects.active(), capability="account.manage"
        ).order_by("path")
        if not access.can(user, "rules.edit"):
            self.fields["role"].choices = [
                c for c in RoleName.choices if c[0] not in access.FEDERATION_ROLES
            ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("grant", _("Grant role")))

    def clean(self):
        data = super().clean()
        org, role = data.get("organisation"), data.get("role")
        if org and role and role not in access.grantable_roles(self.user, org):
            self.add_error(
                "role",
                _("%(role)s cannot be granted at %(org)s.")
                % {"role": RoleName(role).label, "org": org.kind_display()},
            )
        return data


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or code")}),
    )


# --- Members --------------------------------------------------------------------------------

_FORBIDDEN_IN_NAMES = set("\x00\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_person_name(value: str) -> str:
    """Names keep what real names hold (阿依古丽·买买提, 𠮷) and refuse control characters."""
    value = " ".join(str(value).split())
    if not value:
        raise forms.ValidationError(_("Enter the member's name."), code="required")
    if any(ch in _FORBIDDEN_IN_NAMES or (ord(ch) < 32) for ch in value):
        raise forms.ValidationError(
            _("The name contains invisible control characters; type it again."), code="name_control"
        )
    if len(value) > 60:
        raise forms.ValidationError(_("A name has at most 60 characters."), code="name_length")
    return value


class BlankTextInput(forms.TextInput):
    """A text input that never writes its value back into the page."""

    def format_value(self, value):
        return None


class MemberForm(forms.ModelForm):
    """The one member form: the register's pages and the Excel import validate through it."""

    organisation = OrgChoiceField(queryset=Organisation.objects.none(), label=_("Union"))
    resident_id = forms.CharField(
        label=_("Resident ID number"),
        max_length=40,
        help_text=_("18 characters; the last may be X. Old 15-digit numbers are converted."),
    )
    # Typed numbers may carry spaces, hyphens or +86; clean_phone stores a mobile as 11 digits
    # and a landline as 0717-1234567.
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("A mobile number, or a landline with its area code such as 0717-1234567."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = [
            "organisation",
            "name",
            "resident_id",
            "phone",
            "education",
            "employment_type",
            "is_migrant",
            "is_frontline",
            "is_manager",
            "applied_on",
            "joined_on",
            "status",
            "wage_base",
        ]
        widgets = {"joined_on": DATE, "applied_on": DATE}
        labels = {"joined_on": _("Joined on (approval date)")}

    def __init__(self, *args, user=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            organisations = access.scope(
                user,
                Organisation.objects.active().filter(HOLDS_MEMBERS),
                capability="member.edit",
            ).order_by("path")
        self.fields["organisation"].queryset = organisations
        self.fields["status"].choices = [
            (s.value, s.label) for s in (MemberStatus.ACTIVE, MemberStatus.APPLIED)
        ]
        self.fields["wage_base"].required = False
        self.fields["applied_on"].help_text = _(
            "Membership runs from the approval date; the application date is kept beside it. "
            "For an applicant, the joining date is the application date."
        )
        if self.instance.pk:
            # The full number never goes into the page: blank keeps the stored one.
            self.fields["resident_id"].required = False
            self.fields["resident_id"].help_text = _(
                "Stored as %(masked)s. Leave blank to keep it; type the full number to correct it."
            ) % {"masked": self.instance.resident_id_masked}
            # Nor the full phone (masked on every screen): blank keeps the stored one too.
            self.fields["phone"].widget = BlankTextInput(attrs={"autocomplete": "off"})
            if self.instance.phone:
                self.fields["phone"].help_text = _(
                    "Stored as %(masked)s. Leave blank to keep it; type a new number to change it."
                ) % {"masked": self.instance.phone_masked}
            self.fields["version"].initial = self.instance.version
            del self.fields["status"]  # status changes go through the lifecycle
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("organisation", css_class="col-md-6"), Column("name")),
            Row(Column("resident_id"), Column("phone")),
            Row(Column("education"), Column("employment_type")),
            Row(Column("is_migrant"), Column("is_frontline"), Column("is_manager")),
            Row(
                Column("applied_on"),
                Column("joined_on"),
                *([Column("status")] if "status" in self.fields else []),
                Column(PrependedText("wage_base", "¥")),
            ),
            "version",
            Submit("save", _("Save")),
        )

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data.get("name", ""))

    def clean_resident_id(self) -> str:
        value = self.cleaned_data.get("resident_id", "")
        if not value:
            return ""
        return validators.normalise_resident_id(value)

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        if not value and self.instance.pk:
            return self.instance.phone
        return validators.normalise_phone(value) if value else ""

    def clean_joined_on(self):
        joined = self.cleaned_data["joined_on"]
        if joined > timezone.localdate():
            raise forms.ValidationError(_("The joining date cannot be in the future."))
        if joined.year < 1950:
            raise forms.ValidationError(_("The joining date is before 1950; check the year."))
        return joined

    def clean_applied_on(self):
        applied = self.cleaned_data.get("applied_on")
        if applied and applied > timezone.localdate():
            raise forms.ValidationError(_("The application date cannot be in the future."))
        return applied

    def clean(self):
        data = super().clean()
        applied, joined = data.get("applied_on"), data.get("joined_on")
        status = data.get("status", getattr(self.instance, "status", MemberStatus.ACTIVE))
        if applied and joined and applied > joined and status != MemberStatus.APPLIED:
            self.add_error(
                "applied_on", _("The application date must not be after the approval date.")
            )
        return data

    def clean_wage_base(self):
        value = self.cleaned_data.get("wage_base")
        if value is None:
            return Decimal("0")
        if value < 0:
            raise forms.ValidationError(_("The wage base cannot be negative."))
        if value > Decimal("1000000"):
            raise forms.ValidationError(
                _("A monthly wage base above ¥1,000,000 is not plausible; check the figure.")
            )
        return value

    def _post_clean(self):
        # The model's own fields are checked by the service (which also sets the ID fields).
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class MemberLookupForm(forms.Form):
    """Exact lookup by full resident ID or phone number: posted, so the number never goes
    into a URL or an access log, and never rendered back into the page."""

    number = forms.CharField(
        label=_("Full resident ID or phone number"),
        max_length=40,
        widget=BlankTextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self) -> tuple[str, str]:
        """("resident_id" | "phone", the normalised number)."""
        value = validators.tidy(self.cleaned_data["number"])
        # A resident ID never starts with 0 (its province code is 11 or more); a landline does,
        # and one with an extension can be as long as an ID.
        if len(value) >= 15 and not value.startswith("0"):
            return "resident_id", validators.normalise_resident_id(value)
        return "phone", validators.normalise_phone(self.cleaned_data["number"])


class MemberStatusForm(forms.Form):
    """A step of the lifecycle; the service decides whether it is allowed."""

    to_status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(label=_("Effective on"), widget=DATE, initial=timezone.localdate)
    category = forms.ChoiceField(label=_("Reason category"), required=False, choices=())
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import REASON_REQUIRED, ExpulsionReason, RetainedReason

        allowed = member.allowed_statuses()
        self.fields["to_status"].choices = [(s, MemberStatus(s).label) for s in allowed]
        groups = [("", "—")]
        if MemberStatus.RETAINED in allowed:
            groups.append((MemberStatus.RETAINED.label, RetainedReason.choices))
        if MemberStatus.EXPELLED in allowed:
            groups.append((MemberStatus.EXPELLED.label, ExpulsionReason.choices))
        self.fields["category"].choices = groups
        self.fields["category"].help_text = _(
            "Required for a retained membership (retired, unemployed, employer closed) and "
            "for an expulsion, which is filed with the higher union."
        )
        self.fields["on"].help_text = _(
            "An approval starts the membership on this date; a date in the past recomputes "
            "the statistics of the months since."
        )
        needs_reason = [MemberStatus(s).label for s in allowed if s in REASON_REQUIRED]
        if needs_reason:
            self.fields["reason"].help_text = _(
                "Required when the member becomes: %(statuses)s. E.g. retirement, the "
                "conversation before a lapse, or the court's decision."
            ) % {"statuses": ", ".join(str(s) for s in needs_reason)}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("change", _("Change status")))


# --- Transfers and service cards ------------------------------------------------------------


class UnionChoiceField(forms.ModelChoiceField):
    """A union named in full with its code, as people search for it."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} · {obj.uscc}" if obj.uscc else obj.name


class TransferRequestForm(forms.Form):
    to_organisation = UnionChoiceField(
        queryset=Organisation.objects.none(), label=_("Receiving union")
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the member changed jobs to the receiving union's employer."),
    )

    def __init__(self, *args, allowed, shown, **kwargs):
        """`allowed`: every union the transfer may go to (what a POST is checked against);
        `shown`: the few of them offered in the select (a search's matches)."""
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        field.queryset = allowed
        field.widget.choices = [("", "---------")] + [
            (org.pk, field.label_from_instance(org)) for org in shown
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("request", _("Request the transfer")))

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


def _card_number_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=60,
        help_text=_("As printed on the card; spaces between groups of digits are ignored."),
    )


class CardIssueForm(forms.Form):
    number = _card_number_field(_("Card number"))
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("issue", _("Issue the card")))

    def clean_number(self) -> str:
        return validators.normalise_card_number(self.cleaned_data["number"])


class CardReplaceForm(forms.Form):
    new_number = _card_number_field(_("Number of the new card"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("replace", _("Replace the card"), css_class="btn-warning"))

    def clean_new_number(self) -> str:
        return validators.normalise_card_number(self.cleaned_data["new_number"])


class CardDateForm(forms.Form):
    """The day of an activation or a loss report; today when left out."""

    on = forms.DateField(label=_("On"), widget=DATE, required=False)

    def clean_on(self):
        return self.cleaned_data.get("on") or timezone.localdate()
