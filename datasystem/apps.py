from django.apps import AppConfig


class DatasystemConfig(AppConfig):
    name = "datasystem"
    verbose_name = "The decision-support data system"

    def ready(self) -> None:
        from teams.registry import NavLink, portal

        portal.nav_links.register(
            NavLink("data", "Data", "datasystem:index", prefixes=("/data/",), order=80)
        )
