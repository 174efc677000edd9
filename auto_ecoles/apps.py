from django.apps import AppConfig


class AutoEcolesConfig(AppConfig):
    name = "auto_ecoles"
    verbose_name = "Auto-écoles et mandats"
