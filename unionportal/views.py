"""Portal-wide views: login and password, health, error pages, audit log and job runs."""

from __future__ import annotations

import time
from datetime import timedelta

from auditlog.models import LogEntry
from axes.helpers import get_client_ip_address
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from members import access, services
from members.mfa import devices as mfa_devices
from members.mfa import pending as mfa_pending
from members.mfa import policy as mfa_policy
from members.mfa import remember as mfa_remember
from unionportal.core.audit import audit_event

from .core.middleware import LOGIN_AT
from .core.models import JobRun
from .filters import AuditLogFilter
from .forms import LoginForm, PasswordChangeForm


def ip_locked(request: HttpRequest) -> bool:
    """The IP-wide limit that joins axes' per-username lockout (security.md Decisions)."""
    since = timezone.now() - settings.LOGIN_IP_FAILURE_WINDOW
    ip = get_client_ip_address(request)
    return (
        AccessFailureLog.objects.filter(ip_address=ip, attempt_time__gte=since).count()
        >= settings.LOGIN_IP_FAILURE_LIMIT
    )


def lockout_response(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    return render(request, "registration/lockout.html", status=429)


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if ip_locked(request):
            return lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        device = None
        if mfa_policy.required(user) and mfa_devices.has_device(user):
            # The second step, unless this browser is remembered for the account's device:
            # the password alone does not log in (members.mfa.pending).
            device = mfa_remember.remembered_device(self.request, user)
            if device is None:
                mfa_pending.start(self.request, user, self.get_success_url())
                return redirect("mfa_verify")
        response = super().form_valid(form)
        self.request.session[LOGIN_AT] = time.time()
        if device is not None:
            otp_login(self.request, device)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        services.link_session(self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status, for load balancers and docker compose. No data, no login."""
    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "down"
    if settings.CELERY_BROKER_URL:
        from .celery import app

        try:
            with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception:
            status["broker"] = "down"
    else:
        status["broker"] = "eager"
    healthy = "down" not in status.values()
    return JsonResponse(
        {"status": "ok" if healthy else "down", **status}, status=200 if healthy else 503
    )


# A signed-in user's refused requests (404 for another union's record, 403) are audited
# (security.md G1), at most REFUSALS_AUDITED per user in each REFUSAL_WINDOW seconds, so
# someone walking ids can't flood the trail: past the limit one row says so, the rest only
# count.
REFUSALS_AUDITED = 20
REFUSAL_WINDOW = 600


def audit_refusal(request, status: int) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    key = f"audit-refusal:{user.pk}:{int(time.time() // REFUSAL_WINDOW)}"
    cache.add(key, 0, REFUSAL_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, REFUSAL_WINDOW)
        count = 1
    if count > REFUSALS_AUDITED + 1:
        return
    event = "access.refused" if count <= REFUSALS_AUDITED else "access.refused_limit"
    # The path only: a query string may hold what must not be logged (security.md F5).
    audit_event(
        user, event, actor=user, status=status, method=request.method, path=request.path[:300]
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: answer it, never with a 404.
    The static name is looked up per request (the manifest exists only after collectstatic)."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


def error_404(request, exception=None):
    audit_refusal(request, 404)
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    audit_refusal(request, 403)
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, for the auditor role only (separation of duties, security.md D7)."""
    access.require(request.user, "audit.read")
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    audit_filter = AuditLogFilter(request.GET, queryset=entries)
    page = Paginator(audit_filter.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/audit_log.html",
        {"filter": audit_filter, "page": page, "rows": grouped_views(page)},
    )


def grouped_views(entries) -> list[dict]:
    """The log as people read it: consecutive page views (access rows) of one account, one
    event and one kind of record shown as one row with their count and time span (a judge
    opening 8 entries' sheets reads as one line). The stored rows stay as they are; writes are
    never grouped."""
    rows: list[dict] = []
    for entry in entries:
        event = (entry.additional_data or {}).get("event", "")
        key = (entry.actor_id, event, entry.content_type_id)
        last = rows[-1] if rows else None
        if (
            last is not None
            and entry.action == LogEntry.Action.ACCESS
            and last["entry"].action == LogEntry.Action.ACCESS
            and last["key"] == key
        ):
            last["count"] += 1
            last["earliest"] = entry.timestamp
            continue
        rows.append(
            {"entry": entry, "key": key, "count": 1, "latest": entry.timestamp,
             "earliest": entry.timestamp}
        )  # fmt: skip
    return rows


@login_required
def login_log(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "audit.read")
    since = timezone.now() - timedelta(days=180)
    kind = request.GET.get("kind", "failed")
    if kind == "ok":
        rows = AccessLog.objects.filter(attempt_time__gte=since).order_by("-attempt_time")
    else:
        rows = AccessFailureLog.objects.filter(attempt_time__gte=since).order_by("-attempt_time")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "portal/login_log.html", {"page": page, "kind": kind})


@login_required
def job_runs(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "jobs.view")
    page = Paginator(JobRun.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "portal/jobrun_list.html", {"page": page})
