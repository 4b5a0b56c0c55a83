"""Innovation studios (创新工作室): list and record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members import access

from .. import services
from ..forms import (
    StudioForm,
)
from ..models import (
    InnovationStudio,
    StudioLevel,
)
from .honours import _record_for_a_member

# --- Innovation studios --------------------------------------------------------------------


@login_required
@require_GET
def studio_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = access.scope(
        request.user,
        InnovationStudio.objects.select_related("organisation", "leader"),
        org_field="organisation",
    )
    level = request.GET.get("level", "")
    if level in StudioLevel.values:
        qs = qs.filter(level=level)
    exemplary = request.GET.get("exemplary") == "1"
    if exemplary:
        qs = qs.filter(exemplary_on__isnull=False)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/studio_list.html",
        {
            "page": page,
            "level": level,
            "levels": StudioLevel.choices,
            "exemplary": exemplary,
            "can_add": access.can(request.user, "honour.manage"),
        },
    )


@login_required
def studio_create(request: HttpRequest) -> HttpResponse:
    return _record_for_a_member(
        request,
        StudioForm,
        services.studio_create,
        _("The studio has been recorded."),
        "competitions:studio_list",
        "competitions/studio_form.html",
    )
