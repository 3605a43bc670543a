"""The demo state, Lakeland: its agency, cabinet, sponsors, STSs and cascade of teams.

Everything is fictional and built from fixed lists and one seeded `random.Random`, so two
loads produce the same people, teams and texts; only the dates move, because they are
counted back from today and the demo should always look current.

Each app adds its own part (`teams.registry.DemoPart`, registered in its AppConfig); the
base's part is the cascade. Loading twice adds nothing: divisions, people and teams are
found by the stable keys the first load gave them (`DemoRun`), roles, appointments,
pairings and memberships by who holds what, and a team's development and update history
is written only when the team has none. A second load re-asserts what the eight demo
logins need (their password, roles, sponsor seat, pairing and team seats) so the demo
can always be signed into, whatever was clicked in between.
"""

from .lakeland import DEMO_LOGINS, DEMO_PASSWORD, DEMO_USERNAMES, LOGIN_URL
from .loader import DEMO_PART, DemoSummary, load_demo
from .run import DemoRun

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PART",
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "LOGIN_URL",
    "DemoRun",
    "DemoSummary",
    "load_demo",
]
