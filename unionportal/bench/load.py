"""Many users at once (issue 21 item 2): N concurrent logged-in clients against gunicorn with
2 workers, over a fixed mix (a county's member list, a member page, the dashboard, a form
post), against the same mix served by the bare Django views of anchor.py in the same run.

Bounded in requests and in time, on 127.0.0.1 only. The form posts register members in a
scratch union made for the run; the union, its members, their audit rows and the clients'
sessions are removed afterwards, so the data set is left as found.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction

from members.models import Member, Organisation
from members.validators import resident_id_check_char

from .clients import bench_admin, client_for

HOST = "127.0.0.1"
WORKERS = 2
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    samples: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        if not self.samples:
            return 0.0
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) if self.samples else 0.0

    def kinds(self) -> str:
        """The p50 of each request of the mix, in ms: what the mix's time goes to."""
        return ", ".join(
            f"{kind} {statistics.median(times) * 1000:.0f}" for kind, times in self.by_kind.items()
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on 127.0.0.1, stopped (its process group) on exit."""

    def __init__(self, settings_module: str) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "BENCH_BASE_SETTINGS": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = ROOT / "var" / "bench" / "gunicorn.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [str(gunicorn), "unionportal.wsgi:application", "-b", f"{HOST}:{self.port}"]
            + ["-w", str(WORKERS), "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("a"),
        )
        self.base = f"http://{HOST}:{self.port}"

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + "/", timeout=20, allow_redirects=False)  # any answer
                return self
            except requests.RequestException:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within 90 s (see {self.log})")

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


# --- the scratch union and the logged-in clients ---------------------------------------------


def _scratch_union() -> Organisation:
    city = Organisation.get_root_nodes().get()
    with transaction.atomic():
        return city.add_child(
            name=f"基准临时工会{secrets.token_hex(3)}", kind="grassroots", uscc="", region_code=""
        )


def _remove_scratch(union: Organisation, session_keys: list[str]) -> int:
    """Delete what the run wrote: the members registered in the scratch union (their spells,
    history and audit rows go with them), the union, the clients' sessions."""
    ids = list(Member.objects.filter(organisation=union).values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, a.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
            "WHERE c.contype = 'f' AND c.confrelid = 'members_member'::regclass"
        )
        for table, column in cursor.fetchall():
            cursor.execute(f'DELETE FROM {table} WHERE "{column}" = ANY(%s)', [ids])  # noqa: S608
        cursor.execute(
            "DELETE FROM auditlog_logentry WHERE content_type_id IN (SELECT id FROM "
            "django_content_type WHERE app_label = 'members' AND model IN ('member', "
            "'organisation')) AND object_pk = ANY(%s)",
            [[str(i) for i in ids] + [str(union.pk)]],
        )
        Member.objects.filter(pk__in=ids).delete()
        Organisation.objects.get(pk=union.pk).delete()
        Session.objects.filter(session_key__in=session_keys).delete()
    return len(ids)


def _sessions(n: int) -> list[str]:
    user = bench_admin()
    return [client_for(user).cookies[settings.SESSION_COOKIE_NAME].value for _ in range(n)]


class _Ids:
    """Fresh resident IDs for the form posts (a serial above the data set's)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.n = secrets.randbelow(500)

    def next(self) -> str:
        with self.lock:
            self.n += 1
            n = self.n
        # Region 420503: the data set's IDs are all 420502, so these are fresh.
        body = f"420503{date(1990, 1, 1) + timedelta(days=n // 1000):%Y%m%d}{n % 1000:03d}"
        return body + resident_id_check_char(body)


KINDS = ("list", "member", "dashboard", "post")


def _mix(anchor: bool, county: Organisation, member: Member, union: Organisation, ids: _Ids):
    """The fixed mix: (method, path, form) in order; the form is a function for fresh data."""

    def post_data() -> dict:
        data = {
            "organisation": union.pk,
            "name": "负载测试",
            "phone": "13900000000",
            "joined_on": "2024-05-06",
            "status": "active",
        }
        if anchor:
            return {**data, "gender": "M", "birth_date": "1990-01-01", "resident_id": ids.next()}
        return {
            **data,
            "resident_id": ids.next(),
            "education": "bachelor",
            "employment_type": "permanent",
            "wage_base": "4567.89",
        }

    return [
        ("GET", f"/members/?union={county.pk}", None),
        ("GET", f"/members/{member.pk}/", None),
        ("GET", "/", None),
        ("POST", "/members/new/", post_data),
    ]


def _client(base: str, session_key: str, mix, budget: int, deadline: float, run: Run, lock):
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    http = requests.Session()
    http.cookies.set(settings.SESSION_COOKIE_NAME, session_key)
    http.cookies.set(settings.CSRF_COOKIE_NAME, csrf)
    done = 0
    while done < budget and time.monotonic() < deadline:
        method, path, form = mix[done % len(mix)]
        kind = KINDS[done % len(mix)]
        start = time.perf_counter()
        try:
            if method == "GET":
                response = http.get(base + path, timeout=30, allow_redirects=False)
                ok = response.status_code == 200
            else:
                headers = {"X-CSRFToken": csrf}
                response = http.post(
                    base + path, data=form(), headers=headers, timeout=30, allow_redirects=False
                )
                ok = response.status_code == 302 and "/login" not in response.headers.get(
                    "Location", ""
                )
            note = f"{method} {path}: {response.status_code}"
        except requests.RequestException as exc:
            ok, note = False, f"{method} {path}: {type(exc).__name__}"
        elapsed = time.perf_counter() - start
        done += 1
        with lock:
            run.requests += 1
            run.samples.append(elapsed)
            run.by_kind.setdefault(kind, []).append(elapsed)
            if not ok:
                run.errors += 1
                run.first_error = run.first_error or note


def drive(base: str, sessions: list[str], mix, per_client: int, seconds: float) -> Run:
    """Each client runs the mix in a loop: `per_client` requests or `seconds`, whichever first."""
    for key in sessions[:2]:  # warm both workers' connections and caches
        _client(base, key, mix, len(mix), time.monotonic() + 30, Run(), threading.Lock())
    run, lock = Run(), threading.Lock()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client, args=(base, key, mix, per_client, deadline, run, lock), daemon=True
        )
        for key in sessions
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    run.seconds = time.perf_counter() - start
    return run


def load_vs_anchor(clients: int, per_client: int, seconds: float) -> tuple[Run, Run, dict]:
    """The portal and the bare views, each driven by `clients` clients; the scratch union
    and the sessions are removed whatever happens."""
    county = Organisation.objects.filter(depth=2).order_by("path").first()
    member = (
        Member.objects.filter(organisation__path__startswith=county.path).order_by("pk").first()
    )
    union = _scratch_union()
    sessions = _sessions(clients)
    ids = _Ids()
    info: dict = {"county": county.name}
    try:
        with Server(os.environ.get("DJANGO_SETTINGS_MODULE", "unionportal.settings")) as s:
            mix = _mix(False, county, member, union, ids)
            portal = drive(s.base, sessions, mix, per_client, seconds)
            info["portal_alone"] = drive(s.base, sessions[:1], mix, 5 * len(mix), 60).kinds()
        with Server("unionportal.bench.anchor_settings") as s:
            mix = _mix(True, county, member, union, ids)
            anchor = drive(s.base, sessions, mix, per_client, seconds)
            info["anchor_alone"] = drive(s.base, sessions[:1], mix, 5 * len(mix), 60).kinds()
    finally:
        info["posted"] = _remove_scratch(union, sessions)
    return portal, anchor, info
