"""The items a session voted on (plans, reforms, pay, safety): recording one and its vote."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.views.common import apply_service_errors

from .. import services
from ..forms import ItemForm
from .common import MANAGE, _session

# --- Reviewed items -------------------------------------------------------------------------


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, capability=MANAGE)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewed_item_record(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The reviewed item has been recorded."))
            return redirect(session)
    return render(
        request,
        "congress/item_form.html",
        {"form": form, "session": session, "quorum_met": session.quorum_met()},
    )
