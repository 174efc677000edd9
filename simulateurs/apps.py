from django.apps import AppConfig


class SimulateursConfig(AppConfig):
    """Stand-ins for the outside services: the approved photo booth, the tax stamp shop, the SMS
    gateway, the print centre and the post office (docs/services.md)."""

    name = "simulateurs"
    verbose_name = "Services simulés"
