from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives, alignment and innovation selection"

    def ready(self) -> None:
        from teams.registry import AuditedKind, NavLink, portal

        from . import models
        from . import rules as _rules  # noqa: F401 - the permissions register on import
        from .bench import BENCH_PART
        from .demo import DEMO_PART
        from .panels import PANELS

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
        for panel in PANELS:
            portal.home_panels.register(panel)
        portal.demo_parts.register(DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
