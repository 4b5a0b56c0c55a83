"""Settings of the Celery workers that tests/test_worker_crash.py starts and kills.

The production settings (acks late, reject on worker lost, the visibility timeout and time
limit read from the environment), with two test-only broker options:
- every Redis key of the worker (its queues, its unacknowledged messages) under the test's own
  prefix, so a short visibility timeout never hands out anyone else's messages on a shared
  Redis, and the test deletes exactly its own keys afterwards;
- unacknowledged messages looked at every second rather than every 100 seconds, so a message
  of a killed worker comes back as soon as its visibility timeout has passed.
"""

import os

from unionportal.settings import *  # noqa: F403
from unionportal.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": os.environ["UNIONPORTAL_TEST_BROKER_PREFIX"],
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
