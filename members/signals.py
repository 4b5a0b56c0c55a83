"""Session bookkeeping on login and logout, and the rule that accounts are never deleted. No
business logic lives here."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from unionportal.core.middleware import LOGIN_AT

from . import services
from .models import User, UserSession


@receiver(user_logged_in, dispatch_uid="members.link_session")
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT] = time.time()
    services.link_session(request, user)


@receiver(user_logged_out, dispatch_uid="members.unlink_session")
def on_logout(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(pre_delete, sender=User, dispatch_uid="members.never_delete_users")
def refuse_user_delete(sender, instance, **kwargs):
    """An account is deactivated, never deleted (security.md G2): the audit trail names its
    actor, and deleting the user would rewrite those rows (auditlog sets the link to NULL),
    which the application's database role may not do."""
    raise ProtectedError("Accounts are never deleted: deactivate the account instead.", {instance})
