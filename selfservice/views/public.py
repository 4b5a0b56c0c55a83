"""The public pages (no account): apply to join, the status check, account activation and
the member login. Rate-limited per IP (and per ID, per reference) on the shared store."""

from __future__ import annotations

import time

from axes.helpers import get_client_ip_address
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from members.models import Organisation
from members.validators import tidy
from members.views.common import apply_service_errors
from unionportal.core.middleware import LOGIN_AT

from .. import captcha, ratelimit
from ..forms import ActivateForm, JoinForm, MemberLoginForm, StatusForm
from ..models import PRIVACY_NOTICE_VERSION
from ..services import applications
from ..services.accounts import account_activate

DONE_KEY = "selfservice_join_reference"


def too_many(request):
    return render(request, "selfservice/too_many.html", status=429)


def _add_errors(form, exc: ValidationError) -> None:
    """A service's error on its field, or at the top of the form when it names none."""
    apply_service_errors(form, exc)


def _chosen_union(form) -> Organisation | None:
    data = form.cleaned_data
    if data.get("no_union"):
        return applications.area_unions().filter(pk=data.get("area_union") or 0).first()
    matches = applications.employer_unions(data.get("employer", ""))
    picked = data.get("union")
    if picked:
        return next((o for o in matches if o.pk == picked), None)
    return matches[0] if len(matches) == 1 else None


def _join_page(request, form, matches=None, status=200):
    return render(
        request,
        "selfservice/join.html",
        {
            "form": form,
            "matches": matches,
            "area_unions": applications.area_unions(),
            "captcha_svg": captcha.new_challenge(request),
            "notice_version": PRIVACY_NOTICE_VERSION,
        },
        status=status,
    )


@never_cache  # the form echoes the typed ID and mobile back: never kept by a cache (F6)
@sensitive_post_parameters("resident_id", "mobile")
def join(request):
    if request.method != "POST":
        return _join_page(request, JoinForm())
    form = JoinForm(request.POST)
    form.is_valid()
    if form.cleaned_data.get("website"):
        # A bot filled the hidden field: answer as if received, write nothing.
        request.session[DONE_KEY] = ""
        messages.success(request, _("Your application is submitted."))
        return redirect("selfservice:join_done")
    if not ratelimit.hit("join.ip", ratelimit.client_ip(request)):
        return too_many(request)
    data = form.cleaned_data
    matches = applications.employer_unions(data.get("employer", ""))
    if "search" in request.POST:
        if not matches and not data.get("no_union"):
            form.add_error("employer", _("No union of that employer was found."))
        return _join_page(request, form, matches)
    if not captcha.check(request, data.get("captcha", "")):
        form.add_error("captcha", _("The answer to the sum is wrong; try the new one."))
        return _join_page(request, form, matches)
    id_key = tidy(data.get("resident_id", "")).upper()
    if id_key and not ratelimit.hit("join.id", id_key):
        return too_many(request)
    organisation = _chosen_union(form)
    if organisation is None and len(matches) > 1 and not data.get("no_union"):
        form.add_error("employer", _("Several unions match: choose yours below."))
        return _join_page(request, form, matches)
    try:
        app = applications.application_submit(
            organisation=organisation,
            name=data.get("name", ""),
            resident_id=data.get("resident_id", ""),
            mobile=data.get("mobile", ""),
            employment_type=data.get("employment_type", ""),
            is_migrant=data.get("is_migrant", False),
            consent=data.get("consent", False),
            employer_text=data.get("employer", ""),
            no_union_at_employer=bool(data.get("no_union")),
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return _join_page(request, form, matches)
    request.session[DONE_KEY] = app.reference
    messages.success(request, _("Your application is submitted."))
    return redirect("selfservice:join_done")


@never_cache
def join_done(request):
    return render(
        request, "selfservice/join_done.html", {"reference": request.session.get(DONE_KEY)}
    )


@never_cache
@sensitive_post_parameters("id_tail")
def join_status(request):
    form = StatusForm(request.POST or None)
    outcome = None
    if request.method == "POST":
        if not ratelimit.hit("status.ip", ratelimit.client_ip(request)):
            return too_many(request)
        if form.is_valid():
            reference = form.cleaned_data["reference"].strip().upper()
            if not ratelimit.hit("status.ref", reference):
                return too_many(request)
            app = applications.public_status(reference, form.cleaned_data["id_tail"])
            if app is None:
                form.add_error(
                    None, _("No application matches that reference number and ID ending.")
                )
            else:
                outcome = applications.public_outcome(app)
    return render(request, "selfservice/join_status.html", {"form": form, "outcome": outcome})


@never_cache
@sensitive_post_parameters("code", "mobile", "password", "password2")
def activate(request):
    form = ActivateForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.hit("activate.ip", ratelimit.client_ip(request)):
            return too_many(request)
        if form.is_valid():
            try:
                account_activate(**form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Your account is ready: log in with your mobile and password.")
                )
                return redirect("selfservice:member_login")
    return render(request, "selfservice/activate.html", {"form": form})


def _ip_locked(request) -> bool:
    """The IP-wide login limit of the staff login (security.md Decisions) holds here too."""
    since = timezone.now() - settings.LOGIN_IP_FAILURE_WINDOW
    return (
        AccessFailureLog.objects.filter(
            ip_address=get_client_ip_address(request), attempt_time__gte=since
        ).count()
        >= settings.LOGIN_IP_FAILURE_LIMIT
    )


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class MemberLoginView(auth_views.LoginView):
    """Mobile and password; axes locks the account after 5 failures (429) as for staff."""

    form_class = MemberLoginForm
    template_name = "selfservice/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if _ip_locked(request):
            return render(request, "registration/lockout.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[LOGIN_AT] = time.time()
        return response

    def get_default_redirect_url(self):
        return reverse("selfservice:me")
