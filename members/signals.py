"""Session bookkeeping on login and logout. No business logic lives here."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from unionportal.core.middleware import LOGIN_AT

from . import services
from .models import UserSession


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
