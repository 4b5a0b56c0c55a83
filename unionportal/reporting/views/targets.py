"""KPI targets: a rule table the federation admin edits (domain.md: targets are data)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from members import access
from members.forms import DATE
from unionportal.core.audit import audit_event

from ..indicators import KPIS
from ..models import KpiTarget


class KpiTargetForm(forms.ModelForm):
    class Meta:
        model = KpiTarget
        fields = ["kpi", "percent", "effective_from"]
        widgets = {"effective_from": DATE}
        help_texts = {
            "percent": gettext_lazy("The dashboard marks a figure below its target."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", gettext_lazy("Save")))


def current_targets(on=None) -> dict:
    """The target of each KPI in effect on a day (the latest effective_from on or before it)."""
    return KpiTarget.in_force(on or timezone.localdate())


@login_required
@require_GET
def target_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    current = current_targets()
    rows = [(k, current.get(k.code)) for k in KPIS]
    return render(
        request,
        "reporting/target_list.html",
        {
            "rows": rows,
            "targets": KpiTarget.objects.all(),
            "can_edit": access.can(request.user, "rules.edit"),
        },
    )


@login_required
def target_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "rules.edit")
    form = KpiTargetForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                target = form.save()
        except IntegrityError:
            form.add_error(
                "effective_from",
                _("This indicator already has a target from that day; pick another day."),
            )
        else:
            audit_event(
                target,
                "rules.kpi_target",
                actor=request.user,
                kpi=target.kpi,
                percent=str(target.percent),
            )
            messages.success(request, _("The target has been saved."))
            return redirect("kpi_targets")
    return render(request, "reporting/target_form.html", {"form": form})
