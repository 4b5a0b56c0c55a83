"""Start and stop scripts/replica_pair.sh from Python (the replica test and the bench): the pair
is held while our pipe to the script's stdin is open, so it dies with this process."""

from __future__ import annotations

import os
import selectors
import subprocess
import time
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "replica_pair.sh"
START_LIMIT = 60  # seconds for the pair to come up


def start_pair(limit: float = START_LIMIT) -> tuple[subprocess.Popen, str, str]:
    """(the script's process, the primary's URL, the standby's URL)."""
    proc = subprocess.Popen(  # noqa: S603
        ["bash", str(SCRIPT)],  # noqa: S607
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PAIR_TIMEOUT": str(int(limit * 2 / 3))},
    )
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if sel.select(timeout=1):
            line = proc.stdout.readline()
            if line.startswith("READY "):
                _ready, primary, standby = line.split()
                return proc, primary, standby
            if not line:  # the script ended: it says why on stderr
                break
    proc.kill()
    raise RuntimeError(f"the replica pair did not start: {proc.stderr.read()[-2000:]}")


def stop_pair(proc: subprocess.Popen) -> None:
    """Close the script's stdin: its trap stops both servers and removes the directory."""
    proc.stdin.close()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
