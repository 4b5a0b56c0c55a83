"""The Chinese catalogue is complete (style.md rule 16): makemessages into a temporary folder,
compare with the committed catalogue, and allow no fuzzy or empty entry."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def committed():
    return polib.pofile(str(PO))


def test_every_committed_entry_is_translated_and_not_fuzzy():
    catalogue = committed()
    untranslated = [e.msgid for e in catalogue if e.msgid and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_the_compiled_catalogue_matches_the_source():
    # Keyed by context and id: one English word can have several Chinese ones ("Name" of a
    # person is 姓名, of an organisation 名称).
    def key(e):
        return (e.msgctxt or "", e.msgid)

    compiled = {key(e): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(MO))}
    source = {key(e): e.msgstr or e.msgstr_plural.get(0) for e in committed() if e.msgid}
    assert {k: v for k, v in compiled.items() if k[1]} == source, "run `make messages`"


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\([a-z_]+\)[sd]|\{\{ ?[a-z_.]+ ?\}\}")
    for e in committed():
        if e.msgid:
            translated = e.msgstr or e.msgstr_plural.get(0, "")
            assert sorted(pattern.findall(e.msgid)) == sorted(pattern.findall(translated)), e.msgid


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (CI installs it)")
    # makemessages writes into <project>/locale; run it on a copy of the source tree.
    work = tmp_path / "src"
    work.mkdir()
    for name in (
        "manage.py",
        "unionportal",
        "members",
        "welfare",
        "rights",
        "congress",
        "competitions",
        "assessment",
        "selfservice",
        "templates",
    ):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, work / name)
    (work / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env={
            "DEBUG": "true",
            "READ_DOT_ENV_FILE": "false",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(work),
            "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        },
    )
    assert result.returncode == 0, result.stderr
    fresh = {e.msgid for e in polib.pofile(str(work / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in committed()}
    missing = sorted(fresh - known)
    assert not missing, f"strings without a Chinese translation (run `make messages`): {missing}"
