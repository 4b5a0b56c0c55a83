"""The rights app's rules (domain.md K): the casework register's workflow and its deadlines,
collective contracts and labour-dispute mediation. Views stay thin; every rule lives in these
modules."""

from .cases import *  # noqa: F401,F403
from .contracts import *  # noqa: F401,F403
from .mediation import *  # noqa: F401,F403
