"""Writes for the members app. Views, admin, imports, commands and tasks call these.

One module per area; everything is re-exported here, so callers write
`services.member_register(...)`.
"""

from .cards import *  # noqa: F403
from .dues import *  # noqa: F403
from .funds import *  # noqa: F403
from .members import *  # noqa: F403
from .organisations import *  # noqa: F403
from .transfers import *  # noqa: F403
