"""Reads: meetings (meetings.py) and the practice-policy cycle (cycle.py); each selector
decides its own query shape, so list pages stay flat."""

from .cycle import *  # noqa: F403
from .meetings import *  # noqa: F403
