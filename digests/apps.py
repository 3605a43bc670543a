from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Notifications, reminders and the CSSO's monthly digest"

    def ready(self) -> None:
        from django.db.models import Exists, OuterRef

        from teams.registry import AuditedKind, NavLink, PersonFigure, SettingsLink, portal

        from . import rules  # noqa: F401  (the permissions register themselves)
        from .bench import BENCH_JOB, BENCH_PART
        from .demo import DEMO_PART
        from .models import Digest, DigestRecipient, ReminderSettings
        from .selectors import unread_count

        # Read with the person on every page, in the query that loads them.
        portal.person_figures.register(PersonFigure("unread_notifications", unread_count))
        portal.person_figures.register(
            PersonFigure(
                "receives_digest",
                lambda: Exists(DigestRecipient.objects.filter(person=OuterRef("pk"))),
            )
        )
        portal.nav_links.register(
            NavLink(
                "digests",
                "Digest",
                "digests:archive",
                prefixes=("/digests/",),
                perm="digests.read_digests",
                order=85,
            )
        )
        portal.nav_links.register(
            NavLink(
                "notifications",
                "Notifications",
                "digests:notifications",
                prefixes=("/notifications/",),
                place="person",
                badge=lambda request: getattr(request.user, "unread_notifications", 0),
                badge_label="unread",
                icon="bell",
            )
        )
        portal.settings_links.register(
            SettingsLink("notifications", "Notifications and digest", "digests:settings")
        )
        for order, (key, label, model) in enumerate(
            [
                ("reminder-settings", "Reminder settings", ReminderSettings),
                ("digest-recipients", "Digest recipients", DigestRecipient),
                ("digests", "Monthly digests", Digest),
            ],
            start=300,
        ):
            portal.audited.register(AuditedKind(key, label, model, order=order))
        portal.demo_parts.register(DEMO_PART)
        portal.bench_parts.register(BENCH_PART)
        portal.worker_jobs.register(BENCH_JOB)
