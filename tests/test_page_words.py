"""The guard of issue 20 items 4-6: no page under templates/ shows an English honour kind name,
a raw action code ("report.summary_export", "relief.approve"), a raw status value ("submitted")
or money without thousands separators ("¥1000.00").

The demo city is seeded and its pages walked through the client as the federation admin and as
a branch chair: from the dashboard every link of the portal is followed (one URL per path
pattern with numbers, so a list of 500 members costs one detail page), and the text a person
reads (not the markup's attributes, scripts or styles) is checked."""

from __future__ import annotations

import importlib
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from members.models import User
from unionportal.core.labels import EVENT_LABELS

pytestmark = pytest.mark.django_db

MAX_PAGES = 260  # per account; the demo has about 110 distinct pages
SKIP = re.compile(
    r"^/(static|media|admin|i18n|accounts/logout|logout|healthz|favicon)"
    r"|/(export|download|reveal|print|template|xlsx)\b|\.(xlsx|csv|pdf|svg|png|ico)$"
)

ENGLISH_KINDS = [
    english
    for english, _chinese, _level in importlib.import_module(
        "competitions.migrations.0007_honour_kinds_in_chinese"
    ).KINDS.values()
]
EVENT_PREFIXES = sorted({code.split(".")[0] for code in EVENT_LABELS})
ACTION_CODE = re.compile(rf"\b(?:{'|'.join(EVENT_PREFIXES)})\.[a-z_]+\b")
RAW_MONEY = re.compile(r"¥\s?-?\d{4,}")


def status_values() -> set[str]:
    """Every stored status value of every model ("submitted", "on_notice", ...)."""
    values = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.name == "status" and getattr(field, "choices", None):
                values |= {str(value) for value, _label in field.flatchoices}
    return values


class VisibleText(HTMLParser):
    """The text a reader sees, and the page's links."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.links.append(href.split("#")[0])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def pattern_of(url: str) -> str:
    path = urlsplit(url).path
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def walk(client: Client) -> dict[str, str]:
    """url -> visible text of every HTML page reachable from the dashboard."""
    seen_patterns: set[str] = set()
    queue, pages = ["/"], {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        pattern = pattern_of(url)
        if pattern in seen_patterns or SKIP.search(urlsplit(url).path):
            continue
        seen_patterns.add(pattern)
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404}, (url, response.status_code)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        pages[url] = " ¶ ".join(parser.text)
        queue.extend(link for link in parser.links if pattern_of(link) not in seen_patterns)
    return pages


def offences(text: str, statuses: set[str]) -> list[str]:
    found = [kind for kind in ENGLISH_KINDS if kind.lower() in text.lower()]
    found += ACTION_CODE.findall(text)
    found += RAW_MONEY.findall(text)
    words = set(re.findall(r"(?<![\w./-])[a-z]+(?:_[a-z]+)*(?![\w./-])", text))
    found += sorted(words & statuses)
    return found


def login(username: str) -> Client:
    user = User.objects.get(username=username)
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    session = client.session
    session["login_at"] = time.time()
    session.save()
    return client


def test_no_page_shows_english_kinds_raw_codes_or_money_without_separators():
    call_command("seed_demo", "--allow-demo-passwords", stdout=open("/dev/null", "w"))
    statuses = status_values()
    assert {"submitted", "approved", "draft"} <= statuses
    problems = {}
    walked = {}
    for username in ("admin", "chair"):
        pages = walk(login(username))
        walked[username] = len(pages)
        for url, text in pages.items():
            if found := offences(text, statuses):
                problems[f"{username} {url}"] = found
    # The walk reached the portal's pages, not just the dashboard.
    assert walked["admin"] >= 60 and walked["chair"] >= 30, walked
    assert not problems, problems


def test_the_guard_catches_what_it_is_for():
    statuses = {"submitted", "on_notice"}
    assert offences("荣誉 May-Day labour medal 2027", statuses)
    assert offences("操作 report.summary_export", statuses)
    assert offences("操作 relief.approve", statuses)
    assert offences("状态 ¶ submitted", statuses)
    assert offences("金额 ¥1000.00", statuses)
    assert offences("金额 ¥-3050.00", statuses)
    assert not offences("金额 ¥1,000.00 · 已提交 · admin@example.com · 19,972", statuses)
