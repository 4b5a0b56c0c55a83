"""Models of the rights app (维权, domain.md K), one module a subject: casework (cases.py)."""

from .cases import *  # noqa: F401,F403
from .cases import HANDLING, SATISFIED, STEP_LABELS  # noqa: F401
