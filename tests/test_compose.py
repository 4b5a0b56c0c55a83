"""The production shape: docker-compose.yml and the Dockerfile, read as data (no Docker needed)."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def environment_of(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return env


def image_major(image: str) -> int:
    tag = image.rsplit(":", 1)[1]
    return int(re.match(r"\d+", tag).group())


def test_compose_runs_the_five_services(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


def test_postgres_is_version_15_or_later(services):
    image = services["postgres"]["image"]
    assert image.split(":")[0] == "postgres"
    assert image_major(image) >= 15


def test_redis_is_version_7(services):
    image = services["redis"]["image"]
    assert image.split(":")[0] == "redis"
    assert image_major(image) == 7


def test_web_serves_with_gunicorn(services):
    command = command_of(services["web"])
    assert "gunicorn" in command
    assert "unionportal.wsgi" in command


def test_web_migrates_before_gunicorn_starts(services):
    command = command_of(services["web"])
    assert "migrate --noinput" in command
    assert command.index("migrate") < command.index("gunicorn")


def test_web_migrates_as_the_owner_and_grants_the_app_role_before_serving(services):
    command = command_of(services["web"])
    env = environment_of(services["web"])
    owner = env["OWNER_DATABASE_URL"].split("://", 1)[1].split(":", 1)[0]
    app_role = env["DATABASE_URL"].split("://", 1)[1].split(":", 1)[0]
    assert owner != app_role == env["APP_DB_ROLE"]
    migrate, grant = command.index("migrate"), command.index("db_roles")
    assert "DATABASE_URL=$$OWNER_DATABASE_URL python manage.py migrate" in command
    assert migrate < grant < command.index("gunicorn")


def test_worker_runs_celery_worker(services):
    command = command_of(services["worker"])
    assert "celery -A unionportal worker" in command


def test_worker_consumes_every_queue(services):
    queues = shlex.split(command_of(services["worker"]))
    listed = queues[queues.index("-Q") + 1].split(",")
    assert {"default", "rollups", "exports"} <= set(listed)


def test_beat_runs_celery_beat(services):
    command = command_of(services["beat"])
    assert "celery -A unionportal beat" in command


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_every_long_running_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck and healthcheck.get("test")
    assert not healthcheck.get("disable", False)


def test_web_healthcheck_asks_healthz(services):
    check = services["web"]["healthcheck"]["test"]
    check = " ".join(check) if isinstance(check, list) else check
    assert "http://127.0.0.1:8000/healthz" in check


def test_postgres_keeps_its_data_in_a_declared_named_volume(compose, services):
    mounts = [
        mount.split(":")[0] if isinstance(mount, str) else mount["source"]
        for mount in services["postgres"]["volumes"]
        if (mount.split(":")[1] if isinstance(mount, str) else mount["target"])
        == "/var/lib/postgresql/data"
    ]
    assert mounts, "postgres data directory is not mounted"
    assert mounts[0] in (compose.get("volumes") or {})


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_the_postgres_database(services, name):
    url = environment_of(services[name])["DATABASE_URL"]
    assert re.match(r"postgres(ql)?://[^@]+@postgres:5432/", url)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_the_redis_broker(services, name):
    url = environment_of(services[name])["CELERY_BROKER_URL"]
    assert re.match(r"redis://redis:6379/\d+$", url)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_with_debug_off_and_a_required_secret_key(services, name):
    env = environment_of(services[name])
    assert str(env["DEBUG"]).lower() == "false"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")


@pytest.mark.parametrize("dependency", ["postgres", "redis"])
def test_web_waits_for_postgres_and_redis_to_be_healthy(services, dependency):
    depends_on = services["web"]["depends_on"]
    assert depends_on[dependency]["condition"] == "service_healthy"


def test_web_and_worker_share_the_private_media_volume(compose, services):
    for name in ("web", "worker"):
        assert "private:/app/var/private" in services[name]["volumes"]
        assert environment_of(services[name])["PRIVATE_MEDIA_ROOT"] == "/app/var/private"
    assert "private" in compose["volumes"]


def test_the_audit_trail_is_written_to_a_volume_of_its_own(compose, services, dockerfile):
    for name in ("web", "worker"):
        assert "audit-export:/app/var/audit-export" in services[name]["volumes"]
        assert environment_of(services[name])["AUDIT_EXPORT_DIR"] == "/app/var/audit-export"
    assert "audit-export" in compose["volumes"]
    assert any("chown" in line and "/app/var/audit-export" in line for line in dockerfile)


def test_dockerfile_installs_the_hash_locked_requirements(dockerfile):
    installs = [line for line in dockerfile if line.startswith("RUN") and "pip install" in line]
    assert any(
        "--require-hashes" in line and "-r requirements/base.txt" in line for line in installs
    )


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = [line.split(None, 1)[1].strip() for line in dockerfile if line.startswith("USER ")]
    assert users, "no USER instruction"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_keeps_no_secret_key_in_the_image(dockerfile):
    assert not any(line.startswith(("ENV", "ARG")) and "SECRET_KEY" in line for line in dockerfile)
