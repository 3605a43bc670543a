"""The base's pages: the portal's own, the cascade, people, sponsors and settings."""

from axes.models import AccessAttempt

from teams.models import Membership, RoleAssignment, SponsorAppointment, SponsorPairing

from ..access_matrix import (
    ANON,
    DENIED,
    LOGIN,
    MISSING,
    NOT_ALLOWED,
    OK,
    REDIRECT,
    ROLES,
    Row,
    everyone,
    only,
    page,
    post_only,
    signed_in,
)
from ..world import World


def _membership(world: World) -> list:
    return [Membership.objects.get(team=world.building, person=world.user("building")).pk]


def _appointment(world: World) -> list:
    return [SponsorAppointment.objects.get(sponsor=world.user("sponsor")).pk]


def _pairing(world: World) -> list:
    return [SponsorPairing.objects.get(sponsor=world.user("sponsor")).pk]


def _smt_role(world: World) -> list:
    return [RoleAssignment.objects.get(person=world.user("smt")).pk]


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
ANONYMOUS_ONLY = {ANON: OK, **dict.fromkeys(ROLES, REDIRECT)}

ROWS: dict[str, Row] = {
    "home": page(signed_in()),
    "login": Row(get=ANONYMOUS_ONLY, post=ANONYMOUS_ONLY),
    "logout": Row(get=everyone(NOT_ALLOWED), post=everyone(LOGIN), crawl=False),
    "password_change": Row(get=signed_in()),
    "password_change_done": Row(get=signed_in(), post=signed_in(NOT_ALLOWED)),
    # Getting back in: for anyone, signed in or not (Django's own views).
    "password_reset": Row(get=everyone(), post=everyone(OK)),
    "password_reset_done": Row(get=everyone(), post=everyone(NOT_ALLOWED)),
    "password_reset_confirm": Row(
        get=everyone(), post=everyone(OK), args=lambda w: ["MQ", "set-password"]
    ),
    "password_reset_complete": Row(get=everyone(), post=everyone(NOT_ALLOWED)),
    "healthz": Row(get=everyone(), post=everyone(), crawl=False),
    "admin:index": Row(
        get={**everyone(REDIRECT), "admin": OK},
        post={**everyone(REDIRECT), "admin": OK},
        crawl=False,
    ),
    # The cascade: everyone signed in reads it; admins shape it; STSs keep their teams.
    "teams:cascade": page(signed_in()),
    "teams:team-create": Row(get=ADMIN_ONLY),
    "teams:team": page(signed_in(), args=lambda w: [w.district.pk]),
    "teams:team-below": page(signed_in(), args=lambda w: [w.region.pk]),
    "teams:team-edit": Row(get=TEAM_EDITORS, args=lambda w: [w.district.pk]),
    "teams:member-add": Row(get=TEAM_EDITORS, args=lambda w: [w.district.pk]),
    "teams:member-end": Row(get=TEAM_EDITORS, args=_membership),
    "teams:development-new": Row(get=TEAM_EDITORS, args=lambda w: [w.district.pk]),
    # Team updates: logged by the team's members and STS, read up the cascade.
    "teams:updates": page(signed_in()),
    "teams:update-new": Row(get=signed_in(admin=DENIED)),
    "teams:team-update-new": Row(get=only("sts", "building"), args=lambda w: [w.building.pk]),
    "teams:update": page(
        signed_in(district=MISSING, building=MISSING), args=lambda w: [w.far_update.pk]
    ),
    "teams:update-edit": Row(get=only("building"), args=lambda w: [w.building_update.pk]),
    # People: everyone signed in reads the directory; roles are granted as the rules say.
    "teams:people": page(signed_in()),
    "teams:person": page(signed_in(), args=lambda w: [w.user("building").pk]),
    # The agency lets admins grant the CSSO and Deputy roles (never to themselves).
    "teams:role-add": Row(get=ADMIN_ONLY, args=lambda w: [w.user("building").pk]),
    "teams:role-correct": Row(get=ADMIN_ONLY, args=_smt_role),
    "teams:role-end": post_only(only("admin", answer=REDIRECT), args=_smt_role),
    "teams:person-leave": Row(get=ADMIN_ONLY, args=lambda w: [w.user("building").pk]),
    # Sponsors: the CSSO and Deputy appoint; pairings also by admins.
    "teams:sponsors": page(signed_in()),
    "teams:sponsor-appoint": Row(get=APPOINTERS),
    "teams:sponsor-end": Row(get=APPOINTERS, args=_appointment),
    "teams:pairing-new": Row(get=only("csso", "deputy", "admin")),
    "teams:pairing-end": Row(get=only("csso", "deputy", "admin"), args=_pairing),
    # The portal's own admin pages.
    "settings:overview": page(ADMIN_ONLY),
    "settings:agency": Row(get=ADMIN_ONLY),
    "settings:divisions": page(ADMIN_ONLY),
    "settings:division-new": Row(get=ADMIN_ONLY),
    "settings:division-edit": Row(get=ADMIN_ONLY, args=lambda w: [w.divisions["finance"].pk]),
    "settings:people": page(ADMIN_ONLY),
    "settings:person-new": Row(get=ADMIN_ONLY),
    "settings:person-edit": Row(get=ADMIN_ONLY, args=lambda w: [w.user("building").pk]),
    "settings:person-password": Row(get=ADMIN_ONLY, args=lambda w: [w.user("building").pk]),
    "settings:history": page(ADMIN_ONLY),
    "settings:lockouts": page(ADMIN_ONLY),
    "settings:lockout-release": post_only(only("admin", answer=REDIRECT), args=_lockout),
}
