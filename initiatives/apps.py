from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives, alignment and innovation selection"

    def ready(self) -> None:
        from meetings.registry import AgendaOffer, Linkable, agenda_offers, linkables
        from teams.freshness import add_topics
        from teams.registry import AuditedKind, NavLink, TeamLink, portal

        from . import models
        from . import rules as _rules  # noqa: F401 - the permissions register on import

        add_topics("stages")  # current stages of implementation (services.stage_record)
        from .bench import BENCH_PART
        from .demo import DEMO_PART
        from .panels import PANELS
        from .selectors import reviews_for_agenda

        portal.nav_links.register(
            NavLink(
                "initiatives",
                "Initiatives",
                "initiatives:index",
                prefixes=("/initiatives/",),
                order=70,
            )
        )
        for order, (key, label, model) in enumerate(
            [
                ("vision", "Vision versions", models.VisionVersion),
                ("goals", "Strategic goals", models.StrategicGoal),
                ("affirmations", "Affirmations", models.Affirmation),
                ("initiatives", "Initiatives", models.Initiative),
                ("funding", "Initiative funding", models.Funding),
                ("alignments", "Goal alignments", models.GoalAlignment),
                ("overlaps", "Initiative overlaps", models.Overlap),
                ("initiative-reviews", "Initiative reviews", models.Review),
                ("stages", "Stages of implementation", models.StageRecord),
                ("protocols", "Selection protocols", models.SelectionProtocol),
                ("indicators", "Selection indicators", models.Indicator),
                ("candidates", "Selection candidates", models.Candidate),
                ("rating-sheets", "Rating sheets", models.RatingSheet),
                ("ratings", "Selection ratings", models.SelectionRating),
                ("inventory-settings", "Inventory settings", models.InventorySettings),
            ],
            start=200,
        ):
            portal.audited.register(AuditedKind(key, label, model, order=order))
        portal.team_links.register(
            TeamLink(
                "innovation-stages",
                "Innovations and stages",
                "initiatives:team-stages",
                perm="initiatives.read",
                order=60,
            )
        )
        # Agendas, decisions' evidence and action items' origins may point at these.
        for order, (key, model, label) in enumerate(
            [
                ("initiative", models.Initiative, "Initiative"),
                ("initiative-review", models.Review, "Initiative review"),
                ("selection-candidate", models.Candidate, "Innovation candidate"),
                ("vision-version", models.VisionVersion, "Vision"),
            ],
            start=60,
        ):
            linkables.register(Linkable(key, model, label, order=order))
        agenda_offers.register(
            AgendaOffer(
                "initiative-reviews-due",
                "Initiative reviews due within 60 days or overdue",
                reviews_for_agenda,
                order=60,
            )
        )
        for panel in PANELS:
            portal.home_panels.register(panel)
        portal.demo_parts.register(DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
