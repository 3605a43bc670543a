from django.apps import AppConfig


class DatasystemConfig(AppConfig):
    name = "datasystem"
    verbose_name = "The decision-support data system"
