import logging

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

logger = logging.getLogger("permis")

AVERTISSEMENT_DEMO = (
    "PERMIS_DEMO=1 IN PRODUCTION MODE: the demo accounts, whose passwords are published in "
    "the README (the administrator's included), can be loaded and the simulated outside "
    "services are open. Never on a portal that serves the public: set PERMIS_DEMO=0."
)


class PermisConfig(AppConfig):
    name = "permis"
    verbose_name = "Permis en ligne"

    def ready(self):
        from permis import adresses_gardees, fin_de_requete, gabarits, horodatages

        adresses_gardees.installer()
        fin_de_requete.brancher()
        gabarits.installer()
        horodatages.brancher()
        checks.register(verifier_demo, checks.Tags.security, deploy=True)
        from permis import entetes

        checks.register(entetes.verifier_comme_django, checks.Tags.security, deploy=True)
        if not settings.DEBUG and settings.PERMIS_DEMO:
            # Loud on every start of every process (web, worker, beat, manage.py).
            logger.warning("!" * 20 + " " + AVERTISSEMENT_DEMO + " " + "!" * 20)


def verifier_demo(app_configs, **kwargs):
    if settings.PERMIS_DEMO:
        return [checks.Warning(AVERTISSEMENT_DEMO, id="permis.W001")]
    return []
