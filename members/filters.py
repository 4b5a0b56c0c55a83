"""Filters of the member register (django-filter). The queryset handed in is already scoped;
the union choices are scoped too, so a tampered `?union=` of another union is simply invalid
and ignored."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import access
from .forms import DATE
from .models import MemberStatus, Organisation
from .views.common import is_id

ANY_YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]

# Whitelisted sort keys -> ORDER BY. The primary key breaks ties, so pages never overlap.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "joined_on": ("joined_on", "id"),
    "-joined_on": ("-joined_on", "-id"),
    "union": ("organisation__path", "name", "id"),
    "-union": ("-organisation__path", "name", "id"),
}
DEFAULT_SORT = "name"
# The union drop-down lists the top of the user's scope and the level below it; deeper unions
# are reached from the organisation tree (?union=<pk> is accepted for any union in scope).
UNION_CHOICES_DEPTH = 2
UNION_CHOICES_LIMIT = 300


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        label=pgettext_lazy("person", "Name"),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": pgettext_lazy("person", "Name"),
                # Digits never belong in a name: ID numbers and phones go to the exact
                # lookup (a POST), so they never end up in a URL or an access log.
                "pattern": r"[^0-9０-９]*",
                "title": _("Search by name here; use the exact lookup for ID numbers and phones."),
            }
        ),
    )
    union = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(),
        method="filter_union",
        label=_("Union (with its branches)"),
        empty_label=_("All unions in my scope"),
    )
    status = django_filters.ChoiceFilter(
        choices=MemberStatus.choices, label=_("Status"), empty_label=_("Any status")
    )
    is_migrant = django_filters.BooleanFilter(
        label=_("Migrant worker"), widget=forms.Select(choices=ANY_YES_NO)
    )
    is_frontline = django_filters.BooleanFilter(
        label=_("Frontline worker"), widget=forms.Select(choices=ANY_YES_NO)
    )
    joined_from = django_filters.DateFilter(
        field_name="joined_on", lookup_expr="gte", label=_("Joined from"), widget=DATE
    )
    joined_to = django_filters.DateFilter(
        field_name="joined_on", lookup_expr="lte", label=_("Joined until"), widget=DATE
    )
    sort = django_filters.ChoiceFilter(
        choices=[
            ("name", pgettext_lazy("person", "Name")),
            ("-name", pgettext_lazy("person", "Name, descending")),
            ("joined_on", _("Joined on, earliest first")),
            ("-joined_on", _("Joined on, latest first")),
            ("union", _("Union")),
            ("-union", _("Union, descending")),
        ],
        method="sort_by",
        label=_("Sort by"),
        empty_label=None,
    )

    # Filters shown under "More filters".
    MORE = ("is_migrant", "is_frontline", "joined_from", "joined_to", "sort")

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        field = self.form.fields["union"]
        in_scope = access.organisations_in_scope(user)
        field.queryset = in_scope  # validation: any union in scope
        field.widget.choices = self._union_choices(in_scope, field)

    def _union_choices(self, in_scope: QuerySet, field) -> list[tuple]:
        roots = access.scope_paths(self.user)
        if not roots:
            return [("", field.empty_label)]
        top = min(len(p) for p in roots) // Organisation.steplen
        shown = list(
            in_scope.filter(depth__lte=top + UNION_CHOICES_DEPTH - 1).order_by("path")[
                :UNION_CHOICES_LIMIT
            ]
        )
        chosen = self.form.data.get("union") if self.is_bound else None
        if chosen and str(chosen) not in {str(o.pk) for o in shown}:
            # A union picked elsewhere (the organisation tree): list it so it stays selected.
            shown += list(in_scope.filter(pk=chosen)) if is_id(str(chosen)) else []
        indent = "\u3000"  # an ideographic space per level, as in the organisation forms
        return [("", field.empty_label)] + [
            (o.pk, f"{indent * max(o.depth - top, 0)}{o.name}") for o in shown
        ]

    def filter_union(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        return queryset.filter(organisation__path__startswith=value.path)

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT]))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The default order applies when no (valid) sort was asked for.
        return super().filter_queryset(queryset.order_by(*SORTS[DEFAULT_SORT]))

    @property
    def more_open(self) -> bool:
        """Whether "More filters" starts open: when one of them is in use."""
        data = self.form.data if self.is_bound else {}
        return any(data.get(name) for name in self.MORE if name != "sort")

    @property
    def current_sort(self) -> str:
        data = self.form.data if self.is_bound else {}
        value = data.get("sort") or DEFAULT_SORT
        return value if value in SORTS else DEFAULT_SORT
