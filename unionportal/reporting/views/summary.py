"""The Excel summary page: choose a period and an organisation, and the workbook is built in
a Celery task (reporting.tasks.export_summary_task); its progress and download are the file
job's own pages (我的导出与导入, members/views/jobs.py).

Who: anyone with the "export" capability, over the subtree they hold it for (architecture.md:
federation admin and staff for the city, union staff for their subtree, chairs and officers
for their own union). An organisation out of the user's scope is a 404, as everywhere.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import access
from members.forms import OrgChoiceField
from members.models import Organisation, OrgKind
from members.views.common import is_id

from .. import summary
from ..models import ReportPeriod
from ..tasks import export_summary_task

# The organisations offered in the select: the federations and the unions above grassroots
# level in the user's scope, plus the top of each subtree they hold (a chair's own union).
# Any other organisation in scope is accepted when posted (the command line names any).
_LOWER_KINDS = (OrgKind.GRASSROOTS, OrgKind.JOINT_GRASSROOTS, OrgKind.BRANCH, OrgKind.GROUP)


def summary_organisations(user):
    paths = access.scope_paths(user, "export")
    in_scope = access.scope(user, Organisation.objects.all(), capability="export")
    return in_scope.filter(~Q(kind__in=_LOWER_KINDS) | Q(path__in=paths)).order_by("path")


class SummaryForm(forms.Form):
    period = forms.ModelChoiceField(
        label=gettext_lazy("Report period"),
        queryset=ReportPeriod.objects.all(),
        empty_label=None,
    )
    organisation = OrgChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("The workbook covers this organisation and everything below it."),
    )

    def __init__(self, *args, user, posted: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = summary_organisations(user)
        if posted is not None:
            choices = choices | Organisation.objects.filter(pk=posted.pk)
        self.fields["organisation"].queryset = choices.order_by("path")
        paths = access.scope_paths(user, "export")
        if paths and not self.is_bound:
            self.initial["organisation"] = choices.filter(path=paths[0]).first()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form tag has it
        self.helper.add_input(Submit("export", _("Export Excel")))


@login_required
def summary_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "export")
    posted = None
    if request.method == "POST":
        org_id = request.POST.get("organisation", "")
        if is_id(org_id):
            # Out of scope: 404; in scope without the capability: 403 (security.md D).
            posted = access.get_object_for_user(
                user, Organisation.objects.all(), capability="export", pk=int(org_id)
            )
        form = SummaryForm(request.POST, user=user, posted=posted)
        if form.is_valid():
            period = form.cleaned_data["period"]
            organisation = form.cleaned_data["organisation"]
            job = summary.summary_job_create(actor=user, period=period, organisation=organisation)
            transaction.on_commit(lambda: export_summary_task.delay(job.pk, user.pk), robust=True)
            messages.info(
                request,
                _(
                    "The summary of %(period)s for %(organisation)s is being prepared. You can "
                    "leave this page and find the file later under My exports and imports."
                )
                % {"period": period, "organisation": organisation.name},
            )
            return redirect("members:job_detail", pk=job.pk)
    else:
        form = SummaryForm(user=user)
    return render(
        request,
        "reporting/summary_form.html",
        {"form": form, "has_periods": ReportPeriod.objects.exists()},
    )
