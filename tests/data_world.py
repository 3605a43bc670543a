"""The data system in the demo-shaped world: an instrument for district and building teams,
a completed and an in-progress assessment of the Cedar Falls district team (facilitated
by the `district` login, with `sts` taking part), and its training and coaching.

Built on first use and found again after, so the access matrix, the bad input and the
browser crawl all see the same records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from datasystem.models import Administration, CoachingSession, Instrument, Item, Status
from teams.models import today

from . import factories
from .world import World

COMPLETED = {"lead-1": 2, "lead-2": 0, "data-1": 1, "data-2": "na"}


@dataclass
class DataWorld:
    instrument: Instrument
    completed: Administration
    in_progress: Administration

    def item(self, key: str, administration: Administration | None = None) -> Item:
        version = (administration or self.in_progress).version
        return version.items.get(key=key)


def data_world(world: World) -> DataWorld:
    found = Instrument.objects.filter(key="test-district-capacity").first()
    if found is not None:
        runs = Administration.objects.filter(team=world.district, instrument=found)
        return DataWorld(
            found,
            runs.get(status=Status.COMPLETED),
            runs.get(status=Status.IN_PROGRESS),
        )
    instrument = factories.instrument()
    factories.instrument(factories.STATE_INSTRUMENT)
    district, sts = world.user("district"), world.user("sts")
    completed = factories.administration(
        team=world.district,
        instrument=instrument,
        facilitator=district,
        participants=[district, sts],
        held_on=today() - timedelta(days=180),
        scores=COMPLETED,
    )
    in_progress = factories.administration(
        team=world.district,
        instrument=instrument,
        facilitator=district,
        participants=[district, sts],
    )
    if not world.district.code:
        world.district.code = "LK-CEDAR"
        world.district.save()
    factories.training(team=world.district, recorded_by=sts, attendees=[district])
    if not CoachingSession.objects.filter(team=world.district).exists():
        factories.coaching(team=world.district, coach=sts, coachee=district)
    return DataWorld(instrument, completed, in_progress)
