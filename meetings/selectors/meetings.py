"""Reads: each selector decides its own query shape, so list pages stay flat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from teams.models import (
    CABINET_ROLES,
    RoleAssignment,
    Team,
    TeamUpdate,
    User,
    today,
)
from teams.paging import paginate_newest_of
from teams.standing import standing

from ..models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    EffectivenessCheck,
    Meeting,
    MeetingStatus,
    Problem,
    Solution,
)
from ..registry import agenda_offers, linkable_for, linkables
from ..rules import readable_meeting_parts

# --- Who sits at the table -------------------------------------------------------------------


def members_of(team: Team, day: date | None = None) -> list[User]:
    """The team's current members; the SMT's are the cabinet and anyone seated on it.
    Their ids first, from the seats' and roles' indexes, then the people by id: a filter
    with EXISTS on the people table would read every person in a large state."""
    day = day or today()
    # No ordering inside the union: SQLite refuses it there.
    seated = team.memberships.current(day).order_by().values_list("person_id", flat=True)
    if team.is_management_team:
        cabinet = (
            RoleAssignment.objects.filter(role__in=CABINET_ROLES)
            .current(day)
            .order_by()
            .values_list("person_id", flat=True)
        )
        seated = seated.union(cabinet)
    ids = set(seated)
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .select_related("division")
        .order_by("last_name", "first_name")
    )


# --- Meetings --------------------------------------------------------------------------------


def my_upcoming_meetings(user) -> QuerySet[Meeting]:
    """The scheduled meetings of the person's own teams (those they sit on or support),
    soonest first."""
    own = standing(user).own_team_ids
    return Meeting.objects.for_lists().filter(team__in=own).upcoming().order_by("starts_at", "pk")


def my_past_meetings(user) -> tuple[QuerySet[Meeting], list[Q]]:
    """The meetings of the person's own teams that are not coming up, as the base and the
    parts `paginate_newest_of` reads each on its own index: those already begun, and the
    later ones no longer scheduled (cancelled ahead). Their OR sent PostgreSQL past every
    team's upcoming meetings of the state first."""
    now = _now()
    base = Meeting.objects.for_lists().filter(team__in=standing(user).own_team_ids)
    return base, [
        Q(starts_at__lt=now),
        Q(starts_at__gte=now) & ~Q(status=MeetingStatus.SCHEDULED),
    ]


def _now() -> datetime:
    return timezone.now()


def team_meetings(team: Team) -> QuerySet[Meeting]:
    return Meeting.objects.for_lists().filter(team=team).order_by("-starts_at", "-pk")


def next_meeting(team: Team) -> Meeting | None:
    return Meeting.objects.filter(team=team).upcoming().order_by("starts_at", "pk").first()


def held_before(meeting: Meeting) -> Meeting | None:
    """The team's last meeting held before this one, asked once per page."""
    if not hasattr(meeting, "_held_before"):
        meeting._held_before = last_held(meeting.team, before=meeting.starts_at)
    return meeting._held_before


def last_held(team: Team, before: datetime | None = None) -> Meeting | None:
    held = Meeting.objects.filter(team=team).held()
    if before is not None:
        held = held.filter(starts_at__lt=before)
    return held.order_by("-starts_at").first()


@dataclass
class Linked:
    """A generic link resolved for a page: what it is, what it says, where it goes."""

    kind: str
    text: str
    url: str = ""


def linkable_types() -> dict:
    """The content types of every linkable kind, in one query (then from Django's cache)."""
    return ContentType.objects.get_for_models(*(entry.model for entry in linkables))


def resolve_links(pairs: list[tuple[int | None, int | None]]) -> dict[tuple[int, int], Linked]:
    """Resolve (content type id, object id) pairs with one query per kind of record."""
    by_id = {ct.pk: model for model, ct in linkable_types().items()}
    wanted: dict[int, set[int]] = {}
    for type_id, object_id in pairs:
        if type_id and object_id:
            wanted.setdefault(type_id, set()).add(object_id)
    found: dict[tuple[int, int], Linked] = {}
    for type_id, ids in wanted.items():
        model = by_id.get(type_id)
        entry = next((e for e in linkables if e.model is model), None)
        if model is None or entry is None:
            continue
        for record in model._default_manager.filter(pk__in=ids):
            url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
            found[(type_id, record.pk)] = Linked(entry.label, str(record), url)
    return found


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    running: list[tuple[AgendaItem, int]]
    total_minutes: int
    attendance: list[Attendance]
    members: list[User]
    decisions: list[Decision]
    actions: list[ActionItem]
    offers: list[tuple[str, list]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reviewing: list[Problem] = field(default_factory=list)

    @property
    def quorum_needed(self) -> int:
        return self.meeting.series.quorum_needed(len(self.members))

    @property
    def present(self) -> int:
        return sum(1 for a in self.attendance if a.presence != "absent")


def meeting_page(meeting: Meeting, *, with_offers: bool) -> MeetingPage:
    agenda = list(
        meeting.agenda.select_related("presenter", "minutes_by").order_by("position", "pk")
    )
    links = resolve_links([(i.subject_type_id, i.subject_id) for i in agenda])
    running, clock = [], 0
    for item in agenda:
        item.linked = links.get((item.subject_type_id, item.subject_id))
        # The running time: when the item starts if the meeting keeps to the agenda.
        running.append((item, meeting.starts_at + timedelta(minutes=clock)))
        clock += item.allotted
    actions = list(meeting.action_items.select_related("owner").order_by("due_on", "pk"))
    problems, reviewing = [], []
    if meeting.series.is_problem_solving:
        problems, reviewing = _problems_at(meeting)
    return MeetingPage(
        meeting=meeting,
        agenda=agenda,
        running=running,
        total_minutes=clock,
        attendance=list(
            meeting.attendance.select_related("person", "represented_by").order_by(
                "person__last_name", "person__first_name"
            )
        ),
        members=members_of(meeting.team),
        decisions=list(meeting.decisions.order_by("pk")),
        actions=actions,
        offers=offers_for(meeting, agenda) if with_offers else [],
        problems=problems,
        reviewing=reviewing,
    )


def shortened(text: str, most: int) -> str:
    """At most `most` characters, an ellipsis last where it was cut: truncatechars' answer
    for the offers' plain texts, at a fraction of its cost on a long list."""
    return text if len(text) <= most else text[: most - 1] + "…"


def offers_for(meeting: Meeting, agenda=None) -> list[tuple[str, list]]:
    """What the registered apps offer for this agenda, less what is already on it."""
    if agenda is None:
        on_agenda = set(meeting.agenda.values_list("subject_type_id", "subject_id"))
    else:
        on_agenda = {(i.subject_type_id, i.subject_id) for i in agenda}
    types = linkable_types()
    offers = []
    for offer in agenda_offers:
        records = []
        for record in offer.offered(meeting):
            entry = linkable_for(record)
            if entry is None:
                continue
            type_id = types[entry.model].pk
            if (type_id, record.pk) not in on_agenda:
                record.offered_as = entry.describe(record)
                record.offered_short = shortened(record.offered_as, 110)
                record.offered_label = shortened(record.offered_as, 60)
                records.append((entry.key, record))
        if records:
            offers.append((offer.label, records))
    return offers


def flagged_updates_for(meeting: Meeting, limit: int = 15) -> list[TeamUpdate]:
    """The SMT's offer: updates flagged for its attention since its last meeting held."""
    if not meeting.team.is_management_team:
        return []
    since = held_before(meeting)
    updates = TeamUpdate.objects.for_smt_attention().for_cards()
    if since is not None:
        updates = updates.filter(occurred_on__gte=since.held_on)
    return list(updates.order_by("-occurred_on", "-id")[:limit])


def _problems_at(meeting: Meeting) -> tuple[list[Problem], list[Problem]]:
    """The problems defined at this meeting, and the team's earlier open problems, which
    this meeting reviews (their solutions' fidelity and their effectiveness)."""
    problems = (
        Problem.objects.filter(team=meeting.team)
        .select_related("meeting")
        .prefetch_related(
            _solutions(),
        )
        .order_by("meeting__starts_at", "pk")
    )
    here = [p for p in problems if p.meeting_id == meeting.pk]
    earlier = [
        p
        for p in problems
        if p.meeting_id != meeting.pk
        and p.meeting.starts_at < meeting.starts_at
        and p.status == "open"
    ]
    checks = {
        c.problem_id: c
        for c in EffectivenessCheck.objects.filter(meeting=meeting, problem__in=earlier)
    }
    for problem in earlier:
        problem.check_here = checks.get(problem.pk)
    return here, earlier


def _solutions():
    from django.db.models import Prefetch

    return Prefetch("solutions", queryset=Solution.objects.select_related("owner"))


def problem_history(problem: Problem) -> list[EffectivenessCheck]:
    return list(problem.checks.select_related("meeting", "recorded_by"))


# --- Decisions -------------------------------------------------------------------------------


DECISION_ORDER = ("-decided_on", "-id")


def decision_page(request, user, *, per_page: int = 20, **narrow):
    """A page of the decisions the person may read, newest first: each way a decision may
    be readable is read on its own index, as the updates are."""
    base = _narrowed(Decision.objects.for_lists(), **narrow)
    return paginate_newest_of(
        request, base, readable_meeting_parts(user), order=DECISION_ORDER, per_page=per_page
    )


def _narrowed(decisions, *, team: str = "", words: str = "", since=None, until=None):
    if team:
        decisions = decisions.filter(team__name__icontains=team)
    for word in words.split()[:5]:
        decisions = decisions.filter(Q(text__icontains=word) | Q(rationale__icontains=word))
    if since:
        decisions = decisions.filter(decided_on__gte=since)
    if until:
        decisions = decisions.filter(decided_on__lte=until)
    return decisions


def decision_evidence(decision: Decision) -> list:
    evidence = list(decision.evidence.all())
    links = resolve_links([(e.target_type_id, e.target_id) for e in evidence])
    for item in evidence:
        item.linked = links.get((item.target_type_id, item.target_id))
    return evidence


# --- Action items ----------------------------------------------------------------------------


def my_action_items(user, *, show_closed: bool = False) -> QuerySet[ActionItem]:
    items = ActionItem.objects.for_lists().filter(owner=user)
    if not show_closed:
        items = items.open()
    return items.overdue_first()


def team_action_items(team_ids, *, show_closed: bool = False) -> QuerySet[ActionItem]:
    items = ActionItem.objects.for_lists().filter(team__in=team_ids)
    if not show_closed:
        items = items.open()
    return items.overdue_first()


def first_team_action_items(team_ids, *, excluding, limit: int = 25) -> list[ActionItem]:
    """The first open action items of these teams not in `excluding`'s name, overdue first.
    Their keys are picked in a subquery before any join: joined first, PostgreSQL hashed the
    whole teams and people tables to keep 25 of an STS's 400 items."""
    keys = team_action_items(team_ids).exclude(owner=excluding).values("pk")[:limit]
    return list(ActionItem.objects.for_lists().filter(pk__in=keys).overdue_first())


def led_team_ids(user) -> list[int]:
    """The teams whose action items the person keeps an eye on: those they lead or support,
    and the SMT for its chair (the rule `meetings.see_team_actions`)."""
    from ..rules import teams_run_by

    return sorted(teams_run_by(user))


def action_items_from(origin) -> QuerySet[ActionItem]:
    """The action items that came from a record, or from any record of a queryset."""
    if isinstance(origin, QuerySet):
        content_type = ContentType.objects.get_for_model(origin.model)
        return ActionItem.objects.filter(
            origin_type=content_type, origin_id__in=origin.values("pk")
        )
    content_type = ContentType.objects.get_for_model(origin)
    return ActionItem.objects.filter(origin_type=content_type, origin_id=origin.pk)


def origins_of(items: list[ActionItem]) -> None:
    """Resolve where each action item came from, with one query per kind of origin."""
    links = resolve_links([(i.origin_type_id, i.origin_id) for i in items])
    for item in items:
        item.came_from = links.get((item.origin_type_id, item.origin_id))


def smt_next_visible(user) -> Meeting | None:
    """The SMT's next meeting, for those who read the SMT's meetings.

    Found first and then asked of the rule, not filtered by it: the filter would carry every
    team a specialist follows into a query about one meeting."""
    meeting = (
        Meeting.objects.of_smt()
        .upcoming()
        .select_related("team")
        .order_by("starts_at", "pk")
        .first()
    )
    return meeting if meeting and user.has_perm("meetings.view_meeting", meeting) else None


def people_for_actions(team: Team):
    """Who may own a team's action items: its members and the STSs who support it."""
    ids = {p.pk for p in members_of(team)}
    ids |= set(team.specialists.values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name")


def evidence_updates(team: Team, limit: int = 20) -> QuerySet[TeamUpdate]:
    """The newest updates of the team and the teams below it, to cite as evidence."""
    within = TeamUpdate.objects.all()
    if not team.is_management_team:
        within = within.filter(team__in=Team.objects.within(team).values("pk"))
    newest = list(within.order_by("-occurred_on", "-id").values_list("pk", flat=True)[:limit])
    return (
        TeamUpdate.objects.filter(pk__in=newest)
        .select_related("team")
        .order_by("-occurred_on", "-id")
    )


def feed_meetings(person: User, *, since: datetime, limit: int = 500) -> list[Meeting]:
    """A person's calendar: the meetings of the teams they sit on or support."""
    return list(
        Meeting.objects.filter(team__in=standing(person).own_team_ids, starts_at__gte=since)
        .select_related("team")
        .order_by("starts_at")[:limit]
    )
