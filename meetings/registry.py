"""What the apps above `meetings` put on its agendas and point at from its records.

`meetings` sits below `initiatives` and `datasystem`, so it never imports them. An agenda
item's subject, a decision's evidence and an action item's origin are generic links; an
app says which of its records may be linked (a Linkable) and what it offers for a
meeting's agenda (an AgendaOffer), in its `AppConfig.ready()`:

    from meetings.registry import AgendaOffer, Linkable, agenda_offers, linkables
    linkables.register(Linkable("review", Review, "Initiative review"))
    agenda_offers.register(AgendaOffer("reviews_due", "Initiative reviews due", reviews_due))

A linked record shows by its `__str__` and links to its `get_absolute_url()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from teams.registry import Registry


@dataclass(frozen=True)
class Linkable:
    """A kind of record that agendas, decisions and action items may point at."""

    key: str
    model: type[models.Model]
    label: str
    order: int = 100
    # How a record of this kind reads in a list of offers or evidence (default: str()).
    describe: Callable[[Any], str] = str


@dataclass(frozen=True)
class AgendaOffer:
    """Records offered to those who prepare a meeting, to add to its agenda with a click.

    `offered(meeting)` returns the records (model instances of a registered Linkable) for
    this meeting, or an empty list when the offer is not for its team; keep it to a few
    queries and a short list.
    """

    key: str
    label: str
    offered: Callable[[Any], Iterable[models.Model]]
    order: int = 100


linkables: Registry[Linkable] = Registry("linkable record")
agenda_offers: Registry[AgendaOffer] = Registry("agenda offer")


def linkable_for(record: models.Model) -> Linkable | None:
    for entry in linkables:
        if isinstance(record, entry.model):
            return entry
    return None


def linkable_by_key(key: str) -> Linkable | None:
    return linkables.get(key)
