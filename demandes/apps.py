from django.apps import AppConfig


class DemandesConfig(AppConfig):
    name = "demandes"
    verbose_name = "Demandes de permis"

    def ready(self):
        from demandes import antivirus  # noqa: F401 - registers its deployment check
