"""Benchmark, run by hand: N complete first inscriptions filed over HTTP, C at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/depot.py [--demandes 300] [--concurrence 8] [--port 19620]

It creates a throwaway database (<name of DATABASE_URL>_bench_depot), migrates it, creates N
candidates with a session each and N codes of the simulated photo booth (outside the
measure: the candidate took the photo beforehand), then serves the portal in production mode
(DJANGO_DEBUG=0, the real settings; gunicorn, 2 workers as bench/pages.py, sync by default,
gthread with --threads). C threads, each with its own HTTP connection (Connexion, lean), walk every
candidate through the wizard as a browser does: each step's page (GET, its CSRF token), its
form (POST), the redirect followed; the photo step enters the code, shows the photo and
signature (their two images are loaded) and confirms them; the pieces step uploads a JPEG
(identity) and a PDF (proof of address) in one form; the recap is submitted and the
confirmation page shown. Stylesheets and scripts are not loaded (a browser has them cached).

Submitting queues the récépissé and the notifications on commit. They go to the Celery
broker of REDIS_URL; no worker runs unless --worker is given (one `celery worker -c 1` then
shares the machine), and the queue is purged at the end. The uploads are scanned by clamd
when PERMIS_CLAMAV_URL is set in the environment, not otherwise (the output says which).

Prints submissions per second (N over the wall time of the whole run), the CPU milliseconds
one submission cost the portal's gunicorn, the bench database's PostgreSQL backends, Redis and
this script's client threads (read from /proc as bench/pages.py --cpu does: the client shares
the 2 cores), and, per step, the count, p50 and p95 of its requests. A few submissions warm
the workers up before the measure. The database is dropped at the end.

    <the environment of bench/profil.py> .venv/bin/python bench/depot.py --en-processus \
        [--demandes 20] [--profil 60]

walks the same filings through Django's test client in this process instead, on the database
of DATABASE_URL (the demo loaded, static files collected, REDIS_URL as in production, with
CELERY_BROKER_URL=memory:// when the cache has no Redis database of its own: production mode
refuses the cache on the broker's): it prints each step's CPU time (`process_time`, less
sensitive to the machine's load than wall times, still ±30 % on a loaded machine) and
queries, the CPU of one whole filing, then with --profil cProfile's top functions (by CPU;
PROFIL_TRI=tottime for their own time, PROFIL_FICHIER=<path> to keep the profile) over as many more filings (--etape "pieces (POST)":
that step's requests only), and their number of Python calls (the same whatever the load: compare those). The candidates it creates, their requests
and the tasks queued are removed at the end. BENCH_SQL=1 prints each step's queries.
"""

import argparse
import contextlib
import io
import json
import os
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

# bench/pages.py, next to this script (whose directory Python puts first on sys.path).
from pages import (
    PYTHON,
    RACINE,
    attendre,
    base_jetable,
    cpu_pendant,
    environnement_production,
    executer_sql,
    gunicorn,
)
from PIL import Image
from pypdf import PdfWriter
from urllib3 import encode_multipart_formdata

sys.path.insert(0, str(RACINE))
from demandes.exemple import ADRESSE, ETAT_CIVIL  # noqa: E402 - plain data, no Django needed

CELERY = str(Path(PYTHON).with_name("celery"))

# The candidates and their photo codes, made by a Django shell on the bench database.
PREPARATION = r"""
import json, os
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.test import Client
from accounts.enums import Role
from accounts.models import User
from simulateurs.cabine import emettre_code

n = int(os.environ["BENCH_CANDIDATS"])
mot_de_passe = make_password(None)  # unusable: nobody logs in with it, the session is made here
groupe, _ = Group.objects.get_or_create(name=Role.CANDIDAT)
candidats = []
prefixe = os.environ.get("BENCH_PREFIXE", "bench")
for i in range(n):
    user = User(email=f"{prefixe}{i}@exemple.fr", first_name="Camille", last_name="Martin",
                password=mot_de_passe)
    user.save()
    candidats.append(user)
User.groups.through.objects.bulk_create(
    [User.groups.through(user_id=u.pk, group_id=groupe.pk) for u in candidats]
)
sortie = []
for user in candidats:
    client = Client()
    client.force_login(user)
    sortie.append({
        "session": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        "code": emettre_code("Martin", "Camille").code,
    })
print(json.dumps(sortie))
"""

FORMULAIRE = "application/x-www-form-urlencoded"
JETON = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def jpeg() -> bytes:
    sortie = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 30, 30)).save(sortie, "JPEG")
    return sortie.getvalue()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    sortie = io.BytesIO()
    writer.write(sortie)
    return sortie.getvalue()


class EchecEtape(Exception):
    pass


class Reponse:
    """What a step reads of an answer: its status, headers and body."""

    def __init__(self, status_code: int, headers: "Entetes", content: bytes):
        self.status_code = status_code
        self.headers = headers
        self.content = content


class Entetes(dict):
    """An answer's headers by lower-case name, each a list of its values in order."""

    def __getitem__(self, nom: str) -> str:
        return super().__getitem__(nom.lower())[0]

    def get_all(self, nom: str) -> list[str]:
        return self.get(nom.lower(), [])


class Connexion:
    """One HTTP/1.1 client connection, as lean as a load generator's (wrk's, in bench/pages.py).

    On the 2 cores the client shares with the portal, requests' own work (adapters, cookie
    jar, hooks) cost about 1.6 ms of CPU a request, a quarter of the machine at 16 filings/s,
    and http.client's (headers parsed by the email package) about 0.35 ms: here a request is
    one write, its answer read through the socket's buffered file (C's readline and read):
    the status line, the headers, then a body of Content-Length bytes, chunked, or up to the
    close. The connection is kept while the server keeps it (gthread), opened again after
    it closed it (gunicorn's sync workers close every one)."""

    def __init__(self, hote: str, port: int, delai: float = 60):
        self.adresse, self.delai = (hote, port), delai
        self.hote = f"{hote}:{port}".encode()
        self.socket = self.lecteur = None

    def fermer(self) -> None:
        if self.lecteur is not None:
            self.lecteur.close()
            self.socket.close()
        self.socket = self.lecteur = None

    def echanger(self, methode: str, chemin: str, entetes: dict, corps: bytes | None) -> Reponse:
        if self.socket is None:
            self.socket = socket.create_connection(self.adresse, self.delai)
            self.lecteur = self.socket.makefile("rb")
        tete = [b"%s %s HTTP/1.1" % (methode.encode(), chemin.encode()), b"Host: " + self.hote]
        tete += [f"{nom}: {valeur}".encode("latin-1") for nom, valeur in entetes.items()]
        if corps is not None:
            tete.append(b"Content-Length: %d" % len(corps))
        self.socket.sendall(b"\r\n".join(tete) + b"\r\n\r\n" + (corps or b""))
        lecteur = self.lecteur
        ligne = lecteur.readline()
        if not ligne:
            raise ConnectionError("the server closed the connection without answering")
        statut = int(ligne.split(b" ", 2)[1])
        recues = Entetes()
        while (ligne := lecteur.readline()) not in (b"\r\n", b""):
            nom, _, valeur = ligne.decode("latin-1").partition(":")
            recues.setdefault(nom.lower(), []).append(valeur.strip())
        if "content-length" in recues:
            contenu = lecteur.read(int(recues["content-length"]))
        elif recues.get("transfer-encoding") == ["chunked"]:
            morceaux = []
            while taille := int(lecteur.readline().split(b";")[0], 16):
                morceaux.append(lecteur.read(taille))
                lecteur.readline()
            while lecteur.readline() not in (b"\r\n", b""):  # trailers
                pass
            contenu = b"".join(morceaux)
        else:
            contenu = lecteur.read()
            recues["connection"] = ["close"]
        if recues.get("connection") == ["close"]:
            self.fermer()
        return Reponse(statut, recues, contenu)


class Navigateur:
    """One candidate's browser: its connection, its cookies, each request timed.

    The portal's cookies are `Secure` (production) and the bench speaks plain HTTP on the
    loopback, where a browser would not send them back: they are kept here instead."""

    def __init__(self, connexion: Connexion, mesures: dict, verrou):
        self.http = connexion
        self.cookies: dict[str, str] = {}
        self.mesures = mesures
        self.verrou = verrou
        self.jeton = ""

    def _garder_cookies(self, entetes) -> None:
        for entete in entetes.get_all("Set-Cookie") or ():
            biscuit = SimpleCookie()
            biscuit.load(entete)
            for nom, morsel in biscuit.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(nom, None)
                else:
                    self.cookies[nom] = morsel.value

    def requete(self, etape: str, methode: str, chemin: str, attendu: int, data=None, files=None):
        entetes = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        corps = None
        if files:  # multipart/form-data, as a browser sends a form with files
            corps, entetes["Content-Type"] = encode_multipart_formdata({**data, **files})
        elif data is not None:
            corps = urlencode(data, doseq=True).encode()
            entetes["Content-Type"] = FORMULAIRE
        debut = time.perf_counter()
        reponse = self.http.echanger(methode, chemin, entetes, corps)
        duree = time.perf_counter() - debut
        self._garder_cookies(reponse.headers)
        with self.verrou:
            self.mesures[etape].append(duree)
        if reponse.status_code != attendu:
            raise EchecEtape(f"{etape}: HTTP {reponse.status_code} (attendu {attendu})")
        if methode == "GET" and attendu == 200 and "html" in reponse.headers["Content-Type"]:
            trouve = JETON.search(reponse.content)
            if trouve:
                self.jeton = trouve.group(1).decode()
        return reponse

    def page(self, etape: str, chemin: str):
        return self.requete(f"{etape} (GET)", "GET", chemin, 200)

    def formulaire(self, etape: str, chemin: str, donnees: dict, **kwargs) -> str:
        """Post a form that must validate; returns where the portal redirects."""
        reponse = self.requete(
            f"{etape} (POST)",
            "POST",
            chemin,
            302,
            data={"csrfmiddlewaretoken": self.jeton, **donnees},
            **kwargs,
        )
        return urlsplit(reponse.headers["Location"]).path


def deposer(navigateur: Navigateur, candidat: dict, fichiers: dict) -> None:
    """One first inscription, from « Nouvelle demande » to the confirmation page."""
    nom, valeur = candidat["session"].split("=", 1)
    navigateur.cookies = {nom: valeur}
    navigateur.page("motif", "/demandes/nouvelle/")
    suivante = navigateur.formulaire(
        "motif", "/demandes/nouvelle/", {"motif": "inscription_premiere", "categories": ["B"]}
    )
    numero = suivante.split("/")[2]
    etape = f"/demandes/{numero}/etape/"
    attendues = [
        ("etat-civil", ETAT_CIVIL),
        ("adresse", {**ADRESSE, "email": f"{numero.lower()}@exemple.fr"}),
    ]
    for slug, donnees in attendues:
        if suivante != f"{etape}{slug}/":
            raise EchecEtape(f"{slug}: redirigé vers {suivante}")
        navigateur.page(slug, suivante)
        suivante = navigateur.formulaire(slug, suivante, donnees)
    if suivante != f"{etape}photo/":
        raise EchecEtape(f"photo: redirigé vers {suivante}")
    navigateur.page("photo", suivante)
    navigateur.formulaire(
        "photo, code", suivante, {"action": "code", "code_photo": candidat["code"]}
    )
    navigateur.page("photo, code", suivante)
    navigateur.requete("photo.jpg (GET)", "GET", f"/demandes/{numero}/photo.jpg", 200)
    navigateur.requete("signature.png (GET)", "GET", f"/demandes/{numero}/signature.png", 200)
    suivante = navigateur.formulaire(
        "photo, confirmation", suivante, {"action": "confirmer", "confirme": "on"}
    )
    if suivante != f"{etape}pieces/":
        raise EchecEtape(f"pieces: redirigé vers {suivante}")
    navigateur.page("pieces", suivante)
    suivante = navigateur.formulaire("pieces", suivante, {}, files=fichiers)
    if suivante != f"{etape}recapitulatif/":
        raise EchecEtape(f"recapitulatif: redirigé vers {suivante}")
    navigateur.page("recapitulatif", suivante)
    suivante = navigateur.formulaire("recapitulatif", suivante, {"attestation": "on"})
    navigateur.page("confirmation", suivante)


def cpu_du_client() -> float:
    """CPU seconds of this process: the client's threads, the only ones running meanwhile."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def quantile(valeurs: list[float], q: float) -> float:
    if len(valeurs) < 2:
        return valeurs[0] if valeurs else float("nan")
    return statistics.quantiles(valeurs, n=100, method="inclusive")[int(q * 100) - 1]


def lancer(candidats, base: str, concurrence: int, fichiers: dict):
    """Walk every candidate, `concurrence` at a time; (measures per step, failures, seconds)."""
    mesures: dict[str, list[float]] = defaultdict(list)
    echecs: list[str] = []
    verrou = threading.Lock()
    local = threading.local()
    hote, port = urlsplit(base).hostname, urlsplit(base).port

    def un(candidat):
        if not hasattr(local, "connexion"):
            local.connexion = Connexion(hote, port)
        navigateur = Navigateur(local.connexion, mesures, verrou)
        try:
            deposer(navigateur, candidat, fichiers)
        except (EchecEtape, OSError, ValueError) as exc:
            local.connexion.fermer()  # a half-read answer must not be read by the next
            with verrou:
                echecs.append(str(exc))
            return False
        return True

    debut = time.perf_counter()
    with ThreadPoolExecutor(concurrence) as pool:
        reussis = sum(pool.map(un, candidats))
    return mesures, echecs, reussis, time.perf_counter() - debut


class NavigateurDjango(Navigateur):
    """The same walk through Django's test client, in this process: each request's CPU time
    (`process_time`) and number of queries are recorded instead of its wall time."""

    def __init__(self, client, mesures: dict, profil=None, etape_profilee: str = ""):
        self.client = client
        super().__init__(None, mesures, contextlib.nullcontext())
        self.requetes_sql = 0
        # --etape: cProfile around that step's requests only.
        self.profil = profil
        self.etape_profilee = etape_profilee

    @property
    def cookies(self):
        return self.client.cookies

    @cookies.setter
    def cookies(self, valeurs: dict) -> None:
        for nom, valeur in valeurs.items():
            self.client.cookies[nom] = valeur

    def _compter(self, execute, sql, params, many, context):
        self.requetes_sql += 1
        if os.environ.get("BENCH_SQL"):
            print("   SQL", sql[:300])
        return execute(sql, params, many, context)

    def requete(self, etape, methode, chemin, attendu, data=None, files=None):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        donnees = dict(data or {})
        for champ, (nom, contenu, type_mime) in (files or {}).items():
            donnees[champ] = SimpleUploadedFile(nom, contenu, content_type=type_mime)
        self.requetes_sql = 0
        if os.environ.get("BENCH_SQL"):
            print("STEP", etape)
        profil = self.profil if self.profil and etape == self.etape_profilee else None
        with connection.execute_wrapper(self._compter):
            debut = time.process_time()
            if profil:
                profil.enable()
            if methode == "GET":
                reponse = self.client.get(chemin)
            elif files:
                reponse = self.client.post(chemin, donnees)
            else:  # as a browser posts a form without files (the test client's is multipart)
                reponse = self.client.post(
                    chemin, urlencode(donnees, doseq=True), content_type=FORMULAIRE
                )
            if profil:
                profil.disable()
            cpu = time.process_time() - debut
        self.mesures[etape].append((cpu, self.requetes_sql))
        if reponse.status_code != attendu:
            raise EchecEtape(f"{etape}: HTTP {reponse.status_code} (attendu {attendu})")
        if methode == "GET" and attendu == 200 and "html" in reponse.headers["Content-Type"]:
            trouve = JETON.search(reponse.content)
            if trouve:
                self.jeton = trouve.group(1).decode()
        return reponse


def en_processus(demandes: int, echauffement: int, lignes: int, etape_profilee: str = "") -> None:
    """--en-processus: the walk through Django's test client on DATABASE_URL (a database with
    the demo, as bench/profil.py; its environment), CPU and queries per step, then cProfile."""
    import cProfile
    import pstats

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from demandes.models import Demande
    from permis.celery import app
    from simulateurs.models import CodePhoto

    prefixe = f"bench-processus-{secrets.token_hex(4)}-"
    total = echauffement + demandes + (demandes if lignes else 0)
    sortie = io.StringIO()
    with contextlib.redirect_stdout(sortie):
        os.environ["BENCH_CANDIDATS"], os.environ["BENCH_PREFIXE"] = str(total), prefixe
        exec(PREPARATION, {"__name__": "preparation"})  # noqa: S102 - our own script
    candidats = json.loads(sortie.getvalue().strip().splitlines()[-1])
    fichiers = {
        "identite": ("identite.jpg", jpeg(), "image/jpeg"),
        "domicile": ("domicile.pdf", pdf(), "application/pdf"),
    }
    hote = os.environ.get("DJANGO_ALLOWED_HOSTS", "testserver").split(",")[0]

    # One client for all, as a worker serves many candidates: each new one would load the
    # middleware again (WhiteNoise reads every static file then).
    client = Client(HTTP_HOST=hote)

    def lancer_ici(lot, profil=None) -> dict:
        mesures: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for candidat in lot:
            client.cookies.clear()
            deposer(NavigateurDjango(client, mesures, profil, etape_profilee), candidat, fichiers)
        return mesures

    try:
        lancer_ici(candidats[:echauffement])
        mesures = lancer_ici(candidats[echauffement : echauffement + demandes])
        antivirus = os.environ.get("PERMIS_CLAMAV_URL") or "unset: no scan"
        print(
            f"\n{demandes} first inscriptions in process (Django's test client), after "
            f"{echauffement} unmeasured; PERMIS_CLAMAV_URL {antivirus}.\n"
        )
        print(f"{'step':<28}{'requests':>9}{'CPU ms':>9}{'queries':>9}")
        cpu_total = requetes_total = 0.0
        for etape, valeurs in mesures.items():
            cpu = sum(v[0] for v in valeurs) / demandes
            requetes = sum(v[1] for v in valeurs) / demandes
            cpu_total += cpu
            requetes_total += requetes
            print(
                f"{etape:<28}{len(valeurs):>9}{cpu / (len(valeurs) / demandes) * 1000:>9.1f}"
                f"{requetes / (len(valeurs) / demandes):>9.1f}"
            )
        print(
            f"\nOne filing: {cpu_total * 1000:.0f} ms CPU, {requetes_total:.0f} queries "
            f"(at most {2 / cpu_total:.1f} filings/s on 2 cores)."
        )
        if lignes:
            profil = cProfile.Profile(time.process_time)  # CPU, not waits for the database
            if etape_profilee:
                lancer_ici(candidats[echauffement + demandes :], profil)
            else:
                profil.enable()
                lancer_ici(candidats[echauffement + demandes :])
                profil.disable()
            tri = os.environ.get("PROFIL_TRI", "cumulative")
            pstats.Stats(profil).sort_stats(tri).print_stats(lignes)
            if os.environ.get("PROFIL_FICHIER"):  # for pstats or snakeviz
                profil.dump_stats(os.environ["PROFIL_FICHIER"])
    finally:
        utilisateurs = User.objects.filter(email__startswith=prefixe)
        Demande.objects.filter(candidat__in=utilisateurs).delete()
        CodePhoto.objects.filter(code__in=[c["code"] for c in candidats]).delete()
        utilisateurs.delete()
        app.control.purge()


def main() -> None:
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument(
        "--demandes", type=int, help="submissions measured (300; 20 in process)"
    )
    parametres.add_argument("--concurrence", type=int, default=8, help="candidates at a time")
    parametres.add_argument("--echauffement", type=int, help="unmeasured first (16; 3 in process)")
    parametres.add_argument("--threads", type=int, default=0, help="gunicorn gthread threads")
    parametres.add_argument("--worker", action="store_true", help="run a Celery worker too")
    parametres.add_argument("--port", type=int, default=19620)
    parametres.add_argument(
        "--en-processus", action="store_true", help="CPU per step through the test client"
    )
    parametres.add_argument("--profil", type=int, default=0, help="cProfile lines (in process)")
    parametres.add_argument(
        "--etape", default="", help='with --profil: that step only, e.g. "pieces (POST)"'
    )
    options = parametres.parse_args()
    if options.en_processus:
        en_processus(
            options.demandes or 20, options.echauffement or 3, options.profil, options.etape
        )
        return
    options.demandes = options.demandes or 300
    options.echauffement = 16 if options.echauffement is None else options.echauffement

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (its database is not touched).")
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL (the cache, the sessions and the Celery broker, as in production).")
    bench_url, maintenance_url = base_jetable(database_url, "_bench_depot")
    nom_base = urlsplit(bench_url).path.lstrip("/")
    var = Path(tempfile.mkdtemp(prefix="bench-depot-"))
    prefixe = f"bench-depot-{secrets.token_hex(4)}"
    env = environnement_production(
        bench_url,
        var,
        CACHE_KEY_PREFIX=prefixe,  # this run's sessions and rate limits, removed at the end
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    antivirus = (
        f"clamd at {env['PERMIS_CLAMAV_URL']}"
        if env.get("PERMIS_CLAMAV_URL")
        else "no antivirus scan (PERMIS_CLAMAV_URL unset)"
    )
    executer_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{nom_base}"')
    executer_sql(maintenance_url, f'CREATE DATABASE "{nom_base}"')
    serveurs = []
    try:
        for commande in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([PYTHON, "manage.py", *commande], cwd=RACINE, env=env, check=True)  # noqa: S603
        total = options.echauffement + options.demandes
        sortie = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "shell", "-c", PREPARATION],
            cwd=RACINE,
            env={**env, "BENCH_CANDIDATS": str(total)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        candidats = json.loads(sortie.strip().splitlines()[-1])

        portail = f"http://127.0.0.1:{options.port}"
        serveurs.append(
            gunicorn("permis.wsgi", options.port, env, var / "portail.log", options.threads)
        )
        if options.worker:
            serveurs.append(
                subprocess.Popen(  # noqa: S603
                    [CELERY, "-A", "permis", "worker", "-c", "1", "-l", "WARNING"],
                    cwd=RACINE,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=open(var / "worker.log", "w"),  # noqa: SIM115
                )
            )
        attendre(portail + "/", serveurs[0])
        fichiers = {
            "identite": ("identite.jpg", jpeg(), "image/jpeg"),
            "domicile": ("domicile.pdf", pdf(), "application/pdf"),
        }
        _, echecs_echauffement, _, _ = lancer(
            candidats[: options.echauffement], portail, options.concurrence, fichiers
        )
        debut = time.strftime("%H:%M:%S")
        charge_avant = os.getloadavg()
        (mesures, echecs, reussis, duree), groupes = cpu_pendant(
            lambda: lancer(
                candidats[options.echauffement :], portail, options.concurrence, fichiers
            ),
            serveurs[0].pid,
            nom_base,
            cpu_du_client,
        )
        charge_apres = os.getloadavg()

        serveur = f"gthread, {options.threads} threads" if options.threads else "sync"
        taches = "a Celery worker (-c 1) running" if options.worker else "no worker running"
        print(
            f"\n{options.demandes} first inscriptions, {options.concurrence} at a time, after "
            f"{options.echauffement} unmeasured; gunicorn -w 2 ({serveur}), DJANGO_DEBUG=0, "
            f"PostgreSQL, Redis cache and sessions; tasks queued to the broker with {taches}; "
            f"{antivirus}. Started {debut}, load average {charge_avant[0]:.1f} before, "
            f"{charge_apres[0]:.1f} after."
        )
        print(
            f"\n{reussis} submitted in {duree:.1f} s: {reussis / duree:.1f} submissions/s "
            f"({sum(len(v) for v in mesures.values()) / duree:.0f} requests/s); "
            f"{len(echecs)} failed.\n"
        )
        # The machine's 2 cores are shared by the client too: what each part costs per filing.
        par_depot = {groupe: s * 1000 / max(reussis, 1) for groupe, s in groupes.items()}
        print(
            "CPU ms per submission: "
            + ", ".join(
                f"{'client' if groupe == 'wrk' else groupe} {ms:.1f}"
                for groupe, ms in par_depot.items()
            )
            + f" (total {sum(par_depot.values()):.1f}; the client is this script's threads, "
            "the rest the kernel and the machine's other processes, a Celery worker included)\n"
        )
        print(f"{'step':<28}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}")
        for etape, durees in mesures.items():
            print(
                f"{etape:<28}{len(durees):>9}{quantile(durees, 0.5) * 1000:>9.1f}"
                f"{quantile(durees, 0.95) * 1000:>9.1f}"
            )
        for echec in sorted(set(echecs_echauffement + echecs))[:10]:
            print("failure:", echec)
    finally:
        for serveur in serveurs:
            serveur.terminate()
        for serveur in serveurs:
            serveur.wait(timeout=60)
        nettoyer(env, prefixe)
        executer_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{nom_base}"')


def nettoyer(env: dict, prefixe: str) -> None:
    """Purge the tasks this run queued and remove its cache keys (sessions, rate limits)."""
    subprocess.run(  # noqa: S603
        [CELERY, "-A", "permis", "purge", "-f"],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    import redis

    connexion = redis.Redis.from_url(env.get("CACHE_URL") or env["REDIS_URL"])
    for cle in connexion.scan_iter(f"{prefixe}:*", count=1000):
        connexion.delete(cle)


if __name__ == "__main__":
    main()
