"""Benchmark, run by hand: the back-office queue, search and backlog as the table grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/file_attente.py

It builds a throwaway database (<name of DATABASE_URL>_bench_file), fills it with 10,000, then
100,000, then 1,000,000 submitted requests (bulk-loaded by one INSERT ... SELECT over
generate_series, then ANALYZE), and times each page (p95 and median of several runs, through
Django's test client: the whole view and template) against a baseline measured in the same run
on the same data: a plain COUNT(*) of the requests. It prints the p95 in ms, its ratio to the
baseline, and at the largest size the query plans of the queue, the searches and the backlog.
Pass sizes as arguments to change them (e.g. `bench/file_attente.py 10000 100000`).

With `--garder`, the database is kept at the end and found again by the next run (migrated,
then filled only up to the sizes asked beyond what it holds): a million rows take minutes to
load and index, the measures seconds. Sizes below what it holds are skipped; a database
per size (another DATABASE_URL name) keeps each one.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")

import django  # noqa: E402

django.setup()

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from demandes.enums import Etat, Motif  # noqa: E402
from demandes.models import Demande  # noqa: E402
from demandes.numeros import nouveau_numero  # noqa: E402
from instruction import queries  # noqa: E402

GARDER = "--garder" in sys.argv[1:]
TAILLES = [int(t) for t in sys.argv[1:] if t != "--garder"] or [10_000, 100_000, 1_000_000]
ESSAIS = 21
DEPARTEMENTS = ["69", "34", "75", "13", "2A", "974", "59", "33", "31", "06"]
ETATS = [Etat.DEPOSEE, Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION, Etat.ACCEPTEE, Etat.REJETEE]
MOTIFS = list(Motif)
PRENOMS = ["Camille", "Léa", "Hugo", "Louise", "Jules", "Inès", "Adam", "Chloé"]
# Varying columns, as SQL over i (the row number); the others take the model's defaults.
VARIABLES = {
    # Shaped like a real number (XXXX-XXXX-XXXX, as the URLs require), never a valid one.
    "numero": "regexp_replace('B' || lpad(i::text, 11, '0'), '(.{4})(.{4})(.{4})', '\\1-\\2-\\3')",
    "etat": "{etats}[1 + i %% {n_etats}]",
    # Not i %% 10: with the state's i %% 5, each département would hold two states only
    # (the Rhône's instruction queue empty).
    "departement": "{departements}[1 + (i / 5) %% {n_departements}]",
    "motif": "{motifs}[1 + (i / 7) %% {n_motifs}]",
    "nom_naissance": "'NOM' || i",
    "prenoms": "{prenoms}[1 + i %% {n_prenoms}]",
    "neph": "lpad(i::text, 12, '0')",
    "deposee_le": "now() - (i %% 90) * interval '1 day' - i * interval '1 second'",
    "decidee_le": "CASE WHEN i %% 5 >= 3 THEN now() - (i %% 90) * interval '1 day' "
    "+ (1 + i %% 400) * interval '1 hour' END",
}


def remplir(jusqu_a: int, candidat: User) -> None:
    """Bring the table to `jusqu_a` requests with one INSERT ... SELECT, then ANALYZE."""
    debut = Demande.objects.count()
    if debut >= jusqu_a:
        return
    modele = Demande(candidat=candidat, categories=["B"], prenoms="", cree_le=timezone.now())
    colonnes, valeurs, parametres = [], [], []
    for champ in Demande._meta.concrete_fields:
        if champ.primary_key:
            continue
        colonnes.append(connection.ops.quote_name(champ.column))
        if champ.name in VARIABLES:
            valeurs.append(VARIABLES[champ.name])
        else:
            valeur = champ.pre_save(modele, add=True)
            valeurs.append("%s")
            parametres.append(champ.get_db_prep_save(valeur, connection))
    tableaux = {
        "etats": ETATS,
        "departements": DEPARTEMENTS,
        "motifs": MOTIFS,
        "prenoms": PRENOMS,
    }
    select = ", ".join(valeurs)
    for nom, liste in tableaux.items():
        tableau = "(ARRAY[" + ", ".join(f"'{v}'" for v in liste) + "]::text[])"
        select = select.replace(f"{{n_{nom}}}", str(len(liste))).replace(f"{{{nom}}}", tableau)
    sql = (
        f"INSERT INTO {Demande._meta.db_table} ({', '.join(colonnes)}) "
        f"SELECT {select} FROM generate_series(%s::bigint, %s::bigint) AS i"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parametres, debut + 1, jusqu_a])
        cursor.execute("VACUUM ANALYZE " + Demande._meta.db_table)


def mesurer(action) -> tuple[float, float]:
    """(p95, median) in seconds over ESSAIS runs, after a warm-up."""
    action()
    durees = []
    for _ in range(ESSAIS):
        debut = time.perf_counter()
        action()
        durees.append(time.perf_counter() - debut)
    durees.sort()
    return durees[int(len(durees) * 0.95)], statistics.median(durees)


def plans(client, user, url, params) -> list[str]:
    """EXPLAIN ANALYZE of the queries a page runs, cold (the longest first)."""
    queries.oublier(user)
    with CaptureQueriesContext(connection) as requetes:
        client.get(url, params)
    sorties = []
    with connection.cursor() as cursor:
        for requete in requetes.captured_queries:
            sql = requete["sql"]
            if not sql.lstrip(" (").upper().startswith("SELECT") or "django_session" in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) " + sql)
            plan = [ligne for (ligne,) in cursor.fetchall()]
            sorties.append((float(plan[-1].split()[-2]), sql, plan))
    sorties.sort(key=lambda s: -s[0])
    return [f"{sql[:300]}\n    " + "\n    ".join(plan) for _, sql, plan in sorties[:3]]


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server.")
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_bench_file"
    nom = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=GARDER)
    try:
        candidat, _ = User.objects.get_or_create(email="bench@exemple.fr")
        agent, nouvel_agent = User.objects.get_or_create(email="ctn@exemple.fr")
        agent.ajouter_role(Role.AGENT_CTN)
        instructeur, _ = User.objects.get_or_create(email="ddt@exemple.fr", departement="69")
        instructeur.ajouter_role(Role.INSTRUCTEUR_DDT)
        # Staff must enrol a second factor before the back-office (accounts/double_facteur.py).
        for personnel in (agent, instructeur) if nouvel_agent else ():
            TOTP.activate(personnel, generate_totp_secret())
            RecoveryCodes.activate(personnel)
        deja = Demande.objects.count()  # what a kept database holds
        TAILLES[:] = [t for t in TAILLES if t >= deja]
        clients = {}
        utilisateurs = {"ctn": agent, "ddt": instructeur}
        for nom_client, user in utilisateurs.items():
            clients[nom_client] = Client()
            clients[nom_client].force_login(user)
        file = reverse("instruction:file")
        # (page, client, url, GET parameters); the searched request is set up at each size.
        cherchee = {"numero": "", "neph": ""}
        pages = {
            "file CTN": ("ctn", file, {}),
            "file CTN, page 40": ("ctn", file, {"page": 40}),
            "file DDT 69, 100/page": ("ddt", file, {"par_page": 100}),
            "recherche n° de demande": ("ctn", file, lambda: {"q": cherchee["numero"]}),
            "recherche NEPH": ("ctn", file, lambda: {"q": cherchee["neph"]}),
            "recherche nom": ("ctn", file, {"q": "NOM12345"}),
            "recherche prénom": ("ctn", file, {"q": "inès"}),
            "pilotage CTN": ("ctn", reverse("instruction:pilotage"), {}),
            "pilotage DDT 69": ("ddt", reverse("instruction:pilotage"), {}),
            # Its cached figures recomputed: the median and this week (every few minutes),
            # or all of them, the 25 past weeks too (once a day).
            "pilotage CTN, recalculé": ("ctn", reverse("instruction:pilotage"), {}),
            "pilotage DDT 69, recalculé": ("ddt", reverse("instruction:pilotage"), {}),
            "pilotage CTN, recalculé à froid": ("ctn", reverse("instruction:pilotage"), {}),
            "pilotage DDT 69, recalculé à froid": ("ddt", reverse("instruction:pilotage"), {}),
        }

        def page(nom_page):
            client, url, params = pages[nom_page]
            params = params() if callable(params) else params

            def visite():
                if "recalculé" not in nom_page:
                    return clients[client].get(url, params)
                queries.oublier(utilisateurs[client], semaines_passees="à froid" in nom_page)
                # Past the figures each process keeps a few seconds (set directly: the
                # setting_changed signal would also drop every kept fragment).
                fraicheur, settings.PERMIS_PILOTAGE_FRAICHEUR = (
                    settings.PERMIS_PILOTAGE_FRAICHEUR,
                    0,
                )
                try:
                    return clients[client].get(url, params)
                finally:
                    settings.PERMIS_PILOTAGE_FRAICHEUR = fraicheur

            return visite

        print(
            f"{'p95, ms (× COUNT(*))':<26}" + "".join(f"{t:>20,}" for t in TAILLES),
            flush=True,
        )
        resultats: dict[str, list[tuple[float, float]]] = {nom_page: [] for nom_page in pages}
        bases = []
        for taille in TAILLES:
            remplir(taille, candidat)
            # A request of the CTN queue with a real number, found by number and by NEPH.
            demande = Demande.objects.filter(etat=Etat.DEPOSEE).order_by("-pk").first()
            Demande.objects.filter(pk=demande.pk).update(numero=nouveau_numero())
            demande = Demande.objects.get(pk=demande.pk)
            cherchee.update(numero=demande.numero.lower().replace("-", " "), neph=demande.neph)
            base = mesurer(lambda: Demande.objects.count())[0]
            bases.append(base)
            for nom_page in pages:
                reponse = page(nom_page)()
                assert reponse.status_code == 200, (nom_page, reponse.status_code)
                if nom_page in {"recherche n° de demande", "recherche NEPH"}:
                    assert demande.numero in reponse.content.decode(), nom_page
                p95, _ = mesurer(page(nom_page))
                resultats[nom_page].append((p95, p95 / base))
        print(f"{'COUNT(*) baseline':<26}" + "".join(f"{b * 1000:>20.1f}" for b in bases))
        for nom_page, mesures in resultats.items():
            print(
                f"{nom_page:<26}"
                + "".join(f"{f'{p * 1000:.1f} (×{r:.2f})':>20}" for p, r in mesures)
            )
        print(
            f"\nQuery plans at {TAILLES[-1]:,} requests (the three longest queries of each page):"
        )
        for nom_page in pages:
            if "recalculé" in nom_page:
                continue  # the plans are always read cold
            client, url, params = pages[nom_page]
            params = params() if callable(params) else params
            print(f"\n=== {nom_page} ===")
            for plan in plans(clients[client], utilisateurs[client], url, params):
                print(plan)
    finally:
        if not GARDER:
            connection.creation.destroy_test_db(nom, verbosity=0)


if __name__ == "__main__":
    main()
