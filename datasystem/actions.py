"""Action plans: the action items that came from an administration's items.

Action items live in `meetings` with the team's others (and on each owner's list at
/meetings/actions/); an item's score is their origin. Results ask meetings which came from
which score, this time and last time, so each item shows what became of its plan, and a
low item with none is flagged (the "red without a plan" signal).
"""

from __future__ import annotations

from meetings.models import ActionItem

from .models import ItemScore


def attach(item_results, scores: dict, earlier_scores: dict) -> None:
    """Give each item result the action items that came from its score this time
    (`actions`) and last time (`earlier_actions`): one query."""
    ids = [s.pk for s in scores.values()] + [s.pk for s in earlier_scores.values()]
    if not ids:
        return
    found: dict[int, list] = {}
    # What meetings.selectors.action_items_from answers, with the content type joined by
    # its names rather than looked up: the same queries on every request of every worker.
    actions = ActionItem.objects.filter(
        origin_type__app_label=ItemScore._meta.app_label,
        origin_type__model=ItemScore._meta.model_name,
        origin_id__in=ids,
    ).select_related("owner")
    for action in actions.order_by("due_on", "pk"):
        found.setdefault(action.origin_id, []).append(action)
    for result in item_results:
        if result.score is not None:
            result.actions = found.get(result.score.pk, [])
        if result.previous is not None:
            result.earlier_actions = found.get(result.previous.pk, [])
