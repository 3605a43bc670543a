from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives, alignment and innovation selection"

    def ready(self) -> None:
        from teams.registry import NavLink, portal

        portal.nav_links.register(
            NavLink(
                "initiatives",
                "Initiatives",
                "initiatives:index",
                prefixes=("/initiatives/",),
                order=70,
            )
        )
