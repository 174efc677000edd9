from django.apps import AppConfig


class EchangesConfig(AppConfig):
    name = "echanges"
    verbose_name = "Échanges sur les demandes"
