"""Who may reach which page: one row per URL of the portal, one answer per role.

The matrix test walks every row for every demo role and an anonymous visitor, with GET
and POST; the accessibility crawl checks every page a role can open. A URL pattern with
no row here fails the matrix test, so every new page must say who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from axes.models import AccessAttempt

from teams.models import Membership, SponsorAppointment, SponsorPairing

from .world import ROLES, World

ANON = "anonymous"
VISITORS = (ANON, *ROLES)

OK = 200
REDIRECT = 302  # somewhere other than the sign-in page
LOGIN = "login"  # 302 to the sign-in page
DENIED = 403
MISSING = 404
NOT_ALLOWED = 405
# A POST that a permitted person sends: a form re-shown with errors, or done and redirected.
ACCEPTED = "accepted"


def signed_in(answer=OK, **by_role) -> dict[str, object]:
    """Everyone signed in gets `answer` unless named; anonymous visitors go to sign in."""
    return {ANON: LOGIN, **{role: by_role.get(role, answer) for role in ROLES}}


def only(*roles: str, otherwise=DENIED, answer=OK) -> dict[str, object]:
    return signed_in(otherwise, **dict.fromkeys(roles, answer))


def everyone(answer=OK) -> dict[str, object]:
    return dict.fromkeys(VISITORS, answer)


@dataclass
class Row:
    get: dict[str, object]
    post: dict[str, object] | None = None
    args: Callable[[World], list] = field(default=lambda world: [])
    # Pages the accessibility crawl skips: Django's own admin is not the portal's look.
    crawl: bool = True

    def post_expectation(self, visitor: str) -> object:
        if self.post is not None:
            return self.post[visitor]
        expected = self.get[visitor]
        return ACCEPTED if expected == OK else expected


def post_only(allowed: dict[str, object]) -> Row:
    """Actions that change something: GET is refused, POST is for the permitted."""
    return Row(get=signed_in(NOT_ALLOWED), post=allowed)


def _membership(world: World) -> list:
    return [Membership.objects.get(team=world.building, person=world.user("building")).pk]


def _appointment(world: World) -> list:
    return [SponsorAppointment.objects.get(sponsor=world.user("sponsor")).pk]


def _pairing(world: World) -> list:
    return [SponsorPairing.objects.get(sponsor=world.user("sponsor")).pk]


def _role(world: World) -> list:
    return [world.user("smt").role_assignments.get().pk]


def _lockout(world: World) -> list:
    attempt = AccessAttempt.objects.create(
        username="someone",
        ip_address="10.0.0.1",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=10,
    )
    return [attempt.pk]


ADMIN_ONLY = only("admin")
APPOINTERS = only("csso", "deputy")
TEAM_EDITORS = only("admin", "sts")

MATRIX: dict[str, Row] = {
    "home": Row(get=signed_in()),
    "login": Row(
        get={ANON: OK, **dict.fromkeys(ROLES, REDIRECT)},
        post={ANON: OK, **dict.fromkeys(ROLES, REDIRECT)},
    ),
    "logout": Row(get=everyone(NOT_ALLOWED), post=everyone(LOGIN), crawl=False),
    "password_change": Row(get=signed_in()),
    "password_change_done": Row(get=signed_in(), post=signed_in(NOT_ALLOWED)),
    "healthz": Row(get=everyone(), post=everyone(), crawl=False),
    "admin:index": Row(
        get={**everyone(REDIRECT), "admin": OK},
        post={**everyone(REDIRECT), "admin": OK},
        crawl=False,
    ),
    # The cascade: everyone signed in reads it; admins shape it; STSs keep their teams.
    "teams:cascade": Row(get=signed_in()),
    "teams:team-create": Row(get=ADMIN_ONLY),
    "teams:team": Row(get=signed_in(), args=lambda w: [w.district.pk]),
    "teams:team-edit": Row(get=TEAM_EDITORS, args=lambda w: [w.district.pk]),
    "teams:member-add": Row(get=TEAM_EDITORS, args=lambda w: [w.district.pk]),
    "teams:member-end": post_only(only("admin", "sts", answer=REDIRECT)),
    "teams:development-new": Row(get=TEAM_EDITORS, args=lambda w: [w.district.pk]),
    # Team updates: logged by the team's members and STS, read up the cascade.
    "teams:updates": Row(get=signed_in()),
    "teams:update-new": Row(get=signed_in(admin=DENIED)),
    "teams:team-update-new": Row(get=only("sts", "building"), args=lambda w: [w.building.pk]),
    "teams:update": Row(
        get=signed_in(district=MISSING, building=MISSING), args=lambda w: [w.far_update.pk]
    ),
    "teams:update-edit": Row(get=only("building"), args=lambda w: [w.building_update.pk]),
    # People and sponsors.
    "teams:people": Row(get=signed_in()),
    "teams:person": Row(get=signed_in(), args=lambda w: [w.user("building").pk]),
    "teams:sponsors": Row(get=signed_in()),
    "teams:sponsor-appoint": Row(get=APPOINTERS),
    "teams:sponsor-end": Row(get=APPOINTERS, args=_appointment),
    "teams:pairing-new": Row(get=only("csso", "deputy", "admin")),
    "teams:pairing-end": post_only(only("csso", "deputy", "admin", answer=REDIRECT)),
    # The modules' pages.
    "meetings:index": Row(get=signed_in()),
    "initiatives:index": Row(get=signed_in()),
    "datasystem:index": Row(get=signed_in()),
    # The portal's own admin pages.
    "settings:overview": Row(get=ADMIN_ONLY),
    "settings:agency": Row(get=ADMIN_ONLY),
    "settings:divisions": Row(get=ADMIN_ONLY),
    "settings:division-new": Row(get=ADMIN_ONLY),
    "settings:division-edit": Row(get=ADMIN_ONLY, args=lambda w: [w.divisions["finance"].pk]),
    "settings:people": Row(get=ADMIN_ONLY),
    "settings:person-new": Row(get=ADMIN_ONLY),
    "settings:person-edit": Row(get=ADMIN_ONLY, args=lambda w: [w.user("building").pk]),
    "settings:person-password": Row(get=ADMIN_ONLY, args=lambda w: [w.user("building").pk]),
    "settings:role-add": Row(get=ADMIN_ONLY, args=lambda w: [w.user("building").pk]),
    "settings:role-end": post_only(only("admin", answer=REDIRECT)),
    "settings:history": Row(get=ADMIN_ONLY),
    "settings:lockouts": Row(get=ADMIN_ONLY),
    "settings:lockout-release": post_only(only("admin", answer=REDIRECT)),
}

# Arguments for the POST-only rows, kept apart so the table above reads as a table.
MATRIX["teams:member-end"].args = _membership
MATRIX["teams:pairing-end"].args = _pairing
MATRIX["settings:role-end"].args = _role
MATRIX["settings:lockout-release"].args = _lockout
