"""Reading the step indicator (templates/_steps.html) off a page, for the workflow pages' tests."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Indicator:
    states: list[str]
    labels: list[str]
    current: str | None
    next_actor: str
    deadline: str


def _text(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</p>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def indicator(response) -> Indicator:
    html = response.content.decode()
    found = re.search(r'<section[^>]*data-testid="steps".*?</section>', html, re.S)
    assert found, "the page shows no step indicator"
    section = found.group(0)
    labels = re.findall(r'class="step-label">([^<]*)<', section)
    current = re.findall(
        r'<li[^>]*aria-current="step"[^>]*>.*?class="step-label">([^<]*)<', section, re.S
    )
    assert len(current) <= 1
    return Indicator(
        states=re.findall(r'data-state="(\w+)"', section),
        labels=labels,
        current=current[0] if current else None,
        next_actor=_text(section, "next-actor"),
        deadline=_text(section, "deadline"),
    )
