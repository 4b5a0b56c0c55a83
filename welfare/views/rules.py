"""The welfare rule tables (caps, 低保 lines, notice days): list and add."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members import access
from members.views.common import apply_service_errors

from .. import forms as f
from .. import services
from ..models import (
    CondolenceRule,
    NoticeRule,
    PovertyLine,
    ReliefCap,
)

# --- Rule tables ---------------------------------------------------------------------------


@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    context = {
        "poverty": PovertyLine.objects.all(),
        "notice": NoticeRule.objects.all(),
        "caps": ReliefCap.objects.all(),
        "condolence": CondolenceRule.objects.all(),
        "can_edit": access.can(request.user, "rules.edit"),
    }
    return render(request, "welfare/rules.html", context)


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "rules.edit")
    table = request.GET.get("table") or request.POST.get("table")
    form_class = f.RULE_FORMS.get(table)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_add(actor=request.user, model=form_class._meta.model, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rule has been added."))
            return redirect("welfare:rules")
    return render(request, "welfare/rule_form.html", {"form": form, "table": table})
