from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Organisation and the cascade"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import OuterRef, Subquery

        from . import signin
        from .bench import BENCH_PART
        from .demo import DEMO_PART
        from .models import (
            Agency,
            DevelopmentReview,
            Division,
            Membership,
            RoleAssignment,
            SponsorAppointment,
            SponsorPairing,
            Team,
            TeamUpdate,
            User,
        )
        from .registry import AuditedKind, NavLink, TeamActivity, portal
        from .views.home import PANELS

        # A sign-in is not a change to the person's record: record it without a history row.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(signin.record_sign_in, dispatch_uid="record_sign_in")

        for link in (
            NavLink("home", "Home", "home", prefixes=(), order=10),
            NavLink(
                "cascade",
                "Cascade",
                "teams:cascade",
                prefixes=("/teams/",),
                excludes=("/teams/updates/",),
                order=20,
            ),
            NavLink("updates", "Updates", "teams:updates", prefixes=("/teams/updates/",), order=30),
            NavLink("sponsors", "Sponsors", "teams:sponsors", prefixes=("/sponsors/",), order=40),
            NavLink("people", "People", "teams:people", prefixes=("/people/",), order=50),
            NavLink(
                "settings",
                "Settings",
                "settings:overview",
                prefixes=("/settings/",),
                perm="teams.manage_settings",
                order=900,
            ),
        ):
            portal.nav_links.register(link)

        for order, (key, label, model) in enumerate(
            [
                ("people", "People", User),
                ("roles", "Roles", RoleAssignment),
                ("sponsors", "Sponsor appointments", SponsorAppointment),
                ("pairings", "Sponsor–STS pairings", SponsorPairing),
                ("divisions", "Divisions", Division),
                ("teams", "Teams", Team),
                ("memberships", "Team memberships", Membership),
                ("development", "Development reviews", DevelopmentReview),
                ("updates", "Team updates", TeamUpdate),
                ("agency", "Agency", Agency),
            ]
        ):
            portal.audited.register(AuditedKind(key, label, model, order=order))

        portal.team_activity.register(
            TeamActivity(
                "updates",
                label="a team update",
                latest=lambda: Subquery(
                    TeamUpdate.objects.filter(team=OuterRef("pk"))
                    .order_by("-occurred_on")
                    .values("occurred_on")[:1]
                ),
                order=10,
            )
        )
        for panel in PANELS:
            portal.home_panels.register(panel)
        portal.demo_parts.register(DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
