from django.apps import AppConfig


class FranceConnectConfig(AppConfig):
    name = "accounts.franceconnect"
    label = "franceconnect"
    verbose_name = "Connexion FranceConnect"

    def ready(self):
        from accounts.franceconnect import receivers  # noqa: F401
