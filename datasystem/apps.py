from django.apps import AppConfig


class DatasystemConfig(AppConfig):
    name = "datasystem"
    verbose_name = "The decision-support data system"

    def ready(self) -> None:
        from teams.registry import AuditedKind, NavLink, portal

        from . import rules  # noqa: F401  (the permissions register themselves)
        from .bench import BENCH_PART
        from .demo import DEMO_PART
        from .models import Administration as Assessment
        from .models import CoachingSession, Instrument, ItemScore, TrainingEvent

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
            ],
            start=200,
        ):
            portal.audited.register(AuditedKind(key, label, model, order=order))
        portal.demo_parts.register(DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
