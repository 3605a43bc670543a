from dataclasses import dataclass

from django.db.models import BooleanField as Flag
from django.db.models import Case, Count, Q, Value, When

from teams.models import Level, Team, today


@dataclass
class LevelDevelopment:
    level: str
    in_zone: bool
    teams: int = 0
    reviewed: int = 0
    formed: int = 0
    members_trained: int = 0
    meets_on_cadence: int = 0
    linked: int = 0

    def percent(self, count: int) -> int | None:
        return round(100 * count / self.reviewed) if self.reviewed else None

    @property
    def percents(self) -> list[int | None]:
        return [
            self.percent(c)
            for c in (self.formed, self.members_trained, self.meets_on_cadence, self.linked)
        ]


def development_by_level() -> list[LevelDevelopment]:
    """Each level's teams against the four development checks of their latest review,
    counted in the database: one grouped query whatever the number of teams."""
    day = today()
    in_zone = Q(zone_entered_on__lte=day) & (Q(zone_left_on__isnull=True) | Q(zone_left_on__gt=day))
    reviewed = Q(dev_reviewed_on__isnull=False)
    rows = (
        Team.objects.annotate(
            zone=Case(When(in_zone, then=Value(True)), default=Value(False), output_field=Flag())
        )
        .values("level", "zone")
        .annotate(
            teams=Count("pk"),
            reviewed=Count("pk", filter=reviewed),
            formed=Count("pk", filter=reviewed & Q(dev_formed=True)),
            members_trained=Count("pk", filter=reviewed & Q(dev_trained=True)),
            meets_on_cadence=Count("pk", filter=reviewed & Q(dev_meeting=True)),
            linked=Count("pk", filter=reviewed & Q(dev_linked=True)),
        )
        .order_by()
    )
    found = {(row.pop("level"), row.pop("zone")): row for row in rows}
    return [
        LevelDevelopment(Level(level).label, zone, **found[(level, zone)])
        for level in Level.values
        for zone in (True, False)
        if (level, zone) in found
    ]
