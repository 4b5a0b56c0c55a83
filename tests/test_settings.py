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
