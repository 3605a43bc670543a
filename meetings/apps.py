from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and the practice-policy communication cycle"

    def ready(self) -> None:
        from django.db.models import OuterRef, Subquery
        from django.db.models.functions import TruncDate

        from teams.models import TeamUpdate
        from teams.registry import AuditedKind, NavLink, TeamActivity, TeamLink, portal

        from .bench import BENCH_PART, LOGINS_PART
        from .bench_cycle import BENCH_PART as CYCLE_BENCH_PART
        from .demo import DEMO_PART
        from .demo_cycle import DEMO_PART as CYCLE_DEMO_PART
        from .home import PANEL
        from .models import (
            ActionItem,
            AgendaItem,
            Attendance,
            Barrier,
            Decision,
            Holiday,
            LinkProtocol,
            Meeting,
            MeetingSeries,
            Problem,
            ProtocolReview,
            SharedWithSmt,
            SupportRequest,
            SystemicChange,
        )
        from .registry import AgendaOffer, Linkable, agenda_offers, linkables
        from .selectors import barriers_at_smt_for, flagged_updates_for, shared_for

        portal.nav_links.register(
            NavLink("meetings", "Meetings", "meetings:index", prefixes=("/meetings/",), order=60)
        )
        portal.nav_links.register(
            NavLink("barriers", "Barriers", "barriers:index", prefixes=("/barriers/",), order=65)
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
                ("barriers", "Barriers", Barrier),
                ("systemic-changes", "Systemic changes", SystemicChange),
                ("protocols", "Linking protocols", LinkProtocol),
                ("protocol-reviews", "Protocol reviews", ProtocolReview),
                ("support", "Support requests", SupportRequest),
                ("holidays", "Agency holidays", Holiday),
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
                ("barrier", Barrier, "Barrier"),
                ("systemic-change", SystemicChange, "Systemic change"),
                ("shared", SharedWithSmt, "Shared with the SMT"),
            ],
            start=1,
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
        portal.team_links.register(
            TeamLink(
                "protocols",
                "Linking protocols",
                "barriers:team-protocols",
                "meetings.read_protocols",
                20,
            )
        )
        agenda_offers.register(
            AgendaOffer("smt-barriers", "Barriers waiting with the SMT", barriers_at_smt_for, 20)
        )
        agenda_offers.register(
            AgendaOffer(
                "smt-shared",
                "Successes and adaptive challenges shared with the SMT",
                shared_for,
                30,
            )
        )
        portal.home_panels.register(PANEL)
        portal.demo_parts.register(DEMO_PART)
        portal.demo_parts.register(CYCLE_DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
        portal.bench_parts.register(CYCLE_BENCH_PART)
        portal.bench_parts.register(LOGINS_PART)
