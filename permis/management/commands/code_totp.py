"""Print the current TOTP code of a demo staff account (demo mode only).

The demo's agents and administrator have a second factor whose key charger_demo prints;
this saves reaching for a phone when trying the portal locally.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from permis.management.commands.charger_demo import COMPTES


class Command(BaseCommand):
    help = "Affiche le code TOTP du moment d'un compte agent ou administrateur de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        from allauth.mfa import app_settings
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
        from allauth.mfa.utils import decrypt

        if not settings.PERMIS_DEMO:
            raise CommandError("Seulement en mode démonstration (PERMIS_DEMO).")
        if email not in {compte[0] for compte in COMPTES}:
            raise CommandError("Seulement pour les comptes de démonstration (charger_demo).")
        totp = Authenticator.objects.filter(
            user__in=User.objects.filter(email=email), type=Authenticator.Type.TOTP
        ).first()
        if totp is None:
            raise CommandError("Ce compte n'a pas de double authentification.")
        secret = decrypt(totp.data["secret"])
        compteur = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, compteur)))
