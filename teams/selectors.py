"""Reads: each selector decides its own query shape, so page query counts stay flat."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import rules
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from .models import (
    CABINET_ROLES,
    DevelopmentReview,
    Level,
    Membership,
    RoleAssignment,
    SponsorAppointment,
    SponsorPairing,
    Team,
    TeamRole,
    TeamUpdate,
    User,
    current_on,
    today,
)
from .paging import UncountedPage, newest_of, paginate_newest_of
from .rules import (
    loggable_teams,
    readable_update_parts,
    readable_updates,
    reads_all_updates_within,
)
from .standing import CABINET_SEAT, standing

# --- Sponsors and pairings ---------------------------------------------------------------


def current_pairings(day: date | None = None) -> QuerySet[SponsorPairing]:
    return (
        SponsorPairing.objects.current(day or today())
        .select_related("sponsor__division", "specialist")
        .order_by("specialist__last_name", "specialist__first_name", "sponsor__last_name")
    )


def specialists_without_sponsor(day: date | None = None) -> QuerySet[User]:
    """STSs nobody champions: each STS should have a sponsor to turn to between meetings."""
    day = day or today()
    return (
        User.objects.specialists(day)
        .exclude(pk__in=SponsorPairing.objects.current(day).values("specialist"))
        .order_by("last_name", "first_name")
    )


# --- People -------------------------------------------------------------------------------


def people_directory(*, search: str = "", division_id: int | None = None) -> QuerySet[User]:
    """Active people with what everyone signed in may see of them: name, title, division
    and the roles they hold today (a sponsor seat among them)."""
    people = User.objects.filter(is_active=True).select_related("division")
    if search:
        for word in search.split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(job_title__icontains=word)
            )
    if division_id:
        people = people.filter(division_id=division_id)
    day = today()
    return people.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.current(day),
            to_attr="current_roles",
        ),
        Prefetch(
            "sponsor_appointments",
            queryset=SponsorAppointment.objects.current(day),
            to_attr="current_sponsorships",
        ),
    ).order_by("last_name", "first_name", "username")


def membership_candidates(team: Team, *, search: str = "") -> QuerySet[User]:
    """People who could join the team, those already on the team above first (a linking
    member sits on both)."""
    current = Membership.objects.current()
    people = (
        people_directory(search=search)
        .exclude(Exists(current.filter(team=team, person=OuterRef("pk"))))
        .annotate(on_parent=Exists(current.filter(team_id=team.parent_id, person=OuterRef("pk"))))
    )
    return people.order_by("-on_parent", "last_name", "first_name")


@dataclass(frozen=True)
class Seat:
    """A team a person sits on: by a membership, or on the SMT by their cabinet role."""

    team: Team
    role_label: str
    since: date


@dataclass
class PersonProfile:
    person: User
    roles: list[RoleAssignment]
    seats: list[Seat]
    supported_teams: list[Team]
    sponsorship: SponsorAppointment | None
    champions: list[SponsorPairing]
    championed_by: list[SponsorPairing]
    # Who held what, when, and what is to come: only for those the rules let read it.
    past_roles: list[RoleAssignment] | None = None
    upcoming_roles: list[RoleAssignment] | None = None
    past_sponsorships: list[SponsorAppointment] | None = None


def person_profile(person: User, viewer: User) -> PersonProfile:
    day = today()
    assignments = list(person.role_assignments.select_related("granted_by"))
    current = [a for a in assignments if a.is_current(day)]
    appointments = list(person.sponsor_appointments.select_related("appointed_by", "ended_by"))
    seats = [
        Seat(m.team, m.get_role_display(), m.started_on)
        for m in person.memberships.current(day).select_related("team").order_by("team__name")
    ]
    cabinet = [a for a in current if a.role in CABINET_ROLES]
    if cabinet:
        smt = Team.objects.filter(is_management_team=True).first()
        if smt is not None:
            role = cabinet[0].get_role_display()
            since = min(a.started_on for a in cabinet)
            seats.insert(0, Seat(smt, f"Cabinet ({role})", since))
    profile = PersonProfile(
        person=person,
        roles=current,
        seats=seats,
        supported_teams=list(person.supported_teams.select_related("parent").order_by("name")),
        sponsorship=next((a for a in appointments if a.is_current(day)), None),
        champions=list(current_pairings(day).filter(sponsor=person)),
        championed_by=list(current_pairings(day).filter(specialist=person)),
    )
    if rules.has_perm("teams.read_role_history", viewer, person):
        profile.past_roles = [a for a in assignments if a.ended_on and a.ended_on <= day]
        profile.upcoming_roles = [a for a in assignments if a.started_on > day]
        profile.past_sponsorships = [a for a in appointments if a.ended_on and a.ended_on <= day]
    return profile


def seat_names(user) -> list[str]:
    """The person's seats in words, for their home page: "Lead of Cedar Falls DIT"."""
    person = standing(user)
    if not person.team_roles:
        return []
    teams = {t.pk: t for t in Team.objects.filter(pk__in=person.member_team_ids)}
    labels = dict(Membership._meta.get_field("role").flatchoices)
    names = []
    for team_id, role in person.team_roles:
        team = teams.get(team_id)
        if team is None or role == CABINET_SEAT:
            continue
        names.append(f"{labels.get(role, role)} of {team}")
    return sorted(names)


# --- The cascade ---------------------------------------------------------------------------


def branch_roots() -> QuerySet[Team]:
    """The tops of the cascade's branches: teams whose parent is a state team."""
    return Team.objects.filter(
        parent__level=Level.STATE, parent__is_management_team=False
    ).order_by("name")


@dataclass
class TreeNode:
    """A team in the tree. `children` are shown when loaded; otherwise the node opens on
    demand, and `below` says how many teams are directly below it."""

    team: Team
    below: int = 0
    children: list[TreeNode] | None = None

    @property
    def loaded(self) -> bool:
        return self.children is not None


def _nodes(teams: QuerySet[Team]) -> list[TreeNode]:
    """Nodes for these teams, each knowing how many teams sit directly below it."""
    teams = teams.with_glance().annotate(below=Count("children", distinct=True))
    return [TreeNode(team, team.below) for team in teams]


def cascade_outline(roots: list[Team]) -> list[TreeNode]:
    """The SMT and its state teams, open, above a page of branch roots, closed: a branch's
    teams load when it is opened, so the page stays small whatever the size of the state."""
    trunk = _nodes(Team.objects.filter(level=Level.STATE).order_by("-is_management_team", "name"))
    branches = _nodes(Team.objects.filter(pk__in=[r.pk for r in roots]).order_by("name"))
    states = [node for node in trunk if not node.team.is_management_team]
    for state in states:
        state.children = [b for b in branches if b.team.parent_id == state.team.pk]
    smt = next((node for node in trunk if node.team.is_management_team), None)
    if smt is None:
        return states
    smt.children = states
    return [smt]


def cascade_region(region: Team) -> list[TreeNode]:
    """One branch, open on its own teams; the teams below them load on demand."""
    (node,) = _nodes(Team.objects.filter(pk=region.pk))
    node.children = _nodes(region.children.in_cascade_order("name"))
    return [node]


def teams_below(team: Team) -> list[TreeNode]:
    """The teams directly below one team, as nodes that open on demand."""
    return _nodes(team.children.in_cascade_order("name"))


def cascade_list(
    *, level: str = "", region: Team | None = None, zone: bool = False, quiet: bool = False
) -> QuerySet[Team]:
    teams = Team.objects.with_glance().with_quiet().select_related("parent__parent")
    if level:
        teams = teams.filter(level=level)
    if region is not None:
        teams = teams.within(region)
    if zone:
        teams = teams.in_zone()
    if quiet:
        teams = teams.quiet()
    return teams.in_cascade_order("name")


@dataclass
class TeamPage:
    team: Team
    ancestors: list[Team]
    members: list[Membership]
    cabinet: list[User]
    children: list[Team]
    development: list[DevelopmentReview]
    linking_gaps: list[Membership]

    @property
    def member_count(self) -> int:
        return len(self.members) + len(self.cabinet)

    @property
    def up_links(self) -> list[Membership]:
        return [m for m in self.members if m.role == TeamRole.LINKING]


def team_page(team: Team) -> TeamPage:
    day = today()
    members = list(
        team.memberships.current(day)
        .select_related("person__division")
        .order_by("role", "person__last_name")
    )
    cabinet = []
    if team.is_management_team:
        cabinet = list(User.objects.smt_members(day).select_related("division"))
    children = list(
        team.children.annotate(
            member_count=Count("memberships", filter=current_on(day, "memberships__"))
        ).order_by("name")
    )
    linking = defaultdict(list)
    for membership in (
        Membership.objects.current(day)
        .filter(team__in=children, role=TeamRole.LINKING)
        .select_related("person")
    ):
        linking[membership.team_id].append(membership)
    for child in children:
        child.linking_members = linking.get(child.pk, [])
    return TeamPage(
        team=team,
        ancestors=team.ancestors(),
        members=members,
        cabinet=cabinet,
        children=children,
        development=list(team.development_reviews.select_related("recorded_by")[:12]),
        linking_gaps=linking_gaps(team, members),
    )


def linking_gaps(team: Team, members: list[Membership]) -> list[Membership]:
    """Linking members who no longer sit on the team above (rule 3 broken by a change)."""
    linking = [m for m in members if m.role == TeamRole.LINKING]
    if not linking or team.parent is None:
        return []
    on_parent = set(parent_seat_holders(team.parent, [m.person_id for m in linking]))
    return [m for m in linking if m.person_id not in on_parent]


def parent_seat_holders(parent: Team, person_ids: list[int]) -> list[int]:
    day = today()
    holders = set(
        parent.memberships.current(day)
        .filter(person_id__in=person_ids)
        .values_list("person_id", flat=True)
    )
    if parent.is_management_team:
        holders |= set(
            User.objects.smt_members(day).filter(pk__in=person_ids).values_list("pk", flat=True)
        )
    return list(holders)


# --- Team updates ----------------------------------------------------------------------


UPDATE_ORDER = ("-occurred_on", "-id")


def updates_visible_to(user) -> QuerySet[TeamUpdate]:
    """Updates roll up: each team sees its own and those of the teams below it."""
    return TeamUpdate.objects.with_context().filter(readable_updates(user))


def update_page(request, user, *, narrow: Q | None = None, per_page: int = 20) -> UncountedPage:
    """A page of the updates the person may read (narrowed by `narrow`), newest first."""
    return _update_page(request, readable_update_parts(user), narrow, per_page)


def team_update_page(request, user, team: Team, *, per_page: int = 10) -> UncountedPage:
    """A page of the updates of the team and the teams below it that the person may read."""
    readable = [Q()] if reads_all_updates_within(user, team) else readable_update_parts(user)
    return _update_page(request, readable, within_team(team), per_page)


def _update_page(request, readable: list[Q], narrow: Q | None, per_page: int) -> UncountedPage:
    base = TeamUpdate.objects.for_cards()
    if narrow is not None:
        base = base.filter(narrow)
    return paginate_newest_of(request, base, readable, order=UPDATE_ORDER, per_page=per_page)


def newest_updates(user, *, narrow: Q | None = None, limit: int = 6) -> list[TeamUpdate]:
    base = TeamUpdate.objects.for_cards()
    if narrow is not None:
        base = base.filter(narrow)
    return newest_of(base, readable_update_parts(user), order=UPDATE_ORDER, limit=limit)


def within_team(team: Team) -> Q | None:
    """Updates of the team and every team below it (None: the SMT's, which is all)."""
    if team.is_management_team:
        return None
    # A subquery on the ancestry columns: PostgreSQL joins it team by team through the
    # updates' (team, date) index, where a literal list let it walk every update by date.
    return Q(team__in=Team.objects.within(team).values("pk"))


def teams_for_logging(user) -> QuerySet[Team]:
    """Teams this person may log an update for (the rules say: those they support or sit on)."""
    return (
        Team.objects.filter(loggable_teams(user)).select_related("parent").in_cascade_order("name")
    )


def smt_attention_updates(user, *, limit: int = 8, narrow: Q | None = None) -> list[TeamUpdate]:
    flagged = Q(for_smt_attention=True) & (narrow or Q())
    return newest_updates(user, narrow=flagged, limit=limit)
