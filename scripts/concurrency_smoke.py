#!/usr/bin/env python3
"""Several people at once on one portal server: the embedded default's concurrency smoke test.

    .venv/bin/python scripts/concurrency_smoke.py [--base http://127.0.0.1:8000]
        [--users admin,staff,county,chair,officer] [--rounds 3]

Every user works in a thread of their own, all started together. Each round a user logs in
through the login form (CSRF token, django-axes' guarded view), browses the pages of every
area, opens a member of their scope and saves its edit form unchanged (a write in the request's
transaction: the member's version and the audit log), and browses on. The rounds start
together, so one user's login falls on the others' browsing and saving.

Prints a line per user and the totals, then exits 1 on any server error (5xx), a failed login,
an edit that did not save, or a request that got no answer; 0 otherwise. Uses the standard
library only. .ci/run runs it against `manage.py runserver` on a SQLite file (README "make
run"); the password is DEMO_PASSWORD's, by default the demo's.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

USERS = "admin,staff,county,chair,officer"
# Pages of every area; a role that may not see one gets 403 (counted, not an error).
PAGES = [
    "/",
    "/todo/",
    "/organisations/",
    "/members/",
    "/cards/",
    "/dues/",
    "/welfare/relief/",
    "/competitions/",
    "/reports/",
    "/reports/notifications/",
    "/statistics/",
]
TIMEOUT = 120  # seconds per request: a slow answer is fine, no answer is a failure


class Forms(HTMLParser):
    """The forms of a page: their action and the values a browser would submit unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self._form["fields"] = []
            self.forms.append(self._form)
        elif self._form is None or "name" not in a and tag != "option":
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind == "checkbox" else ""
            self._form["fields"].append((a["name"], a.get("value", default)))
        elif tag == "select":
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._form["fields"].append((self._select, value))
                self._select = None  # one value: a multiple select is not used here
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form["fields"].append((a["name"], ""))

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            if self._first_option is not None:  # nothing selected: the browser sends the first
                self._form["fields"].append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_with(page: str, field_name: str) -> dict:
    parser = Forms()
    parser.feed(page)
    for form in parser.forms:
        if any(name == field_name for name, _ in form["fields"]):
            return form
    raise LookupError(f"no form with a field {field_name!r} on the page")


@dataclass
class Outcome:
    user: str
    codes: Counter = field(default_factory=Counter)
    logins: int = 0
    saves: int = 0
    problems: list[str] = field(default_factory=list)
    slowest: float = 0.0


class Session:
    """One browser: its own cookies, every answer counted."""

    def __init__(self, base: str, outcome: Outcome) -> None:
        self.base, self.outcome = base, outcome
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        url = urllib.parse.urljoin(self.base, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # main() refuses a --base that is not http(s)
        req = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        started = time.monotonic()
        try:
            with self.opener.open(req, timeout=TIMEOUT) as response:
                code, final, text = response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as exc:
            code, final, text = exc.code, exc.url, exc.read().decode(errors="replace")
        except OSError as exc:  # no answer at all: refused, reset, timed out
            self.outcome.codes["no answer"] += 1
            self.outcome.problems.append(f"{'POST' if data else 'GET'} {path}: {exc!r}")
            return 0, url, ""
        finally:
            self.outcome.slowest = max(self.outcome.slowest, time.monotonic() - started)
        self.outcome.codes[code] += 1
        if code >= 500:
            title = re.search(r"<title>(.*?)</title>", text, re.S)
            locked = " (database is locked)" if "database is locked" in text else ""
            what = " ".join((title.group(1) if title else text[:200]).split())
            self.outcome.problems.append(
                f"{'POST' if data else 'GET'} {path}: {code} {what}{locked}"
            )
        return code, urllib.parse.urlsplit(final).path, text

    def log_in(self, username: str, password: str) -> bool:
        code, _, page = self.request("/accounts/login/")
        if code != 200:
            return False
        fields = [
            (k, v)
            for k, v in form_with(page, "username")["fields"]
            if k not in ("username", "password")
        ]
        code, where, _ = self.request(
            "/accounts/login/", fields + [("username", username), ("password", password)]
        )
        if code == 200 and where != "/accounts/login/":
            self.outcome.logins += 1
            return True
        self.outcome.problems.append(f"login as {username} failed: {code} at {where}")
        return False

    def save_a_member(self, index: int) -> None:
        code, _, page = self.request("/members/")
        pks = list(dict.fromkeys(re.findall(r'href="/members/(\d+)/"', page)))
        if code != 200 or not pks:
            self.outcome.problems.append(f"no member to edit on the register ({code})")
            return
        pk = pks[index % len(pks)]
        code, _, page = self.request(f"/members/{pk}/edit/")
        if code != 200:
            self.outcome.problems.append(f"the edit form of member {pk} answered {code}")
            return
        form = form_with(page, "version")
        code, where, _ = self.request(f"/members/{pk}/edit/", form["fields"])
        if code == 200 and where == f"/members/{pk}/":
            self.outcome.saves += 1
        elif code < 500:
            self.outcome.problems.append(f"member {pk} was not saved: {code} at {where}")


def work(base, username, password, index, rounds, start: threading.Barrier, outcome: Outcome):
    try:
        for round_ in range(rounds):
            start.wait(timeout=600)
            session = Session(base, outcome)  # a fresh browser: every round logs in again
            if not session.log_in(username, password):
                continue
            for path in PAGES[: len(PAGES) // 2]:
                session.request(path)
            session.save_a_member(index * rounds + round_)
            for path in PAGES[len(PAGES) // 2 :]:
                session.request(path)
    except Exception as exc:  # shown in the report, and fails the run
        outcome.problems.append(f"{type(exc).__name__}: {exc}")
        start.abort()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", default=USERS, help=f"demo logins (default {USERS})")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.base).scheme not in ("http", "https"):
        parser.error("--base must be an http:// or https:// address")
    password = os.environ.get("DEMO_PASSWORD", "Demo-Portal-2026!")
    users = [u for u in args.users.split(",") if u]
    start = threading.Barrier(len(users))
    outcomes = [Outcome(u) for u in users]
    threads = [
        threading.Thread(target=work, args=(args.base, u, password, i, args.rounds, start, o))
        for i, (u, o) in enumerate(zip(users, outcomes, strict=True))
    ]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = Counter()
    for o in outcomes:
        total.update(o.codes)
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(o.codes.items(), key=str))
        print(
            f"{o.user:>8}: {o.logins}/{args.rounds} logins, {o.saves}/{args.rounds} saves, "
            f"slowest {o.slowest:.1f}s; answers {codes}"
        )
        for problem in o.problems[:10]:
            print(f"{'':>10}{problem}")
    requests = sum(total.values())
    errors = sum(v for k, v in total.items() if k == "no answer" or k >= 500)
    print(
        f"{len(users)} users, {args.rounds} rounds, {requests} requests in "
        f"{time.monotonic() - began:.1f}s: {errors} server errors or no answers"
    )
    failed = (
        errors
        or any(o.problems for o in outcomes)
        or any(o.logins < args.rounds or o.saves < args.rounds for o in outcomes)
    )
    if failed:
        print("CONCURRENCY SMOKE FAILED", file=sys.stderr)
        return 1
    print("OK: every login, page and save answered without a server error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
