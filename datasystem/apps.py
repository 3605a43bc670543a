from django.apps import AppConfig


class DatasystemConfig(AppConfig):
    name = "datasystem"
    verbose_name = "The decision-support data system"

    def ready(self) -> None:
        from meetings.registry import AgendaOffer, Linkable, agenda_offers, linkables
        from teams.freshness import add_topics
        from teams.registry import AuditedKind, NavLink, TeamLink, portal

        from . import rules  # noqa: F401  (the permissions register themselves)

        # Outcome measures, periods and values: moves each time a table's suppression is
        # decided again.
        add_topics("outcomes")
        from .bench import BENCH_PART
        from .demo import DEMO_PART
        from .home import PANEL
        from .models import Administration as Assessment
        from .models import (
            CoachingSession,
            Instrument,
            ItemScore,
            Measure,
            MeasureGroup,
            Period,
            TrainingEvent,
        )
        from .selectors import completed_for_agenda

        portal.nav_links.register(
            NavLink("data", "Data", "datasystem:index", prefixes=("/data/",), order=80)
        )
        for order, (key, label, model) in enumerate(
            [
                ("instruments", "Instruments", Instrument),
                ("assessments", "Assessments", Assessment),
                ("scores", "Assessment scores", ItemScore),
                ("training", "Training events", TrainingEvent),
                ("coaching", "Coaching sessions", CoachingSession),
                # Outcome values are audited too, but never listed here: the history of a
                # value behind few students would show it. Each import is its own record.
                ("measures", "Outcome measures", Measure),
                ("measure-groups", "Outcome measures' student groups", MeasureGroup),
                ("periods", "Outcome periods", Period),
            ],
            start=200,
        ):
            portal.audited.register(AuditedKind(key, label, model, order=order))
        portal.team_links.register(
            TeamLink(
                "dashboard",
                "Data dashboard",
                "datasystem:team-dashboard",
                "datasystem.read_team_data",
                29,
            )
        )
        portal.team_links.register(
            TeamLink(
                "data", "Data and assessments", "datasystem:team", "datasystem.read_team_data", 30
            )
        )
        # Action items come from an assessment item (its score), and a meeting's agenda or
        # a decision's evidence may cite a completed assessment.
        linkables.register(Linkable("assessment-item", ItemScore, "Assessment item", order=60))
        linkables.register(Linkable("assessment", Assessment, "Assessment", order=61))
        agenda_offers.register(
            AgendaOffer("assessments", "Assessments to review", completed_for_agenda, order=60)
        )
        portal.home_panels.register(PANEL)
        portal.demo_parts.register(DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
