"""The demo state, Lakeland: its agency, cabinet, sponsors, STSs and cascade of teams.

Everything is fictional and built from fixed lists and one seeded `random.Random`, so two
loads produce the same people, teams and texts; only the dates move, because they are
counted back from today and the demo should always look current.

Loading twice adds nothing: people are found by username, divisions and teams by name,
roles, appointments, pairings and memberships by who holds what, and a team's
development and update history is written only when the team has none. A second load
re-asserts what the eight demo logins need (their password, roles, sponsor seat, pairing
and team seats) so the demo can always be signed into, whatever was clicked in between.
"""

from .lakeland import DEMO_LOGINS, DEMO_PASSWORD, DEMO_USERNAMES, LOGIN_URL
from .loader import DemoSummary, load_demo

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "LOGIN_URL",
    "DemoSummary",
    "load_demo",
]
