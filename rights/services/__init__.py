"""The rights app's rules (domain.md K): the casework register's workflow and its deadlines.
Views stay thin; every rule lives in these modules."""

from .cases import *  # noqa: F401,F403
