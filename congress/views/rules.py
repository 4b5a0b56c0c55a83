"""The congress rule table: the rules in force over time, and a new rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members import access
from members.views.common import apply_service_errors

from .. import services
from ..forms import RuleForm
from ..models import CongressRule

# --- Rule table -----------------------------------------------------------------------------


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    rules = CongressRule.objects.all()
    current = CongressRule.current()
    return render(
        request,
        "congress/rule_list.html",
        {"rules": rules, "current": current, "can_edit": access.can(request.user, "rules.edit")},
    )


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "rules.edit")
    form = RuleForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.congress_rule_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rule has been saved."))
            return redirect("congress:rule_list")
    return render(request, "congress/rule_form.html", {"form": form})
