"""Models of the rights app (维权, domain.md K), one module a subject: casework (cases.py),
collective contracts (contracts.py) and labour-dispute mediation (mediation.py)."""

from .cases import *  # noqa: F401,F403
from .cases import HANDLING, SATISFIED, STEP_LABELS  # noqa: F401
from .contracts import *  # noqa: F401,F403
from .contracts import CONTRACT_STEP_LABELS, DECIDED  # noqa: F401
from .mediation import *  # noqa: F401,F403
