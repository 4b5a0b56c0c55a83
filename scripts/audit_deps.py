#!/usr/bin/env python3
"""security.md A6: pip-audit over the hash-locked requirement files, installing nothing.

    .venv/bin/python scripts/audit_deps.py            # what `make audit` and CI run

Exit status:
  0  every locked package was audited and none has a known vulnerability off the ignore list;
     or no vulnerability service could be reached (report-only: a loud WARNING, see below)
  1  a known vulnerability that is not on the ignore list
  2  the ignore list is malformed (an entry without its reason and review date)
  3  no service could be reached and --strict was given (or AUDIT_STRICT=1)

pip-audit is run with `--disable-pip --no-deps` on the lock files, so it resolves and installs
nothing. Services are tried in order (default: PyPI's JSON API, then OSV). A service counts
as unreachable when pip-audit cannot connect, times out, or audits none of the packages: PyPI
answers a version it cannot serve with "Dependency not found on PyPI", and pip-audit then says
"No known vulnerabilities found" with exit 0 although it checked nothing.

The ignore list (requirements/audit-ignore.txt) holds one vulnerability ID per line, each with
its reason and review date: `PYSEC-2099-1  # why it does not apply here, reviewed 2026-12-02`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements" / "base.txt", ROOT / "requirements" / "dev.txt"]
IGNORE_FILE = ROOT / "requirements" / "audit-ignore.txt"
SERVICES = ("pypi", "osv")
RUN_TIMEOUT = 300  # seconds for one pip-audit run; each request has its own --timeout

ENTRY = re.compile(r"^(?P<id>[A-Za-z][A-Za-z0-9._:-]+)\s+#\s*(?P<reason>\S.*)$")
REVIEWED = re.compile(r"reviewed \d{4}-\d{2}-\d{2}")


class IgnoreListError(ValueError):
    pass


def read_ignore_list(path: Path) -> dict[str, str]:
    """ID -> reason. Blank and comment-only lines are skipped; every entry needs a reason
    that says when it was reviewed."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = ENTRY.match(line)
        if not match or not REVIEWED.search(match["reason"]):
            raise IgnoreListError(
                f"{path.name}:{number}: {line!r} needs `ID  # reason, reviewed YYYY-MM-DD`"
            )
        entries[match["id"]] = match["reason"]
    return entries


@dataclass
class Finding:
    package: str
    version: str
    ids: list[str]
    fixes: list[str]
    description: str


@dataclass
class Result:
    service: str
    reached: bool
    audited: int = 0
    skipped: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problem: str = ""


def judge(service: str, report: dict) -> Result:
    """Reads pip-audit's JSON report (ignored IDs are already left out by pip-audit)."""
    result = Result(service=service, reached=True)
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            result.skipped.append(f"{dep['name']}: {dep['skip_reason']}")
            continue
        result.audited += 1
        for vuln in dep.get("vulns", []):
            result.findings.append(
                Finding(
                    package=dep["name"],
                    version=dep.get("version", "?"),
                    ids=[vuln["id"], *vuln.get("aliases", [])],
                    fixes=vuln.get("fix_versions", []),
                    description=(vuln.get("description") or "").strip(),
                )
            )
    if result.audited == 0:
        result.reached = False
        first = result.skipped[0] if result.skipped else "no dependency in the report"
        result.problem = f"audited none of the packages ({first})"
    return result


def run_service(
    service: str,
    locks: list[Path],
    ignored: dict[str, str],
    osv_url: str | None,
    binary: str,
) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [binary, "--disable-pip", "--no-deps", "--progress-spinner", "off"]
        for lock in locks:
            cmd += ["-r", str(lock)]
        cmd += ["-s", service, "--timeout", "15", "-f", "json", "-o", str(out)]
        if osv_url and service == "osv":
            cmd += ["--osv-url", osv_url]
        for vuln_id in ignored:
            cmd += ["--ignore-vuln", vuln_id]
        try:
            proc = subprocess.run(  # noqa: S603 - our own argument list, no shell
                cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return Result(service, reached=False, problem=f"no answer within {RUN_TIMEOUT} s")
        if not out.exists() or not out.read_text().strip():
            lines = [line for line in proc.stderr.splitlines() if line.strip()]
            last = lines[-1] if lines else f"pip-audit exited {proc.returncode}"
            return Result(service, reached=False, problem=last[:300])
        return judge(service, json.loads(out.read_text()))


def banner(text: str) -> str:
    bar = "!" * 78
    return f"\n{bar}\n{text}\n{bar}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-r", dest="locks", action="append", type=Path, help="lock file(s)")
    parser.add_argument("--ignore-file", type=Path, default=IGNORE_FILE)
    parser.add_argument(
        "--service", dest="services", action="append", choices=SERVICES, help="in order"
    )
    parser.add_argument("--osv-url", default=os.environ.get("AUDIT_OSV_URL"))
    parser.add_argument(
        "--strict", action="store_true", default=os.environ.get("AUDIT_STRICT") == "1"
    )
    parser.add_argument("--pip-audit", default=str(Path(sys.executable).parent / "pip-audit"))
    args = parser.parse_args(argv)
    locks = args.locks or LOCKS
    services = args.services or list(SERVICES)

    try:
        ignored = read_ignore_list(args.ignore_file)
    except IgnoreListError as error:
        print(f"AUDIT FAILED: the ignore list is malformed: {error}", file=sys.stderr)
        return 2
    print(f"pip-audit over {', '.join(p.name for p in locks)}; {len(ignored)} ignored ID(s)")
    for vuln_id, reason in ignored.items():
        print(f"  ignored {vuln_id}: {reason}")

    best: Result | None = None
    findings: list[Finding] = []
    for service in services:
        result = run_service(service, locks, ignored, args.osv_url, args.pip_audit)
        if result.reached:
            print(f"{service}: audited {result.audited}, skipped {len(result.skipped)}")
        else:
            print(f"{service}: unreachable: {result.problem}")
        findings += result.findings
        if result.reached and (best is None or result.audited > best.audited):
            best = result
        if result.reached and not result.skipped:
            break

    if findings:
        print("\nKnown vulnerabilities (add an ID to the ignore list only with a reason):")
        print(f"{'package':24} {'version':12} {'id':28} fixed in")
        for f in findings:
            print(f"{f.package:24} {f.version:12} {f.ids[0]:28} {', '.join(f.fixes) or '-'}")
            if f.description:
                print(f"    {f.description[:160]}")
        print(f"\nAUDIT FAILED: {len(findings)} known vulnerability(ies) not on the ignore list")
        return 1
    if best is None:
        print(
            banner(
                "WARNING: pip-audit reached no vulnerability service; the dependencies were\n"
                "NOT audited. Report-only here (exit 0); run `make audit` where PyPI's JSON\n"
                "API or OSV answers, or set AUDIT_STRICT=1 to make this an error."
            )
        )
        return 3 if args.strict else 0
    if best.skipped:
        print(banner(f"WARNING: {len(best.skipped)} package(s) could not be audited:"))
        for line in best.skipped:
            print(f"  {line}")
    print(f"OK: {best.audited} package(s) audited against {best.service}: 0 known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
