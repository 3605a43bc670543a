"""The pages to measure and the size of a state, read from one database.

Runs inside `python -m bench inspect` with DATABASE_URL pointed at the state, once for the
demo and once for the benchmark state: a page's path may hold ids (the SMT's team page, the
`district` login's district), and each state has its own, so each part's `pages(state)` is
asked in each state and its callables answered there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import Count

from .portal import BASE_DIR
from .state import BenchState, Scale


def inspect_state(*, scale: Scale) -> dict[str, Any]:
    from teams.models import Team, today
    from teams.registry import portal

    state = BenchState(scale=scale, day=today())
    pages = []
    for part in portal.bench_parts:
        for label, role, path in part.pages(state):
            page = {"part": part.key, "label": label, "role": role, "path": None, "error": ""}
            try:
                page["path"] = path(state) if callable(path) else path
            except Exception as error:  # a page this state cannot name is reported, not fatal
                page["error"] = f"{type(error).__name__}: {error}"
            pages.append(page)
    # The project's own records (not Django's permissions or the scheduler's tables), and
    # not the audit history, which the benchmark state does not fill.
    rows = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if BASE_DIR in Path(model._meta.app_config.path).resolve().parents
        and not model.__name__.startswith("Historical")
    }
    return {
        "pages": pages,
        "sizes": {
            "rows": {label: count for label, count in sorted(rows.items()) if count},
            "teams_by_level": dict(
                Team.objects.values_list("level").annotate(n=Count("pk")).order_by("level")
            ),
        },
    }
