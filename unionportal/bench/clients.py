"""The users and logged-in test clients the measurements act as, and the union they look at."""

from __future__ import annotations

import time

from django.test import Client

from members.models import Organisation, Role, User


def bench_admin() -> User:
    city = Organisation.get_root_nodes().get()
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"organisation": city, "full_name": "基准"}
    )
    Role.objects.get_or_create(user=user, organisation=city, role="federation_admin")
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["login_at"] = time.time() + 10**6  # no absolute timeout during the run
    session.save()
    return client


def busiest_union() -> Organisation:
    return Organisation.objects.filter(kind="grassroots").order_by("path").first()
