"""security.md A6: scripts/audit_deps.py fails on a known vulnerability off the reviewed ignore
list, and is report-only when no vulnerability service answers.

The vulnerability service here is a small OSV stand-in on localhost (pip-audit's --osv-url),
so the real pip-audit runs end to end without the internet.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "audit_deps.py"
VULN_ID = "PYSEC-2099-7"


def load_script():
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class FakeOsv(BaseHTTPRequestHandler):
    """Answers like api.osv.dev/v1/query: one vulnerability for Django, none for the rest."""

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        body = {}
        if query["package"]["name"] == "django":
            body = {
                "vulns": [
                    {
                        "id": VULN_ID,
                        "aliases": ["CVE-2099-0007"],
                        "summary": "A made-up hole for the test",
                        "affected": [
                            {
                                "package": {"name": "django", "ecosystem": "PyPI"},
                                "ranges": [
                                    {
                                        "type": "ECOSYSTEM",
                                        "events": [{"introduced": "0"}, {"fixed": "99.0"}],
                                    }
                                ],
                            }
                        ],
                    }
                ]
            }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def osv_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsv)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1/query"
    server.shutdown()


@pytest.fixture
def lock(tmp_path) -> Path:
    path = tmp_path / "lock.txt"
    path.write_text("django==5.2.8\namqp==5.4.2\n")
    return path


def audit(lock: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "-r", str(lock), "--service", "osv", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(lock.parent)},
    )


def test_a_known_vulnerability_fails_the_audit(lock, osv_url, tmp_path):
    done = audit(lock, "--osv-url", osv_url, "--ignore-file", str(tmp_path / "none.txt"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert VULN_ID in done.stdout and "django" in done.stdout
    assert "AUDIT FAILED" in done.stdout


def test_a_reviewed_ignore_entry_lets_it_pass(lock, osv_url, tmp_path):
    ignore = tmp_path / "ignore.txt"
    ignore.write_text(f"# comment\n\n{VULN_ID}  # only the test's fake, reviewed 2026-12-02\n")
    done = audit(lock, "--osv-url", osv_url, "--ignore-file", str(ignore))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 2 package(s) audited against osv: 0 known vulnerabilities" in done.stdout


def test_an_ignore_entry_without_reason_and_review_date_is_refused(lock, osv_url, tmp_path):
    ignore = tmp_path / "ignore.txt"
    ignore.write_text(f"{VULN_ID}  # fine\n")
    done = audit(lock, "--osv-url", osv_url, "--ignore-file", str(ignore))
    assert done.returncode == 2
    assert "malformed" in done.stderr


def test_an_unreachable_service_is_report_only_but_loud(lock, tmp_path):
    closed = "http://127.0.0.1:9/v1/query"  # the discard port: nothing listens there
    done = audit(lock, "--osv-url", closed, "--ignore-file", str(tmp_path / "none.txt"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING: pip-audit reached no vulnerability service" in done.stdout
    strict = audit(
        lock, "--osv-url", closed, "--ignore-file", str(tmp_path / "none.txt"), "--strict"
    )
    assert strict.returncode == 3


def test_a_service_that_audited_nothing_counts_as_unreachable():
    """PyPI's answer when it cannot serve a version: pip-audit says "No known vulnerabilities
    found" and exits 0, yet skipped every package."""
    script = load_script()
    report = {
        "dependencies": [
            {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be ..."},
            {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be ..."},
        ]
    }
    result = script.judge("pypi", report)
    assert not result.reached and result.audited == 0
    partly = script.judge(
        "pypi",
        {"dependencies": [report["dependencies"][0], {"name": "x", "version": "1", "vulns": []}]},
    )
    assert partly.reached and partly.audited == 1 and len(partly.skipped) == 1


def test_the_repository_ignore_list_is_well_formed():
    script = load_script()
    script.read_ignore_list(ROOT / "requirements" / "audit-ignore.txt")
