"""Portal accounts and the roles they hold per organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class User(AbstractUser):
    """A portal account. Members have no login; union officers and staff do."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        help_text=_("The organisation the account belongs to; it decides who may manage it."),
    )
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    def get_absolute_url(self) -> str:
        return reverse("members:account_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def is_unused(self) -> bool:
        from django.conf import settings

        reference = self.last_login or self.date_joined
        return (timezone.now() - reference).days >= settings.ACCOUNT_UNUSED_DAYS


class RoleName(models.TextChoices):
    FEDERATION_ADMIN = "federation_admin", _("Federation administrator")
    AUDITOR = "auditor", _("Auditor")
    FEDERATION_STAFF = "federation_staff", _("Federation staff")
    UNION_STAFF = "union_staff", _("Union staff")
    BRANCH_CHAIR = "branch_chair", _("Union chair")
    BRANCH_OFFICER = "branch_officer", _("Union officer")


class RoleQuerySet(models.QuerySet):
    def current(self, on=None) -> RoleQuerySet:
        on = on or timezone.localdate()
        # active_to is the day the role ended: from that day on it no longer counts. An
        # auditor role counts only once a second administrator has confirmed it (D7).
        return self.filter(
            Q(active_from__lte=on), Q(active_to__isnull=True) | Q(active_to__gt=on)
        ).exclude(role=RoleName.AUDITOR, confirmed_at__isnull=True)

    def awaiting_confirmation(self) -> RoleQuerySet:
        """Auditor grants and removals a second administrator has still to confirm."""
        return self.filter(active_to__isnull=True, role=RoleName.AUDITOR).filter(
            Q(confirmed_at__isnull=True) | Q(end_requested_by__isnull=False)
        )


class Role(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleName.choices)
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("ended on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Separation of duties (security.md D7): an auditor role is granted by one administrator
    # and confirmed by another, and its removal likewise.
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    end_requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(active_to__isnull=True),
                name="role_one_open_grant",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="role_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.user.get_absolute_url()


class UserSession(models.Model):
    """Which sessions belong to which account, so deactivation and resets can end them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_links")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}"
