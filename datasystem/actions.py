"""Action plans: the action items that came from an administration's items.

Action items live in `meetings` with the team's others; this module asks meetings which
came from which item score, so results show what became of each, and flag a low item
with none (the "red without a plan" signal).
"""

from __future__ import annotations


def attach(item_results, scores: dict, earlier_scores: dict) -> None:
    """Give each item result the action items that came from its score this time
    (`actions`) and last time (`earlier_actions`)."""
    return None
