"""Profile, run by hand: the CPU one page costs in process, and where it goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a database with the demo> DJANGO_DEBUG=0 \
        DJANGO_SECURE_SSL_REDIRECT=0 \
        DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=testserver PERMIS_DEMO=1 \
        REDIS_URL=redis://127.0.0.1:6379/2 CELERY_BROKER_URL=memory:// \
        .venv/bin/python bench/profil.py candidat@demo.permis.fr /demandes/ [requêtes] [lignes]

The database needs `manage.py migrate`, `charger_demo` and `collectstatic` (production mode
serves the collected files). REDIS_URL as in production (sessions and cache in Redis); the
broker elsewhere, since production mode refuses it on the cache's database.

The page is fetched through Django's test client as the demo account given (`-` for an
anonymous visitor), warmed up, then fetched `requêtes` times (default 200): it prints the
CPU time per request (`process_time`: what the page costs the server, much less sensitive to
the machine's load than wrk's req/s), the number of queries and the CPU the PostgreSQL backends
spent per request (read from /proc: it shares the cores, and each round trip costs it), then, with `lignes` (default
0), cProfile's top functions by cumulative CPU time, database waits left out
(`PROFIL_TRI=tottime` to sort by own time).
`{brouillon}`, `{deposee}`, `{en_instruction}` and `{expedie}` in the path are replaced by
the number of a demo request in that state. bench/pages.py measures the same pages under load.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from demandes.enums import Etat  # noqa: E402
from demandes.models import Demande  # noqa: E402


def cpu_serveur() -> float:
    """CPU seconds used so far by the PostgreSQL backends serving this database.

    The server shares the machine's two cores with the workers, so its CPU per request counts
    against the throughput wrk measures as much as the process's own. Read from /proc: the
    server must run on this machine (it does here); elsewhere 0.
    """
    with connection.cursor() as curseur:
        curseur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [pid for (pid,) in curseur.fetchall()]
    tic = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(champs[11]) + int(champs[12])) / tic  # utime, stime
    return total


def main() -> None:
    compte, chemin = sys.argv[1], sys.argv[2]
    requetes = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    lignes = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    for etat in (Etat.BROUILLON, Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EXPEDIE):
        if "{" + etat.value + "}" in chemin:
            numero = Demande.objects.filter(etat=etat).values_list("numero", flat=True).first()
            chemin = chemin.replace("{" + etat.value + "}", numero)
    client = Client(HTTP_HOST=os.environ.get("DJANGO_ALLOWED_HOSTS", "testserver").split(",")[0])
    if compte != "-":
        client.force_login(User.objects.get(email=compte))
    reponse = client.get(chemin)
    if reponse.status_code != 200:
        sys.exit(f"{chemin}: HTTP {reponse.status_code}")
    for _ in range(20):
        client.get(chemin)
    with CaptureQueriesContext(connection) as requetes_sql:
        client.get(chemin)
    nombre = len(requetes_sql)  # now: the next request's start clears the log it reads
    serveur = cpu_serveur()
    debut = time.process_time()
    for _ in range(requetes):
        client.get(chemin)
    ms = (time.process_time() - debut) / requetes * 1000
    ms_serveur = (cpu_serveur() - serveur) / requetes * 1000
    print(
        f"{chemin}: {ms:.2f} ms CPU per request, {nombre} queries, "
        f"{ms_serveur:.2f} ms CPU of PostgreSQL per request"
    )
    if lignes:
        profil = cProfile.Profile(time.process_time)
        profil.enable()
        for _ in range(requetes):
            client.get(chemin)
        profil.disable()
        tri = os.environ.get("PROFIL_TRI", "cumulative")
        pstats.Stats(profil).sort_stats(tri).print_stats(lignes)


if __name__ == "__main__":
    main()
