from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and the practice-policy communication cycle"

    def ready(self) -> None:
        from teams.registry import NavLink, portal

        portal.nav_links.register(
            NavLink("meetings", "Meetings", "meetings:index", prefixes=("/meetings/",), order=60)
        )
