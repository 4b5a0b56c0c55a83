import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "unionportal" / "settings.py").read_text()
    read = set(re.findall(r"env(?:\.[a-z]+)?\(\s*\"([A-Z_]+)\"", settings_source))
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no env reads found: the pattern is stale"
    assert read - documented == set()


def test_the_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_commands = re.findall(r"^make [a-z]+$", readme, re.M)[:2]
    assert first_commands == ["make run", "make test"]


def test_a_visibility_timeout_not_above_the_time_limit_is_refused():
    """A visibility timeout at or below the task time limit would hand a task still running
    to a second worker (security.md H6): the settings refuse it at start-up."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "READ_DOT_ENV_FILE": "false",
        "DEBUG": "true",
        "CELERY_TASK_TIME_LIMIT": "600",
        "CELERY_VISIBILITY_TIMEOUT": "600",
    }
    code = "import django; django.setup()"
    refused = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "CELERY_VISIBILITY_TIMEOUT must be longer" in refused.stderr
    env["CELERY_VISIBILITY_TIMEOUT"] = "601"
    accepted = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert accepted.returncode == 0, accepted.stderr
