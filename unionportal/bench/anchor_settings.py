"""Settings of the load driver's anchor server: the bench's own settings (BENCH_BASE_SETTINGS)
with the bare views of anchor.py as the URLs."""

import importlib
import os

_base = importlib.import_module(os.environ.get("BENCH_BASE_SETTINGS", "unionportal.settings"))
globals().update({k: v for k, v in vars(_base).items() if k.isupper()})
ROOT_URLCONF = "unionportal.bench.anchor"
LOGIN_URL = "/accounts/login/"  # the anchor has no login page of its own
