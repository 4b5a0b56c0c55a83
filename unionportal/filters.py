import django_filters
from auditlog.models import LogEntry
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _


class AuditLogFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor__username", lookup_expr="icontains", label=_("Account")
    )
    action = django_filters.ChoiceFilter(
        choices=[
            (LogEntry.Action.CREATE, _("Create")),
            (LogEntry.Action.UPDATE, _("Update")),
            (LogEntry.Action.DELETE, _("Delete")),
            (LogEntry.Action.ACCESS, _("Access")),
        ],
        label=_("Action"),
    )
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(
            app_label__in=["members", "welfare", "congress", "competitions", "reporting"]
        ),
        label=_("Record type"),
    )
    object_repr = django_filters.CharFilter(lookup_expr="icontains", label=_("Record"))
    remote_addr = django_filters.CharFilter(label=_("IP address"))
    date_from = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = LogEntry
        fields = ["actor", "action", "content_type", "object_repr", "remote_addr"]
