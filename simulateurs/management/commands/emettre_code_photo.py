from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from simulateurs.cabine import emettre_code


class Command(BaseCommand):
    help = "Simulated approved photo booth: take a shot and print its single-use photo code."

    def add_arguments(self, parser):
        parser.add_argument("--nom", required=True)
        parser.add_argument("--prenoms", required=True)
        parser.add_argument(
            "--emis-le",
            help="Date of the shot (YYYY-MM-DD), to make an already expired code for a demo.",
        )

    def handle(self, *args, nom, prenoms, emis_le=None, **options):
        quand = None
        if emis_le:
            try:
                jour = datetime.strptime(emis_le, "%Y-%m-%d").date()
            except ValueError as exc:
                raise CommandError("--emis-le attend une date AAAA-MM-JJ.") from exc
            quand = timezone.make_aware(datetime.combine(jour, time(12)))
        code = emettre_code(nom, prenoms, emis_le=quand)
        self.stdout.write(code.code)
        self.stderr.write(f"Valable jusqu'au {timezone.localtime(code.expire_le):%d/%m/%Y}.")
