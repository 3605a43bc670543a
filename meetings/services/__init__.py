"""Writes: meetings and their records (meetings.py), and the practice-policy cycle
(cycle.py). Each service keeps its invariant, asks the rules, and runs in one transaction."""

from .cycle import *  # noqa: F403
from .meetings import *  # noqa: F403
from .meetings import Attended, Carried  # noqa: F401
