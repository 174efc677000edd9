from django.apps import AppConfig


class FcSimulateurConfig(AppConfig):
    name = "fc_simulateur"
    verbose_name = "Simulateur FranceConnect"
