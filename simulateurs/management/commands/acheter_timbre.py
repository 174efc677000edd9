from django.core.management.base import BaseCommand, CommandError

from simulateurs.timbres import MONTANTS, acheter_timbre


class Command(BaseCommand):
    help = "Simulated tax stamp shop: buy a dematerialised stamp and print its 16-digit number."

    def add_arguments(self, parser):
        parser.add_argument("--montant", type=int, default=25, help="Amount in euros (25).")
        parser.add_argument("--email", default="")

    def handle(self, *args, montant, email, **options):
        if montant not in MONTANTS:
            raise CommandError(f"Montants disponibles : {', '.join(map(str, MONTANTS))} €.")
        self.stdout.write(acheter_timbre(montant, email).numero)
