"""The meetings' pages: who may read a team's meetings, and who prepares and records them."""

from ..access_matrix import (
    ACCEPTED,
    DENIED,
    MISSING,
    NOT_ALLOWED,
    Row,
    everyone,
    page,
    post_only,
    signed_in,
)
from ..meetings_world import meetings_of

# The SMT's meetings: read by the cabinet, sponsors, admins and STSs; not by the teams.
SMT_READERS = signed_in(district=MISSING, building=MISSING)
# Prepared by its chair (the CSSO, facilitating here, and the Deputy).
SMT_CHAIR = signed_in(DENIED, csso=ACCEPTED, deputy=ACCEPTED, district=MISSING, building=MISSING)
SMT_CHAIR_PAGE = signed_in(DENIED, district=MISSING, building=MISSING, csso=200, deputy=200)
# The district's meetings: its lead and its STS run them; the building below cannot read them.
DISTRICT_READERS = signed_in(building=MISSING)
DISTRICT_RUNNERS_PAGE = signed_in(DENIED, district=200, sts=200, building=MISSING)
DISTRICT_TEAM_RUNNERS = signed_in(DENIED, district=200, sts=200)


def _m(attr):
    return lambda w: [getattr(meetings_of(w), attr).pk]


def _smt_item(w):
    m = meetings_of(w)
    return [m.smt_next.pk, m.smt_item.pk]


def _district_team(w):
    meetings_of(w)  # the district's series exists, as in the demo
    return [w.district.pk]


ROWS: dict[str, Row] = {
    "meetings:index": page(signed_in()),
    "meetings:team": page(signed_in(building=DENIED), args=_district_team),
    "meetings:series": Row(get=DISTRICT_TEAM_RUNNERS, args=_district_team),
    "meetings:schedule": Row(get=DISTRICT_TEAM_RUNNERS, args=_district_team),
    "meetings:meeting": page(SMT_READERS, args=_m("smt_next")),
    # What is offered for its agenda: the chair and the cabinet; the STSs read the meeting
    # but not every team's updates.
    "meetings:offers": page(
        signed_in(
            DENIED,
            district=MISSING,
            building=MISSING,
            csso=200,
            deputy=200,
            smt=200,
            sponsor=200,
            admin=200,
        ),
        args=_m("smt_next"),
    ),
    "meetings:meeting-edit": Row(get=SMT_CHAIR_PAGE, args=_m("smt_next")),
    "meetings:meeting-ics": page(SMT_READERS, args=_m("smt_next"), crawl=False),
    "meetings:agenda-add": Row(get=SMT_CHAIR_PAGE, args=_m("smt_next")),
    "meetings:agenda-offer": post_only(SMT_CHAIR, args=_m("smt_next")),
    "meetings:agenda-carry": post_only(SMT_CHAIR, args=_m("smt_next")),
    "meetings:agenda-edit": Row(get=SMT_CHAIR_PAGE, args=_smt_item),
    # The minute taker (the `smt` member here) writes the minutes too.
    "meetings:minutes": Row(
        get=signed_in(DENIED, csso=200, deputy=200, smt=200, district=MISSING, building=MISSING),
        args=_smt_item,
    ),
    "meetings:agenda-move": post_only(SMT_CHAIR, args=_smt_item),
    "meetings:agenda-remove": Row(get=SMT_CHAIR_PAGE, args=_smt_item),
    "meetings:attendance": Row(get=SMT_CHAIR_PAGE, args=_m("smt_next")),
    # ...and records the decisions with them.
    "meetings:decision-add": Row(
        get=signed_in(DENIED, csso=200, deputy=200, smt=200, district=MISSING, building=MISSING),
        args=_m("smt_next"),
    ),
    "meetings:action-add": Row(get=SMT_CHAIR_PAGE, args=_m("smt_next")),
    "meetings:problem-add": Row(get=DISTRICT_RUNNERS_PAGE, args=_m("district_meeting")),
    "meetings:solution-add": Row(get=DISTRICT_RUNNERS_PAGE, args=_m("district_meeting")),
    "meetings:fidelity": Row(
        get=DISTRICT_RUNNERS_PAGE,
        args=lambda w: [meetings_of(w).district_meeting.pk, meetings_of(w).solution.pk],
    ),
    "meetings:effectiveness": Row(
        get=DISTRICT_RUNNERS_PAGE,
        args=lambda w: [meetings_of(w).district_meeting.pk, meetings_of(w).problem.pk],
    ),
    "meetings:self-check": Row(get=DISTRICT_RUNNERS_PAGE, args=_m("district_meeting")),
    "meetings:problem": page(DISTRICT_READERS, args=_m("problem")),
    "meetings:decisions": page(signed_in()),
    "meetings:decision": page(SMT_READERS, args=_m("decision")),
    "meetings:decision-review": Row(get=SMT_CHAIR_PAGE, args=_m("decision")),
    "meetings:actions": page(signed_in()),
    "meetings:action": page(SMT_READERS, args=_m("action")),
    # The owner (the sponsor) or the SMT's chair close it.
    "meetings:action-done": post_only(
        signed_in(
            DENIED,
            sponsor=ACCEPTED,
            csso=ACCEPTED,
            deputy=ACCEPTED,
            district=MISSING,
            building=MISSING,
        ),
        args=_m("action"),
    ),
    "meetings:action-drop": Row(
        get=signed_in(
            DENIED, sponsor=200, csso=200, deputy=200, district=MISSING, building=MISSING
        ),
        args=_m("action"),
    ),
    "meetings:feed-settings": Row(get=signed_in()),
    "meetings:feed-reset": post_only(signed_in(ACCEPTED)),
    "meetings:feed-revoke": post_only(signed_in(ACCEPTED)),
    # The feed answers to its secret: calendar programs cannot sign in.
    "meetings:feed": Row(
        get=everyone(),
        post=everyone(NOT_ALLOWED),
        args=lambda w: [meetings_of(w).feed.token],
        crawl=False,
    ),
}
