from dataclasses import dataclass

from teams.models import Level, Team


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
    """Each level's teams against the four development checks of their latest review."""
    rows = {
        (level, zone): LevelDevelopment(Level(level).label, zone)
        for level in Level.values
        for zone in (True, False)
    }
    zone_ids = set(Team.objects.in_zone().values_list("pk", flat=True))
    for team in Team.objects.with_glance().values(
        "pk", "level", "dev_reviewed_on", "dev_formed", "dev_trained", "dev_meeting", "dev_linked"
    ):
        row = rows[(team["level"], team["pk"] in zone_ids)]
        row.teams += 1
        if team["dev_reviewed_on"] is not None:
            row.reviewed += 1
            row.formed += bool(team["dev_formed"])
            row.members_trained += bool(team["dev_trained"])
            row.meets_on_cadence += bool(team["dev_meeting"])
            row.linked += bool(team["dev_linked"])
    return [row for row in rows.values() if row.teams]
