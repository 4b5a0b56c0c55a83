"""Placeholder pages of the casework register (the full pages follow)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .services import cases_in_scope


@login_required
def case_list(request):
    return HttpResponse(str(cases_in_scope(request.user).count()))


@login_required
def case_detail(request, pk: int):
    case = get_object_or_404(cases_in_scope(request.user), pk=pk)
    return HttpResponse(case.number)
