from django.apps import AppConfig


class SimulateursConfig(AppConfig):
    """Demo stand-ins for outside services: the approved photo booth and the tax stamp shop."""

    name = "simulateurs"
    verbose_name = "Services simulés"
