"""The meetings app's records: its meetings (meetings.py), and the practice-policy
communication cycle that runs through them (cycle.py)."""

from .cycle import *  # noqa: F403
from .meetings import *  # noqa: F403
