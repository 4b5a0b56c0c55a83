"""Organisation tree pages: the tree, detail, create, edit, move and dissolve."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import access, services
from ..forms import (
    OrganisationDissolveForm,
    OrganisationForm,
    OrganisationMoveForm,
    OrganisationSearchForm,
)
from ..models import Organisation, Role
from .common import apply_service_errors


def _org(request: HttpRequest, pk: int, capability: str | None = None) -> Organisation:
    return access.get_object_for_user(
        request.user, Organisation.objects.all(), capability=capability, pk=pk
    )


@login_required
@require_GET
def organisation_tree(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "view")
    in_scope = access.organisations_in_scope(user)
    form = OrganisationSearchForm(request.GET)
    query = form.data.get("q", "").strip()
    if query:
        results = in_scope.filter(
            Q(name__icontains=query) | Q(uscc__iexact=query) | Q(employer_name__icontains=query)
        ).order_by("path")[:200]
        return render(
            request,
            "members/organisation_search.html",
            {"form": form, "results": results, "query": query},
        )
    # The tree opens at the top of the user's scope with one level below it; deeper levels
    # load on demand, so the page costs the same for a chair and for the city.
    paths = access.scope_paths(user)
    roots = list(in_scope.filter(path__in=paths).order_by("path"))
    children = _children_of(roots, request)
    for root in roots:
        root.kids = children[root.pk]
    return render(request, "members/organisation_tree.html", {"form": form, "roots": roots})


def _children_of(nodes: list[Organisation], request) -> dict[int, list[Organisation]]:
    show_dissolved = request.GET.get("dissolved") == "1"
    children: dict[int, list[Organisation]] = {n.pk: [] for n in nodes}
    if not nodes:
        return children
    q = Q()
    for n in nodes:
        q |= Q(path__startswith=n.path, depth=n.depth + 1)
    qs = Organisation.objects.filter(q).order_by("path")
    if not show_dissolved:
        qs = qs.filter(active=True)
    by_path = {n.path: n.pk for n in nodes}
    for child in qs:
        children[by_path[child.path[: -Organisation.steplen]]].append(child)
    return children


@login_required
@require_GET
def organisation_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of one node, for the tree's expand button (htmx partial)."""
    org = _org(request, pk)
    kids = _children_of([org], request)[org.pk]
    return render(request, "members/_organisation_nodes.html", {"nodes": kids})


@login_required
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    user = request.user
    ancestors = [a for a in org.get_ancestors() if access.can(user, "view", a)]
    context = {
        "org": org,
        "ancestors": ancestors,
        "children": org.get_children().order_by("-active", "name"),
        "officers": Role.objects.current().filter(organisation=org).select_related("user"),
        "current_members": services.current_member_count(org),
        "can_manage": access.can(user, "organisation.manage", org),
        "can_move": access.can(user, "organisation.manage", org)
        and not org.is_root()
        and access.can(user, "organisation.manage", org.get_parent()),
    }
    return render(request, "members/organisation_detail.html", context)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    parent_pk = request.GET.get("parent") or request.POST.get("parent")
    try:
        parent = _org(request, int(parent_pk), capability="organisation.manage")
    except (TypeError, ValueError):
        return redirect("members:organisation_tree")
    form = OrganisationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            org = services.organisation_create(actor=request.user, parent=parent, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": org.name})
            return redirect(org)
    return render(
        request, "members/organisation_form.html", {"form": form, "parent": parent, "org": None}
    )


@login_required
def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, capability="organisation.manage")
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.organisation_update(
                actor=request.user, organisation=org, version=version, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(org)
    return render(
        request,
        "members/organisation_form.html",
        {"form": form, "org": org, "parent": org.get_parent()},
    )


@login_required
def organisation_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, capability="organisation.manage")
    form = OrganisationMoveForm(request.POST or None, user=request.user, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_move(
                actor=request.user, organisation=org, new_parent=form.cleaned_data["parent"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now sits under %(parent)s, with its branches and members.")
                % {"name": org.name, "parent": form.cleaned_data["parent"].name},
            )
            return redirect(org)
    return render(request, "members/organisation_move.html", {"form": form, "org": org})


@login_required
def organisation_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, capability="organisation.manage")
    form = OrganisationDissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_dissolve(
                actor=request.user,
                organisation=org,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been dissolved; its history is kept.") % {"name": org.name}
            )
            return redirect(org)
    return render(
        request,
        "members/organisation_dissolve.html",
        {"form": form, "org": org, "current_members": services.current_member_count(org)},
    )
