"""Expulsions filed with the higher union (开除会籍备案, domain.md C): the list a county or
federation keeps, and its acknowledgement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access, services

PAGE_SIZE = 50


@login_required
@require_GET
def expulsion_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    open_only = request.GET.get("open") == "1"
    filings = services.expulsions_filed_with(request.user, open_only=open_only)
    context = {
        "page": Paginator(filings, PAGE_SIZE).get_page(request.GET.get("page")),
        "open_only": open_only,
        "can_ack": {
            c.pk
            for c in filings[:PAGE_SIZE]
            if access.can(request.user, "member.edit", c.filed_with)
        },
    }
    return render(request, "members/expulsion_list.html", context)


@login_required
@require_POST
def expulsion_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    change = services.expulsions_filed_with(request.user).filter(pk=pk).first()
    if change is None:
        raise Http404
    try:
        services.expulsion_acknowledge(actor=request.user, change=change)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The expulsion of %(name)s has been acknowledged.") % {"name": change.member.name},
        )
    return redirect("members:expulsion_list")


urlpatterns = [
    path("members/expulsions/", expulsion_list, name="expulsion_list"),
    path(
        "members/expulsions/<int:pk>/acknowledge/",
        expulsion_acknowledge,
        name="expulsion_acknowledge",
    ),
]
