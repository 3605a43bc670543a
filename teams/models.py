"""The organisation and the cascade of implementation teams.

Roles, appointments, pairings and memberships all carry dates rather than flags: the
cabinet changes with elections and appointments, and the portal must show who held
what, when. A record is *current* on a day when it started on or before that day and
has not ended by it (`ended_on` is the first day it no longer holds).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


def today() -> date:
    return timezone.localdate()


def date_window(day: date | None = None) -> tuple[date, date]:
    """The dates the portal accepts, from `PORTAL_DATE_WINDOW_YEARS` (years back, years ahead).

    A role, membership, update or review dated in year 1 or 9999 is a typing slip, and one
    in the far future can never become current; refusing it keeps every record correctable.
    """
    back, ahead = settings.PORTAL_DATE_WINDOW_YEARS
    day = day or today()
    return day.replace(year=day.year - back, month=1, day=1), day.replace(
        year=day.year + ahead, month=12, day=31
    )


def within_date_window(value: date) -> None:
    earliest, latest = date_window()
    if value is not None and not earliest <= value <= latest:
        raise ValidationError(
            "Give a date between %(earliest)s and %(latest)s.",
            code="outside_date_window",
            params={
                "earliest": earliest.strftime("%-d %B %Y"),
                "latest": latest.strftime("%-d %B %Y"),
            },
        )


# Long texts a person writes: enough for a thorough paragraph or two, not a document.
NOTE_LIMIT = 1_000
TEXT_LIMIT = 2_000


def limited_text(limit: int = TEXT_LIMIT, **kwargs) -> models.TextField:
    """A text field whose limit the form enforces and says, and the model checks too."""
    help_text = kwargs.pop("help_text", "")
    said = f"Up to {limit:,} characters."
    return models.TextField(
        max_length=limit,
        validators=[MaxLengthValidator(limit)],
        help_text=f"{help_text} {said}".strip(),
        **kwargs,
    )


def smt_id() -> int | None:
    """The SMT's id, asked on many pages: kept until the cascade changes."""
    from .freshness import remembered

    found = remembered(
        "smt-id",
        ("cascade",),
        lambda: (
            Team.objects.filter(is_management_team=True).values_list("pk", flat=True).first() or 0
        ),
    )
    return found or None


def moved(*topics: str) -> None:
    # freshness reads this module; importing it here would be circular.
    from .freshness import moved as move

    move(*topics)


# "Never" in date arithmetic that cannot hold NULL (Greatest over activities).
NEVER = models.Value(date(1, 1, 1), output_field=models.DateField())


def current_on(day: date, prefix: str = "") -> Q:
    """Records started on or before `day` and not yet ended by it."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


class DatedQuerySet(models.QuerySet):
    def current(self, day: date | None = None):
        return self.filter(current_on(day or today()))


class Dated(models.Model):
    started_on = models.DateField(default=today, validators=[within_date_window])
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text="The first day this no longer holds.",
        validators=[within_date_window],
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_current(self, day: date | None = None) -> bool:
        day = day or today()
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)

    def clean(self) -> None:
        super().clean()
        if self.ended_on and self.started_on and self.ended_on <= self.started_on:
            raise ValidationError({"ended_on": "The end date must be after the start date."})


def ends_after_start(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
        name=name,
    )


AGENCY_KEY = "agency"


class Agency(models.Model):
    """The State Education Agency that runs this installation (there is exactly one)."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, help_text="For example the agency's acronym.")
    state_name = models.CharField(max_length=100)
    districts_may_report_to_state = models.BooleanField(
        default=False,
        help_text=(
            "Allow district teams directly under a state implementation team, for agencies "
            "without a regional level."
        ),
    )
    cabinet_granted_by = models.CharField(
        "who grants the CSSO and Deputy roles",
        max_length=10,
        choices=[
            ("admins", "A second portal administrator, never the person themselves"),
            ("csso", "The CSSO (an administrator only while there is no CSSO)"),
        ],
        default="admins",
        help_text="The CSSO and Deputy choose the sponsors, so nobody may grant these roles "
        "to themselves.",
    )
    max_deputies = models.PositiveSmallIntegerField(
        "Deputy CSSOs serving at once",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    singleton = models.BooleanField(default=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "agency"
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="one_agency_per_installation"),
            models.CheckConstraint(condition=Q(singleton=True), name="agency_singleton_true"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Whichever path saved it, no page may show the agency as it was.
        self.forget()

    def clean(self) -> None:
        super().clean()
        if self.districts_may_report_to_state:
            return
        # Turning the level skip off must not leave a skip the agency no longer allows.
        skipping = list(
            Team.objects.filter(
                level=Level.DISTRICT, parent__level=Level.STATE, parent__is_management_team=False
            ).order_by("name")[:4]
        )
        if skipping:
            names = ", ".join(str(team) for team in skipping[:3])
            more = " and others" if len(skipping) > 3 else ""
            raise ValidationError(
                {
                    "districts_may_report_to_state": f"{names}{more} still report directly to "
                    "a state team. Move them under a regional team first."
                }
            )

    @classmethod
    def current(cls) -> Agency:
        """The agency, read on every page: kept in the cache until it is saved (`forget`)."""
        agency = cache.get(AGENCY_KEY)
        if agency is None:
            agency = cls.objects.first()
            if agency is None:
                # Not yet set up: a stand-in for pages, never cached.
                return cls(name="State Education Agency", short_name="SEA", state_name="The State")
            cache.set(AGENCY_KEY, agency, timeout=60 * 60)
        return agency

    @classmethod
    def forget(cls) -> None:
        cache.delete(AGENCY_KEY)
        transaction.on_commit(lambda: cache.delete(AGENCY_KEY))


class DivisionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Division(models.Model):
    name = models.CharField(max_length=150)
    short_name = models.CharField(max_length=30, blank=True)
    head = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_divisions",
    )
    is_active = models.BooleanField(default=True)

    objects = DivisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Finance" and "finance" are one division: the sponsor rule counts divisions.
            models.UniqueConstraint(
                Lower("name"),
                name="division_name_unique_in_any_case",
                violation_error_message="A division with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("settings:division-edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.name = " ".join((self.name or "").split())
        same = Division.objects.filter(name__iexact=self.name).exclude(pk=self.pk)
        if self.name and same.exists():
            raise ValidationError(
                {"name": f"The division {same.first()} already exists; names ignore case."}
            )


class UserQuerySet(models.QuerySet):
    def holding(self, *roles: str, day: date | None = None):
        day = day or today()
        return self.filter(
            Exists(
                RoleAssignment.objects.filter(person=OuterRef("pk"), role__in=roles).current(day)
            )
        )

    def smt_members(self, day: date | None = None):
        return self.holding(*CABINET_ROLES, day=day)

    def specialists(self, day: date | None = None):
        return self.holding(Role.STS, day=day)

    def sponsors(self, day: date | None = None):
        day = day or today()
        return self.filter(
            Exists(SponsorAppointment.objects.filter(sponsor=OuterRef("pk")).current(day))
        )


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    def get_by_natural_key(self, username: str) -> User:
        # Usernames are unique whatever their case, so "STS" signs in as "sts".
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person at the agency or in the cascade. Most people never sign in."""

    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    job_title = models.CharField(max_length=150, blank=True)
    left_on = models.DateField(
        "left the agency on",
        null=True,
        blank=True,
        validators=[within_date_window],
        help_text="Their roles, seats and pairings end on this day.",
    )

    objects = PortalUserManager()
    # Passwords and sign-ins are not governance changes; a password an admin sets is
    # recorded by its reason instead (see services.person_password_set).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        # The directory's order, so a page of 30,000 people is read, not sorted.
        indexes = [models.Index(fields=["last_name", "first_name", "username"], name="people_a_z")]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="username_unique_in_any_case",
                violation_error_message="A person with this username already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("teams:person", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        same = User.objects.filter(username__iexact=self.username).exclude(pk=self.pk)
        if self.username and same.exists():
            raise ValidationError(
                {"username": "This username is taken (usernames ignore letter case)."}
            )

    def is_with_agency(self, day: date | None = None) -> bool:
        """Still here: an active account, and not recorded as having left by `day`."""
        day = day or today()
        return self.is_active and (self.left_on is None or self.left_on > day)


class PasswordNotice(models.Model):
    """An admin set this person's password: they are told at their next sign-in."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_notices")
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-set_at"]
        indexes = [
            models.Index(
                fields=["person"], condition=Q(seen_at__isnull=True), name="unseen_notices"
            )
        ]

    def __str__(self) -> str:
        return f"Password of {self.person} set by {self.set_by}"


class Role(models.TextChoices):
    CSSO = "csso", "Chief State School Officer"
    DEPUTY = "deputy", "Deputy CSSO"
    SMT_MEMBER = "smt", "SMT member"
    STS = "sts", "State Transformation Specialist"
    ADMIN = "admin", "Portal administrator"


# The SMT is the CSSO and/or Deputy and the agency's decision makers (the cabinet).
CABINET_ROLES = (Role.CSSO, Role.DEPUTY, Role.SMT_MEMBER)
# Only these two may choose the Executive Leadership Sponsors, so nobody grants them to
# themselves: the agency says who does (Agency.cabinet_granted_by).
APPOINTING_ROLES = (Role.CSSO, Role.DEPUTY)


class RoleAssignment(Dated):
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=10, choices=Role.choices)
    note = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="roles_granted"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_open_assignment_per_role",
                violation_error_message="This person already holds this role.",
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(role="csso", ended_on__isnull=True),
                name="one_open_csso",
                violation_error_message="The agency has one CSSO at a time.",
            ),
            ends_after_start("role_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class SponsorAppointment(Dated):
    """An Executive Leadership Sponsor, appointed by the CSSO or Deputy CSSO."""

    sponsor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sponsor_appointments")
    appointed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="sponsor_appointments_made"
    )
    ended_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsor_appointments_ended",
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["sponsor"],
                condition=Q(ended_on__isnull=True),
                name="one_open_appointment_per_sponsor",
                violation_error_message="This person is already a sponsor.",
            ),
            ends_after_start("appointment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Sponsor: {self.sponsor}"


class SponsorPairing(Dated):
    """A sponsor who champions a State Transformation Specialist."""

    sponsor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sts_pairings")
    specialist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sponsor_pairings")

    history = HistoricalRecords()

    class Meta:
        ordering = ["specialist__last_name", "sponsor__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sponsor", "specialist"],
                condition=Q(ended_on__isnull=True),
                name="one_open_pairing",
                violation_error_message="This sponsor is already paired with this STS.",
            ),
            ends_after_start("pairing_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor} champions {self.specialist}"


class Level(models.TextChoices):
    STATE = "state", "State"
    REGIONAL = "regional", "Regional"
    DISTRICT = "district", "District"
    BUILDING = "building", "Building"


class Cadence(models.IntegerChoices):
    WEEKLY = 7, "Weekly"
    FORTNIGHTLY = 14, "Every two weeks"
    MONTHLY = 30, "Monthly"
    BIMONTHLY = 61, "Every two months"
    QUARTERLY = 91, "Quarterly"


def quiet_on(day: date, prefix: str = "") -> Q:
    """A team is quiet when nothing was recorded within its cadence, or nothing ever."""
    return Q(**{f"{prefix}quiet_from__isnull": True}) | Q(**{f"{prefix}quiet_from__lte": day})


# Kept by the services from other records; not decisions, so not in the audit history.
DERIVED_TEAM_FIELDS = [
    "cascade_rank",
    "state_team",
    "region_team",
    "district_team",
    "last_active_on",
    "quiet_from",
    "dev_reviewed_on",
    "dev_formed",
    "dev_trained",
    "dev_meeting",
    "dev_linked",
]


class TeamQuerySet(models.QuerySet):
    def in_cascade_order(self, *then: str):
        """The SMT first, then state, regional, district and building teams."""
        return self.order_by("cascade_rank", *then)

    def within(self, team: Team):
        """The team and every team below it in the cascade."""
        if team.is_management_team:
            return self.all()
        return self.filter(below(team.pk))

    def below_any(self, team_ids):
        """Teams that are, or sit below, any of the given teams."""
        team_ids = list(team_ids)
        if smt_id() in team_ids:
            return self.all()
        return self.filter(below_any(team_ids))

    def refresh_ancestry(self) -> None:
        """Recompute every team's state, regional and district teams above it from the
        parents, level by level (after bulk writes or a move; a single save keeps its own)."""
        teams = Team.objects.all()
        teams.update(
            cascade_rank=models.Case(
                models.When(is_management_team=True, then=0),
                *(
                    models.When(level=level, then=1 + rank)
                    for rank, level in enumerate(Level.values)
                ),
                default=9,
            )
        )
        teams.filter(Q(parent__isnull=True) | Q(parent__is_management_team=True)).update(
            state_team=None, region_team=None, district_team=None
        )
        parent = Team.objects.filter(pk=OuterRef("parent_id"))
        for level in (Level.STATE, Level.REGIONAL, Level.DISTRICT, Level.BUILDING):
            rows = teams.filter(level=level, parent__is_management_team=False)
            for above, above_level in ANCESTRY_LEVELS:
                # The parent itself when it is of that level, else what the parent keeps.
                rows.filter(parent__level=above_level).update(**{f"{above}_team": F("parent_id")})
                rows.exclude(parent__level=above_level).update(
                    **{f"{above}_team": models.Subquery(parent.values(f"{above}_team_id")[:1])}
                )
        moved("cascade")

    def in_zone(self, day: date | None = None):
        day = day or today()
        return self.filter(
            Q(zone_entered_on__lte=day) & (Q(zone_left_on__isnull=True) | Q(zone_left_on__gt=day))
        )

    def quiet(self, day: date | None = None):
        """Teams with nothing recorded within their meeting cadence, or nothing ever."""
        return self.filter(quiet_on(day or today()))

    def with_quiet(self, day: date | None = None):
        """Each team marked `gone_quiet`, so a list can put the quiet ones first."""
        return self.annotate(
            gone_quiet=models.Case(
                models.When(quiet_on(day or today()), then=models.Value(True)),
                default=models.Value(False),
            )
        )

    def refresh_activity(self) -> int:
        """Recompute `last_active_on` from every registered kind of activity, and the day the
        team goes quiet from it and its cadence, in one UPDATE."""
        from .registry import portal

        latest = [Coalesce(activity.latest(), NEVER) for activity in portal.team_activity]
        if not latest:
            moved("activity")
            return self.update(last_active_on=None, quiet_from=None)
        newest = NullIf(latest[0] if len(latest) == 1 else Greatest(*latest), NEVER)
        # Quiet from the day after the cadence has run out since the latest activity.
        runs_out = models.ExpressionWrapper(
            (F("cadence") + 1) * models.Value(timedelta(days=1)),
            output_field=models.DurationField(),
        )
        updated = self.update(
            last_active_on=newest,
            quiet_from=models.ExpressionWrapper(newest + runs_out, output_field=models.DateField()),
        )
        moved("activity")
        return updated

    def refresh_development(self) -> int:
        """Copy each team's latest development review onto it, in one UPDATE."""
        latest = DevelopmentReview.objects.filter(team=OuterRef("pk")).order_by(
            "-reviewed_on", "-pk"
        )
        updated = self.update(
            dev_reviewed_on=models.Subquery(latest.values("reviewed_on")[:1]),
            **{
                field: Coalesce(models.Subquery(latest.values(check)[:1]), models.Value(False))
                for field, check in DEVELOPMENT_FIELDS.items()
            },
        )
        moved("development")
        return updated

    def with_glance(self):
        """What the cascade shows at a glance: the team's own columns and its STSs."""
        return self.prefetch_related(
            models.Prefetch(
                "specialists", queryset=User.objects.only("first_name", "last_name", "username")
            )
        )


# The ancestry columns a team keeps, and the level of team each one holds.
ANCESTRY_LEVELS = (("state", "state"), ("region", "regional"), ("district", "district"))


def below(team_id: int, prefix: str = "") -> Q:
    """The team and every team below it, from the ancestry columns: no join, no recursion."""
    return below_any([team_id], prefix)


def below_any(team_ids: list[int], prefix: str = "") -> Q:
    """Teams that are, or sit below, any of these. `prefix` leads from the filtered model
    to the team: "" on Team itself, "team__" on a record that belongs to a team."""
    itself = f"{prefix[:-2]}__in" if prefix else "pk__in"
    lookup = Q(**{itself: team_ids})
    for above, _ in ANCESTRY_LEVELS:
        lookup |= Q(**{f"{prefix}{above}_team__in": team_ids})
    return lookup


def below_teams_in_hand(teams: list[tuple[int, str]], prefix: str = "") -> Q:
    """`below_any` for teams whose levels are known, (id, level): a team's descendants
    carry it only in the ancestry column of its own level, so each id is looked for there
    alone, a quarter of the ids for PostgreSQL to weigh when it plans."""
    itself = f"{prefix[:-2]}__in" if prefix else "pk__in"
    lookup = Q(**{itself: [pk for pk, _ in teams]})
    for above, above_level in ANCESTRY_LEVELS:
        ids = [pk for pk, level in teams if level == above_level]
        if ids:
            lookup |= Q(**{f"{prefix}{above}_team__in": ids})
    return lookup


# The latest review's checks, as kept on the team.
DEVELOPMENT_FIELDS = {
    "dev_formed": "formed",
    "dev_trained": "members_trained",
    "dev_meeting": "meets_on_cadence",
    "dev_linked": "linked",
}


class Team(models.Model):
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices)
    is_management_team = models.BooleanField(
        default=False,
        editable=False,
        help_text="The State Management Team itself: the root of the cascade.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="team above",
    )
    unit_name = models.CharField("region, district or school served", max_length=200, blank=True)
    code = models.CharField(
        "state code",
        max_length=40,
        blank=True,
        help_text="The state's identifier of the region, district or school (for example its "
        "NCES ID). Data imports find the team by it.",
    )
    purpose = limited_text(blank=True)
    specialists = models.ManyToManyField(
        User,
        blank=True,
        related_name="supported_teams",
        verbose_name="State Transformation Specialists",
    )
    cadence = models.PositiveSmallIntegerField(
        "meeting cadence", choices=Cadence.choices, default=Cadence.MONTHLY
    )
    zone_entered_on = models.DateField(
        "entered the Transformation Zone", null=True, blank=True, validators=[within_date_window]
    )
    zone_left_on = models.DateField(
        "left the Transformation Zone", null=True, blank=True, validators=[within_date_window]
    )
    # Derived from the team's activities (updates, meetings held: whatever the apps
    # register as activity), kept by refresh_activity() whenever one is recorded, so
    # "gone quiet" is one indexed filter rather than a subquery per team. Not audited:
    # it records no decision.
    last_active_on = models.DateField(null=True, blank=True, editable=False)
    quiet_from = models.DateField(null=True, blank=True, editable=False)
    # The latest development review's checks, kept by refresh_development() when a review
    # is recorded, so a list of thousands of teams shows them without a subquery each.
    dev_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    dev_formed = models.BooleanField(default=False, editable=False)
    dev_trained = models.BooleanField(default=False, editable=False)
    dev_meeting = models.BooleanField(default=False, editable=False)
    dev_linked = models.BooleanField(default=False, editable=False)

    # Where the team's level comes down the cascade (the SMT 0, state teams 1 ... buildings
    # 4), kept from the level on save, so lists in cascade order are read from an index.
    cascade_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    # The state, regional and district teams above this one (none for the SMT and the
    # state teams): kept from the parent on save, so "this team and all below it" is a
    # filter on three indexed columns rather than a walk up the tree.
    state_team = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    region_team = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    district_team = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = TeamQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[specialists], excluded_fields=DERIVED_TEAM_FIELDS)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_management_team"],
                condition=Q(is_management_team=True),
                name="one_state_management_team",
            ),
            models.CheckConstraint(
                condition=Q(is_management_team=False) | Q(parent__isnull=True, level="state"),
                name="smt_is_state_level_root",
            ),
            models.CheckConstraint(
                condition=Q(is_management_team=True) | Q(parent__isnull=False),
                name="every_other_team_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(zone_left_on__isnull=True)
                | Q(zone_entered_on__isnull=False, zone_left_on__gt=models.F("zone_entered_on")),
                name="zone_left_after_entered",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="team_code_unique",
                violation_error_message="Another team has this state code.",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "name"]),
            models.Index(fields=["cascade_rank", "name"], name="teams_in_cascade_order"),
            models.Index(fields=["quiet_from"], name="team_quiet_from"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.take_ancestry_from_parent()
        self.cascade_rank = self.rank_in_cascade()
        new_level = (
            self.pk is not None
            and Team.objects.filter(pk=self.pk).exclude(level=self.level).exists()
        )
        super().save(*args, **kwargs)
        # Its name, place or cadence may be on pages kept in the cache.
        moved("cascade")
        if new_level:
            self._level_changed()

    def get_absolute_url(self) -> str:
        return reverse("teams:team", args=[self.pk])

    def _level_changed(self) -> None:
        """The standing of those on or supporting the team holds its level (which ancestry
        column its teams below carry it in): computed again."""
        from .standing import standing_changed

        standing_changed(
            *User.objects.filter(Q(memberships__team=self) | Q(supported_teams=self)).distinct()
        )

    def rank_in_cascade(self) -> int:
        if self.is_management_team:
            return 0
        return 1 + Level.values.index(self.level) if self.level in Level.values else 9

    def take_ancestry_from_parent(self) -> None:
        """This team's ancestry columns from its parent's (the teams below follow on a move,
        through refresh_ancestry)."""
        parent = self.parent
        for above, above_level in ANCESTRY_LEVELS:
            if parent is None or parent.is_management_team:
                value = None
            elif parent.level == above_level:
                value = parent.pk
            else:
                value = getattr(parent, f"{above}_team_id")
            setattr(self, f"{above}_team_id", value)

    def is_quiet(self, day: date | None = None) -> bool:
        return self.quiet_from is None or self.quiet_from <= (day or today())

    def in_zone(self, day: date | None = None) -> bool:
        day = day or today()
        return bool(
            self.zone_entered_on
            and self.zone_entered_on <= day
            and (self.zone_left_on is None or self.zone_left_on > day)
        )

    def is_within(self, team_ids) -> bool | None:
        """Whether the team is one of these or sits below one: `below_any` for the team in
        hand, from its ancestry columns without a query (None when they were not loaded)."""
        columns = [f"{above}_team_id" for above, _ in ANCESTRY_LEVELS]
        if self.get_deferred_fields().intersection(columns):
            return None
        ids = set(team_ids)
        return self.pk in ids or any(getattr(self, column) in ids for column in columns)

    def ancestors(self) -> list[Team]:
        """From the parent up to the SMT (one query per level not already loaded)."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    @property
    def level_label(self) -> str:
        if self.is_management_team:
            return "State Management Team"
        return f"{self.get_level_display()} team"

    def allowed_parent_levels(self, agency: Agency | None = None) -> tuple[str, ...]:
        """Which levels may hold this team (rule 2: a parent is one level up)."""
        if self.is_management_team:
            return ()
        if self.level == Level.DISTRICT:
            agency = agency or Agency.current()
            if agency.districts_may_report_to_state:
                return (Level.REGIONAL, Level.STATE)
            return (Level.REGIONAL,)
        return {
            Level.STATE: (Level.STATE,),
            Level.REGIONAL: (Level.STATE,),
            Level.BUILDING: (Level.DISTRICT,),
        }[self.level]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.zone_left_on and not self.zone_entered_on:
            errors["zone_left_on"] = "Give the date the team entered the Transformation Zone."
        elif self.zone_left_on and self.zone_left_on <= self.zone_entered_on:
            errors["zone_left_on"] = "The team must leave the Zone after it entered it."
        if errors:
            raise ValidationError(errors)
        self.clean_place_in_cascade()
        self.clean_children_stay_one_level_down()

    def clean_children_stay_one_level_down(self, agency: Agency | None = None) -> None:
        """A new level may not strand the teams below (rule 2), wherever the change is made."""
        if self.pk is None or self.level not in Level.values:
            return
        agency = agency or Agency.current()
        stranded = [
            child
            for child in self.children.order_by("name")
            if self.level not in child.allowed_parent_levels(agency)
        ]
        if stranded:
            names = ", ".join(str(child) for child in stranded[:3])
            more = f" and {len(stranded) - 3} more" if len(stranded) > 3 else ""
            raise ValidationError(
                {
                    "level": f"The teams below ({names}{more}) would no longer be one level "
                    "down; move them first."
                }
            )

    def clean_place_in_cascade(self) -> None:
        """Rule 2: a tree by level with the SMT at its root, and no cycles."""
        if self.is_management_team:
            return
        if self.level not in Level.values:
            # Missing or unknown: clean_fields reports it, and no place can be judged without it.
            return
        parent = self.parent
        if parent is None:
            raise ValidationError({"parent": "Every team except the SMT sits under another."})
        if self.pk and (parent.pk == self.pk or self.pk in {t.pk for t in parent.ancestors()}):
            raise ValidationError(
                {
                    "parent": f"{parent} sits below {self} in the cascade; a team cannot sit "
                    "under itself or one of its own teams."
                }
            )
        if self.level == Level.STATE and not parent.is_management_team:
            raise ValidationError(
                {"parent": "State implementation teams sit directly under the SMT."}
            )
        allowed = self.allowed_parent_levels()
        if parent.level not in allowed:
            allowed_names = " or ".join(Level(level).label.lower() for level in allowed)
            raise ValidationError(
                {
                    "parent": f"A {self.get_level_display().lower()} team sits under a "
                    f"{allowed_names} team, not a {parent.get_level_display().lower()} one."
                }
            )
        if self.level == Level.REGIONAL and parent.is_management_team:
            raise ValidationError(
                {"parent": "Regional teams sit under a state implementation team."}
            )
        if self.level == Level.DISTRICT and parent.is_management_team:
            raise ValidationError(
                {"parent": "District teams sit under a regional or state implementation team."}
            )


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"
    COACH = "coach", "Coach"
    DATA_LEAD = "data_lead", "Data lead"
    LINKING = "linking", "Linking member"


class Membership(Dated):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("team role", max_length=10, choices=TeamRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "role", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(ended_on__isnull=True),
                name="one_open_membership_per_team",
                violation_error_message="This person is already on this team.",
            ),
            ends_after_start("membership_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.team} ({self.get_role_display()})"


class DevelopmentReview(models.Model):
    """The team's quarterly check of its own development, dated so history is kept."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="development_reviews")
    reviewed_on = models.DateField(default=today, validators=[within_date_window])
    formed = models.BooleanField("team formed", default=False)
    members_trained = models.BooleanField("members trained", default=False)
    meets_on_cadence = models.BooleanField("meeting on cadence", default=False)
    linked = models.BooleanField("linked up and down", default=False)
    note = limited_text(NOTE_LIMIT, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="development_reviews"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    CHECKS = ("formed", "members_trained", "meets_on_cadence", "linked")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["team", "-reviewed_on"])]

    def __str__(self) -> str:
        return f"{self.team} development on {self.reviewed_on}"

    @property
    def score(self) -> int:
        return sum(bool(getattr(self, check)) for check in self.CHECKS)


class TeamUpdateQuerySet(models.QuerySet):
    def for_smt_attention(self):
        return self.filter(for_smt_attention=True)

    def within(self, team: Team):
        return self.filter(team__in=Team.objects.within(team))

    def with_context(self):
        return self.select_related("team", "team__parent", "author")

    def for_cards(self):
        """What a list of update cards shows, and no more: a list of twenty updates with
        every column of their teams and authors cost more to build than to fetch."""
        return self.with_context().only(
            "occurred_on",
            "summary",
            "for_smt_attention",
            "team__name",
            "team__level",
            "team__is_management_team",
            "team__parent__name",
            "author__first_name",
            "author__last_name",
            "author__username",
        )


class TeamUpdate(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="team_updates")
    occurred_on = models.DateField("date", default=today, validators=[within_date_window])
    summary = limited_text(help_text="What happened, in a few sentences.")
    successes = limited_text(blank=True)
    adaptive_challenges = limited_text(
        blank=True, help_text="Problems without a known technical fix."
    )
    next_steps = limited_text(blank=True)
    for_smt_attention = models.BooleanField(
        "for SMT attention",
        default=False,
        help_text="Bring this to the State Management Team and the CSSO.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            # Each list's own order: a team's (or a few teams') newest, everyone's newest,
            # and the newest flagged for the SMT.
            models.Index(fields=["team", "-occurred_on", "-id"], name="team_updates_newest"),
            models.Index(fields=["-occurred_on", "-id"], name="updates_newest"),
            models.Index(
                fields=["-occurred_on", "-id"],
                condition=Q(for_smt_attention=True),
                name="smt_attention_updates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} — {self.occurred_on}"

    def get_absolute_url(self) -> str:
        return reverse("teams:update", args=[self.pk])


class DemoKey(models.Model):
    """The stable name of a record the demo loader wrote.

    A second load finds its records by these keys, so a team or division someone renamed
    in the portal is not written again under its old name.
    """

    key = models.CharField(max_length=120, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.key
