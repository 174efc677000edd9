"""Benchmark, run by hand: the back-office queue and backlog pages as the table grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/file_attente.py

It builds a throwaway database (test_<name>), fills it with 10,000 then 100,000 requests,
and times each page (median of several runs) against a baseline measured in the same run
on the same data: a plain COUNT(*) of the requests. It prints ratios, never absolute
verdicts, so the numbers compare across machines; a page whose ratio grows much faster
than the table is doing per-row work.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from demandes.enums import Etat, Motif  # noqa: E402
from demandes.models import Demande  # noqa: E402
from demandes.numeros import nouveau_numero  # noqa: E402

TAILLES = [10_000, 100_000]
ESSAIS = 7
DEPARTEMENTS = ["69", "34", "75", "13", "2A", "974"]
ETATS = [Etat.DEPOSEE, Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION, Etat.ACCEPTEE, Etat.REJETEE]


def remplir(jusqu_a: int, candidat: User) -> None:
    alea = random.Random(jusqu_a)  # noqa: S311
    maintenant = timezone.now()
    manque = jusqu_a - Demande.objects.count()
    lot = []
    for i in range(manque):
        etat = ETATS[i % len(ETATS)]
        deposee = maintenant - timedelta(days=alea.randint(0, 90), minutes=i)
        lot.append(
            Demande(
                numero=nouveau_numero(),
                candidat=candidat,
                motif=alea.choice(list(Motif)),
                categories=["B"],
                nom_naissance=f"NOM{i}",
                prenoms="Prénom",
                departement=DEPARTEMENTS[i % len(DEPARTEMENTS)],
                etat=etat,
                deposee_le=deposee,
                decidee_le=deposee + timedelta(hours=alea.randint(1, 400))
                if etat in {Etat.ACCEPTEE, Etat.REJETEE}
                else None,
            )
        )
        if len(lot) == 5000:
            Demande.objects.bulk_create(lot)
            lot = []
    Demande.objects.bulk_create(lot)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def mediane(action) -> float:
    action()  # warm-up
    durees = []
    for _ in range(ESSAIS):
        debut = time.perf_counter()
        action()
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees)


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server.")
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    nom = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        candidat = User.objects.create(email="bench@exemple.fr")
        agent = User.objects.create(email="ctn@exemple.fr")
        agent.ajouter_role(Role.AGENT_CTN)
        instructeur = User.objects.create(email="ddt@exemple.fr", departement="69")
        instructeur.ajouter_role(Role.INSTRUCTEUR_DDT)
        clients = {}
        for nom_client, user in [("ctn", agent), ("ddt", instructeur)]:
            clients[nom_client] = Client()
            clients[nom_client].force_login(user)

        pages = {
            "file CTN": lambda: clients["ctn"].get(reverse("instruction:file")),
            "file CTN, recherche": lambda: clients["ctn"].get(
                reverse("instruction:file"), {"q": "NOM123"}
            ),
            "file DDT 69, 100/page": lambda: clients["ddt"].get(
                reverse("instruction:file"), {"par_page": 100}
            ),
            "pilotage": lambda: clients["ctn"].get(reverse("instruction:pilotage")),
        }
        print(f"{'page':<24}" + "".join(f"{t:>16,}" for t in TAILLES) + "   (× COUNT(*) baseline)")
        resultats: dict[str, list[float]] = {nom_page: [] for nom_page in pages}
        bases = []
        for taille in TAILLES:
            remplir(taille, candidat)
            base = mediane(lambda: Demande.objects.count())
            bases.append(base)
            for nom_page, page in pages.items():
                assert page().status_code == 200, nom_page
                resultats[nom_page].append(mediane(page) / base)
        print(f"{'COUNT(*) baseline, ms':<24}" + "".join(f"{b * 1000:>16.2f}" for b in bases))
        for nom_page, ratios in resultats.items():
            croissance = ratios[-1] / ratios[0]
            print(
                f"{nom_page:<24}"
                + "".join(f"{r:>16.1f}" for r in ratios)
                + f"   ×{croissance:.2f} from {TAILLES[0]:,} to {TAILLES[-1]:,} (vs COUNT)"
            )
    finally:
        connection.creation.destroy_test_db(nom, verbosity=0)


if __name__ == "__main__":
    main()
