"""The data system's pages. Team members (and their STSs) start and take part in their
team's assessments; the facilitator (`district`) records the consensus; teams read their
own data and that of the teams below (`building` sits below Cedar Falls, so its data is
not theirs); the cabinet, sponsors and admins read all; STSs record training and coaching
for the teams they support; admins define instruments and correct completed assessments."""

from ..access_matrix import ACCEPTED, DENIED, MISSING, OK, Row, only, page, post_only, signed_in
from ..data_world import data_world
from ..outcome_world import outcome_world
from ..world import World


def _district(world: World) -> list:
    data_world(world)
    return [world.district.pk]


def _in_progress(world: World) -> list:
    return [data_world(world).in_progress.pk]


def _completed(world: World) -> list:
    return [data_world(world).completed.pk]


def _open_item(world: World) -> list:
    data = data_world(world)
    return [data.in_progress.pk, data.item("lead-1").pk]


def _low_item(world: World) -> list:
    data = data_world(world)
    return [data.completed.pk, data.item("lead-2", data.completed).pk]


def _completed_item(world: World) -> list:
    data = data_world(world)
    return [data.completed.pk, data.item("lead-2", data.completed).pk]


def _instrument(world: World) -> list:
    return [data_world(world).instrument.pk]


def _instrument_item(world: World) -> list:
    data = data_world(world)
    return [data.instrument.pk, data.item("lead-1").pk]


def _district_dashboard(world: World) -> list:
    data_world(world)
    outcome_world(world)
    return [world.district.pk]


def _chart(world: World) -> list:
    outcome_world(world)
    return ["outcome-reading"]


def _district_chart(world: World) -> list:
    return [*_district_dashboard(world), "outcome-units"]


def _measure_page(world: World) -> list:
    outcome_world(world)
    return []


def _measure(world: World) -> list:
    return [outcome_world(world).measure.pk]


def _job(world: World) -> list:
    from ..factories import import_job

    outcome_world(world)
    return [import_job(by=world.user("admin")).pk]


# The district's data: everyone but `building`, whose own team sits below it.
FOLLOWERS = signed_in(building=DENIED)
# Its assessments: for `building` they do not exist.
READERS = signed_in(building=MISSING)
ON_THE_TEAM = only("district", "sts")
RECORDERS = only("admin", "sts")
# The whole state's dashboard: those who read the whole cascade.
WHOLE_STATE = only("csso", "deputy", "smt", "sponsor", "admin")


def _acting(*roles: str) -> dict:
    """A POST only these may send (accepted); `building` is told it does not exist."""
    return only(*roles, answer=ACCEPTED) | {"building": MISSING}


ROWS: dict[str, Row] = {
    # The SMT's dashboard for the cabinet, sponsors and admins; the others' teams for them.
    "datasystem:index": page(signed_in(), args=lambda w: (outcome_world(w), [])[1]),
    "datasystem:detail": page(WHOLE_STATE, args=lambda w: (outcome_world(w), [])[1]),
    "datasystem:chart-csv": page(WHOLE_STATE, args=_chart, crawl=False),
    "datasystem:team-dashboard": page(FOLLOWERS, args=_district_dashboard),
    # The state's detail page is crawled; a team's is the same template with other figures.
    "datasystem:team-detail": page(FOLLOWERS, args=_district_dashboard, crawl=False),
    "datasystem:team-chart-csv": page(FOLLOWERS, args=_district_chart, crawl=False),
    # Measures are for everyone to read; admins define them and import their values.
    "datasystem:measures": page(signed_in(), args=_measure_page),
    "datasystem:measure-new": Row(get=only("admin")),
    "datasystem:measure-edit": Row(get=only("admin"), args=_measure),
    "datasystem:periods": Row(get=only("admin")),
    "datasystem:outcome-import": Row(get=only("admin")),
    "datasystem:import-job": page(only("admin"), args=_job),
    # The fragment the job's page polls, and the rejected rows as CSV: not pages to crawl.
    "datasystem:import-progress": page(only("admin"), args=_job, crawl=False),
    "datasystem:import-rejected": page(only("admin"), args=_job, crawl=False),
    "datasystem:team": page(FOLLOWERS, args=_district),
    "datasystem:start": Row(get=ON_THE_TEAM, args=_district),
    "datasystem:administration": page(READERS, args=_in_progress),
    "datasystem:scores": Row(get=only("district") | {"building": MISSING}, args=_in_progress),
    "datasystem:complete": post_only(_acting("district"), args=_in_progress),
    "datasystem:correct": Row(get=only("admin") | {"building": MISSING}, args=_completed_item),
    # Team members and their STSs turn an item into an action item (in meetings).
    "datasystem:item-action": Row(get=ON_THE_TEAM | {"building": MISSING}, args=_low_item),
    "datasystem:live": page(READERS, args=_in_progress),
    # A fragment the live page polls, not a page of its own: no landmarks or title to crawl.
    "datasystem:live-state": page(READERS, args=_in_progress, crawl=False),
    "datasystem:live-open": post_only(_acting("district"), args=_open_item),
    "datasystem:live-vote": post_only(_acting("district", "sts"), args=_in_progress),
    "datasystem:live-reveal": post_only(_acting("district"), args=_in_progress),
    "datasystem:live-record": post_only(_acting("district"), args=_in_progress),
    "datasystem:instruments": page(signed_in()),
    "datasystem:instrument-import": Row(get=only("admin")),
    "datasystem:instrument": page(signed_in(), args=_instrument),
    "datasystem:item-edit": Row(get=only("admin"), args=_instrument_item),
    "datasystem:implementation": page(signed_in()),
    "datasystem:training": page(signed_in()),
    "datasystem:coaching": page(signed_in()),
    "datasystem:training-import": Row(get=RECORDERS),
    "datasystem:coaching-import": Row(get=RECORDERS),
    "datasystem:team-implementation": page(FOLLOWERS, args=_district),
    "datasystem:training-new": Row(get=RECORDERS, args=_district),
    "datasystem:coaching-new": Row(get=RECORDERS, args=_district),
}

__all__ = ["OK", "ROWS"]
