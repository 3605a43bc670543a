from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and the practice-policy communication cycle"

    def ready(self) -> None:
        from django.db.models import OuterRef, Subquery
        from django.db.models.functions import TruncDate

        from teams.models import TeamUpdate
        from teams.registry import AuditedKind, NavLink, TeamActivity, TeamLink, portal

        from .bench import BENCH_PART
        from .demo import DEMO_PART
        from .home import PANEL
        from .models import (
            ActionItem,
            AgendaItem,
            Attendance,
            Decision,
            Meeting,
            MeetingSeries,
            Problem,
        )
        from .registry import AgendaOffer, Linkable, agenda_offers, linkables
        from .selectors import flagged_updates_for

        portal.nav_links.register(
            NavLink("meetings", "Meetings", "meetings:index", prefixes=("/meetings/",), order=60)
        )
        for order, (key, label, model) in enumerate(
            [
                ("meeting-series", "Meeting series", MeetingSeries),
                ("meetings", "Meetings", Meeting),
                ("agenda-items", "Agenda items and minutes", AgendaItem),
                ("attendance", "Attendance", Attendance),
                ("decisions", "Decisions", Decision),
                ("action-items", "Action items", ActionItem),
                ("problems", "Problem statements", Problem),
            ],
            start=200,
        ):
            portal.audited.register(AuditedKind(key, label, model, order=order))

        # A meeting held is a sign of life, like an update.
        portal.team_activity.register(
            TeamActivity(
                "meetings",
                label="a meeting held",
                latest=lambda: Subquery(
                    Meeting.objects.filter(team=OuterRef("pk"), status="held")
                    .order_by("-starts_at")
                    .values(day=TruncDate("starts_at"))[:1]
                ),
                order=20,
            )
        )

        linkables.register(
            Linkable(
                "update",
                TeamUpdate,
                "Team update",
                order=0,
                describe=lambda u: f"{u.team.name}, {u.occurred_on:%-d %b}: {u.summary}",
            )
        )
        for order, (key, model, label) in enumerate(
            [
                ("action", ActionItem, "Action item"),
                ("decision", Decision, "Decision"),
                ("meeting", Meeting, "Meeting"),
                ("agenda-item", AgendaItem, "Agenda item"),
                ("problem", Problem, "Problem statement"),
            ]
        ):
            linkables.register(Linkable(key, model, label, order=order))
        agenda_offers.register(
            AgendaOffer(
                "smt-attention",
                "Updates flagged for SMT attention since the last meeting",
                flagged_updates_for,
                order=10,
            )
        )
        portal.team_links.register(
            TeamLink("meetings", "Meetings", "meetings:team", "meetings.read_team_meetings", 10)
        )
        portal.home_panels.register(PANEL)
        portal.demo_parts.register(DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
