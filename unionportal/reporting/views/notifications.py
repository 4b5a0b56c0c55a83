"""The reminders a person received (the bell in the top bar) and marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access

from .. import services
from ..models import Notification

# --- Notifications ----------------------------------------------------------------------------


def _notifications(user) -> QuerySet:
    """The user's own notifications about reports still in their scope (a role that ended
    takes its reminders with it)."""
    return access.scope(
        user,
        Notification.objects.filter(recipient=user).select_related(
            "report__period", "report__organisation"
        ),
        org_field="report__organisation",
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = _notifications(request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [{"note": n, "text": services.notification_text(n)} for n in page]
    context = {
        "page": page,
        "rows": rows,
        "unread_only": bool(request.GET.get("unread")),
        "unread": _notifications(request.user).filter(read_at__isnull=True).count(),
    }
    return render(request, "reporting/notification_list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notifications(request.user), pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if request.POST.get("open"):
        return redirect("reporting:report_detail", note.report_id)
    messages.success(request, _("The notification has been marked as read."))
    return redirect("reporting:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": n})
    return redirect("reporting:notification_list")
