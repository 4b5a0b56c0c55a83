"""A CAPTCHA that works offline: a small sum drawn as an SVG by the portal itself (no
network, no image library). The answer is kept in the session; each challenge is answered
once. SELFSERVICE_CAPTCHA_TEST_MODE (the browser journeys) also accepts "PASSED", like
django-simple-captcha's test mode."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

SESSION_KEY = "selfservice_captcha"
TEST_ANSWER = "PASSED"


def new_challenge(request) -> str:
    """A new sum for this session; returns its SVG drawing."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[SESSION_KEY] = str(a + b)
    return _svg(f"{a} + {b} = ?")


def _svg(text: str) -> str:
    glyphs = []
    x = 10
    for ch in text:
        dy = secrets.randbelow(9) - 4
        rotate = secrets.randbelow(31) - 15
        glyphs.append(
            f'<text x="{x}" y="{30 + dy}" transform="rotate({rotate} {x} {30 + dy})">'
            f"{escape(ch)}</text>"
        )
        x += 16 if ch != " " else 8
    noise = "".join(
        f'<line x1="{secrets.randbelow(x)}" y1="{secrets.randbelow(44)}" '
        f'x2="{secrets.randbelow(x)}" y2="{secrets.randbelow(44)}" />'
        for _ in range(5)
    )
    return mark_safe(  # noqa: S308 - built from digits and fixed characters only
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x + 10}" height="44" role="img" '
        f'aria-label="captcha" class="captcha-image" data-testid="captcha-image">'
        f'<g font-family="monospace" font-size="22" fill="#1a3d6d">{"".join(glyphs)}</g>'
        f'<g stroke="#8aa1c1" stroke-width="1">{noise}</g></svg>'
    )


def check(request, answer: str) -> bool:
    """Whether `answer` solves this session's challenge; the challenge is used up."""
    expected = request.session.pop(SESSION_KEY, None)
    answer = (answer or "").strip()
    if getattr(settings, "SELFSERVICE_CAPTCHA_TEST_MODE", False) and answer == TEST_ANSWER:
        return True
    return expected is not None and secrets.compare_digest(answer, expected)
