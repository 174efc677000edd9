"""Benchmark, run by hand: every page of every role against a bare Django project.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/pages.py [--duree 10] [--port 19610] [--pages file,pilotage]

It creates a throwaway database (<name of DATABASE_URL>_bench_pages), migrates it and loads
the demo, then serves the portal in production mode (DJANGO_DEBUG=0) and the bare project of
bench/temoin/ (Django's default middleware, a view returning "ok", a plain 50-row template)
the same way: gunicorn, 2 sync workers, no access log. Each page is loaded by `wrk -t2 -c16`
(Debian package `wrk`) with the session cookie of its role. The bare template page is measured
before the first page, after every --temoin-tous pages and after the last: each page's share is
its req/s over the mean of the two bare runs around it (the machine's speed drifts by a fifth
within minutes, more when it is shared), so the figures compare across machines and loads. With
--cpu, each page's CPU per request is also split by process (the served project's gunicorn, the
PostgreSQL backends of the bench database, the Redis server of REDIS_URL, wrk, the rest): the
whole machine spends 2 cores / req/s per request, and this says who spends it. The rest counts
every other process of a shared machine, so the CPU share (the bare page's own CPU over the
page's, the rest left out) is the steadier figure there. The database is dropped at the end.
"""

import argparse
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RACINE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


@dataclass
class Mesure:
    req_s: float
    p50_ms: float
    p99_ms: float
    erreurs: int
    # With --cpu: CPU milliseconds per request by group (GROUPES_CPU).
    cpu_ms: dict | None = None


def _ms(valeur: str) -> float:
    """wrk's durations: 812.00us, 4.90ms, 1.20s, 1.05m, 1.00h."""
    trouve = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", valeur)
    if trouve is None:
        return float("nan")
    nombre, unite = trouve.groups()
    return float(nombre) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[unite]


def ligne_de_commande(pid: int) -> str:
    """A process's command line (a PostgreSQL backend's names its database), "" once ended."""
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def cpu_par_processus() -> dict[int, tuple[str, int, float]]:
    """{pid: (command name, parent pid, CPU seconds so far)} of every process, from /proc."""
    tic = os.sysconf("SC_CLK_TCK")
    releve = {}
    for dossier in Path("/proc").iterdir():
        if not dossier.name.isdigit():
            continue
        try:
            texte = (dossier / "stat").read_text()
        except OSError:
            continue
        nom = texte[texte.index("(") + 1 : texte.rindex(")")]
        champs = texte[texte.rindex(")") + 2 :].split()
        releve[int(dossier.name)] = (nom, int(champs[1]), (int(champs[11]) + int(champs[12])) / tic)
    return releve


def cpu_machine() -> float:
    """CPU seconds the machine's cores have been busy (user, system, interrupts), /proc/stat."""
    champs = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(c) for c in champs[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


GROUPES_CPU = ("serveur", "postgres", "redis", "wrk", "reste")


def groupe_du_processus(
    pid: int, nom: str, parent: int, serveur: int, base: str, port_redis: int
) -> str | None:
    """The group a process's CPU counts in, None for the rest. Only the backends of the bench
    database and the Redis server of REDIS_URL: on a shared machine the other databases' backends
    and Redis servers work for others (the bare "ok" page, which runs no query, was charged
    0.56 ms of PostgreSQL per request)."""
    if pid == serveur or parent == serveur:
        return "serveur"
    if nom.startswith("postgres") and f" {base} " in ligne_de_commande(pid):
        return "postgres"
    if nom.startswith("redis") and re.search(rf":{port_redis}\b", ligne_de_commande(pid)):
        return "redis"
    return None


def repartition_cpu(
    avant: dict, apres: dict, machine: float, wrk_s: float, serveur: int, base: str, port_redis: int
) -> dict:
    """CPU seconds of a run by group: the measured server's master and workers, the bench
    database's PostgreSQL backends, the Redis server, wrk (its own rusage), and the rest of the
    busy machine (the kernel's network work, other processes)."""
    groupes = dict.fromkeys(GROUPES_CPU, 0.0)
    for pid, (nom, parent, cpu) in apres.items():
        groupe = groupe_du_processus(pid, nom, parent, serveur, base, port_redis)
        if groupe is not None:
            groupes[groupe] += cpu - avant.get(pid, (nom, parent, 0.0))[2]
    groupes["wrk"] = wrk_s
    groupes["reste"] = max(0.0, machine - sum(groupes.values()))
    return groupes


def cpu_pendant(travail, serveur: int, base: str, cpu_du_client) -> tuple:
    """`travail()`'s result and the CPU seconds by group it cost (repartition_cpu), the load
    generator's own read by `cpu_du_client` (seconds so far)."""
    avant, machine, client = cpu_par_processus(), cpu_machine(), cpu_du_client()
    resultat = travail()
    groupes = repartition_cpu(
        avant,
        cpu_par_processus(),
        cpu_machine() - machine,
        cpu_du_client() - client,
        serveur,
        base,
        urlsplit(os.environ.get("REDIS_URL", "")).port or 6379,
    )
    return resultat, groupes


def cpu_propre(mesure: Mesure) -> float:
    """CPU ms per request of the processes serving the page (the rest left out)."""
    return sum(v for g, v in mesure.cpu_ms.items() if g != "reste")


def temoins_voisins(nombre_pages: int, tous: int) -> list[int]:
    """For each page, the index of the bare run before it (the one after it comes next): the
    bare page is measured first, then after every `tous` pages and after the last."""
    return [i // tous for i in range(nombre_pages)]


def cpu_enfants() -> float:
    """CPU seconds of this process's children that have ended (wrk's runs, once reaped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk(url: str, cookie: str, duree: int, connexions: int) -> Mesure:
    commande = [
        "wrk",
        "-t2",
        f"-c{connexions}",
        f"-d{duree}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]
    if cookie:
        commande[1:1] = ["-H", f"Cookie: {cookie}"]
    sortie = subprocess.run(commande, capture_output=True, text=True, check=True).stdout
    erreurs = sum(
        int(n)
        for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", sortie)
        + re.findall(r"Non-2xx or 3xx responses: (\d+)", sortie)
    )
    return Mesure(
        req_s=float(re.search(r"Requests/sec:\s+([\d.]+)", sortie).group(1)),
        # The latency distribution's own lines: "87.50%" in the stdev column also ends in 50%.
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", sortie, re.MULTILINE).group(1)),
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", sortie, re.MULTILINE).group(1)),
        erreurs=erreurs,
    )


def statut(url: str, cookie: str) -> tuple[int, str]:
    """Status and the csrftoken the page sets (a browser would send it back)."""

    class SansRedirection(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    requete = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        reponse = urllib.request.build_opener(SansRedirection).open(requete, timeout=30)
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    jeton = re.search(r"csrftoken=([^;]+)", reponse.headers.get("Set-Cookie", "") or "")
    return reponse.status, jeton.group(1) if jeton else ""


def attendre(url: str, processus: subprocess.Popen) -> None:
    for _ in range(300):
        if processus.poll() is not None:
            sys.exit(f"gunicorn stopped (code {processus.returncode}) before serving {url}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing answers at {url}")


def gunicorn(
    module: str, port: int, env: dict, journal: Path, threads: int = 0
) -> subprocess.Popen:
    """Two sync workers (or gthread ones with `threads`, which keep connections alive);
    an empty config so that nothing else applies."""
    vide = journal.with_suffix(".conf.py")
    vide.write_text("")
    classe = (
        ["-k", "gthread", "--threads", str(threads), "--keep-alive", "5"]
        if threads
        else ["-k", "sync"]
    )
    return subprocess.Popen(  # noqa: S603
        [GUNICORN, "-c", str(vide), "-w", "2", *classe, "-b", f"127.0.0.1:{port}",
         "--error-logfile", str(journal), module],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def base_jetable(database_url: str, suffixe: str = "_bench_pages") -> tuple[str, str]:
    """(URL of the throwaway benchmark database, URL of the server's maintenance database)."""
    morceaux = urlsplit(database_url)
    nom = (morceaux.path.lstrip("/") or "postgres") + suffixe
    return (
        urlunsplit(morceaux._replace(path=f"/{nom}")),
        urlunsplit(morceaux._replace(path="/postgres")),
    )


def environnement_production(bench_url: str, var: Path, **autres: str) -> dict[str, str]:
    """The portal's environment in production mode on the bench database (both benchmarks).

    With REDIS_URL alone, the cache goes to the next Redis database: production refuses it on
    the broker's (permis/settings.py)."""
    cache = {}
    if os.environ.get("REDIS_URL") and not os.environ.get("CACHE_URL"):
        morceaux = urlsplit(os.environ["REDIS_URL"])
        base = int(morceaux.path.strip("/") or 0)
        cache["CACHE_URL"] = urlunsplit(morceaux._replace(path=f"/{(base + 1) % 16}"))
    return {
        **cache,
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback, no proxy in front
        "PERMIS_DEMO": "1",
        "PERMIS_VAR_DIR": str(var),
        "LOG_LEVEL": "WARNING",
        **autres,
    }


def executer_sql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connexion:
        connexion.execute(sql)


def sessions_et_pages(env: dict) -> list[tuple[str, str, str, str]]:
    """(role, page, path, cookie) for every page, from a Django shell on the bench database."""
    script = r"""
import json
from django.conf import settings
from django.test import Client
from accounts.models import User
from demandes.enums import Etat
from demandes.models import Demande

def cookie(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

candidat = cookie("candidat@demo.permis.fr")
ecole = cookie("auto-ecole@demo.permis.fr")
ctn = cookie("agent.ctn@demo.permis.fr")
ddt = cookie("instructeur.ddt69@demo.permis.fr")
brouillon = Demande.objects.filter(etat=Etat.BROUILLON).first().numero
deposee = Demande.objects.filter(etat=Etat.DEPOSEE).first().numero
en_instruction = Demande.objects.filter(etat=Etat.EN_INSTRUCTION).first().numero
expediee = Demande.objects.filter(etat=Etat.EXPEDIE).first().numero
pages = [
    ("anonyme", "accueil", "/", ""),
    ("anonyme", "connexion", "/compte/login/", ""),
    ("anonyme", "création de compte", "/compte/signup/", ""),
    ("anonyme", "où en est mon permis ?", "/ou-en-est-mon-permis/", ""),
    ("candidat", "accueil", "/", candidat),
    ("candidat", "mes demandes", "/demandes/", candidat),
    ("candidat", "page d'une demande", f"/demandes/{expediee}/", candidat),
    ("candidat", "étape adresse", f"/demandes/{brouillon}/etape/adresse/", candidat),
    ("candidat", "mes auto-écoles", "/auto-ecoles/mandats/", candidat),
    ("auto-école", "tableau de bord", "/auto-ecoles/ecole/", ecole),
    ("agent CTN", "file", "/instruction/", ctn),
    ("agent CTN", "page d'instruction", f"/instruction/demandes/{deposee}/", ctn),
    ("agent CTN", "pilotage", "/instruction/pilotage/", ctn),
    ("instructeur DDT", "file", "/instruction/", ddt),
    ("instructeur DDT", "page d'instruction", f"/instruction/demandes/{en_instruction}/", ddt),
    ("instructeur DDT", "pilotage", "/instruction/pilotage/", ddt),
]
print(json.dumps(pages))
"""
    import json

    sortie = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [tuple(page) for page in json.loads(sortie.strip().splitlines()[-1])]


def main() -> None:
    parametres = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parametres.add_argument("--duree", type=int, default=10, help="seconds of wrk per page")
    parametres.add_argument("--connexions", type=int, default=16)
    parametres.add_argument("--port", type=int, default=19610, help="portal; bare project +1")
    parametres.add_argument("--pages", default="", help="only pages whose name contains one of")
    parametres.add_argument(
        "--temoin-tous", type=int, default=3, help="the bare page measured again after N pages"
    )
    parametres.add_argument(
        "--cpu",
        action="store_true",
        help="also the CPU ms per request of the server, PostgreSQL, Redis, wrk and the rest",
    )
    options = parametres.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (its database is not touched).")
    bench_url, maintenance_url = base_jetable(database_url)
    nom_base = urlsplit(bench_url).path.lstrip("/")
    var = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = environnement_production(bench_url, var)
    executer_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{nom_base}"')
    executer_sql(maintenance_url, f'CREATE DATABASE "{nom_base}"')
    serveurs = []
    try:
        for commande in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([PYTHON, "manage.py", *commande], cwd=RACINE, env=env, check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "charger_demo"],
            cwd=RACINE,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # The demo load leaves work for autovacuum: done now, not during the first measures.
        executer_sql(bench_url, "VACUUM ANALYZE")
        pages = sessions_et_pages(env)
        if options.pages:
            filtres = options.pages.split(",")
            pages = [p for p in pages if any(f in p[1] for f in filtres)]

        portail = f"http://127.0.0.1:{options.port}"
        temoin = f"http://127.0.0.1:{options.port + 1}"
        serveurs.append(gunicorn("permis.wsgi", options.port, env, var / "portail.log"))
        env_temoin = {**env, "DJANGO_SETTINGS_MODULE": "bench.temoin.settings"}
        serveurs.append(gunicorn("bench.temoin.wsgi", options.port + 1, env_temoin, var / "t.log"))
        attendre(portail + "/", serveurs[0])
        attendre(temoin + "/ok/", serveurs[1])

        def mesurer(url: str, cookie: str) -> Mesure:
            if not options.cpu:
                return wrk(url, cookie, options.duree, options.connexions)
            serveur = serveurs[0] if url.startswith(portail) else serveurs[1]
            mesure, groupes = cpu_pendant(
                lambda: wrk(url, cookie, options.duree, options.connexions),
                serveur.pid,
                nom_base,
                cpu_enfants,
            )
            requetes = mesure.req_s * options.duree
            mesure.cpu_ms = {g: s * 1000 / requetes for g, s in groupes.items()}
            return mesure

        # A short unmeasured run of each server first: the first bare measure, taken on cold
        # workers, once came out ~30 % below the last one, which flattered every share.
        for url in (temoin + "/ok/", temoin + "/lignes/", portail + "/"):
            wrk(url, "", 3, options.connexions)
        debut = time.strftime("%H:%M:%S")
        charge_avant = os.getloadavg()

        def mesurer_temoin(nom: str, chemin: str) -> tuple[str, str, Mesure, None]:
            return ("Django nu", nom, mesurer(temoin + chemin, ""), None)

        # (role, page, measure, the bare runs around it: before, after; None for a bare run)
        resultats = [mesurer_temoin('"ok"', "/ok/")]
        nus = [mesurer_temoin("50 lignes", "/lignes/")]
        resultats.append(nus[0])
        voisins = temoins_voisins(len(pages), options.temoin_tous)
        for numero, (role, nom, chemin, cookie) in enumerate(pages):
            code, jeton = statut(portail + chemin, cookie)
            if jeton:  # the browser's CSRF cookie, so the page does not set a new one each time
                cookie = f"{cookie}; csrftoken={jeton}" if cookie else f"csrftoken={jeton}"
            mesure = mesurer(portail + chemin, cookie)
            if code != 200:
                mesure.erreurs = max(mesure.erreurs, 1)
                nom = f"{nom} (HTTP {code})"
            resultats.append((role, nom, mesure, voisins[numero]))
            if numero + 1 == len(pages) or voisins[numero + 1] != voisins[numero]:
                nus.append(mesurer_temoin(f"50 lignes ({len(nus) + 1})", "/lignes/"))
                resultats.append(nus[-1])
        resultats.append(mesurer_temoin('"ok"', "/ok/"))
        charge_apres = os.getloadavg()

        def autour(indice: int | None) -> list[Mesure]:
            """The bare runs around a page; all of them for a bare run."""
            if indice is None:
                return [m for _r, _n, m, _v in nus]
            return [nus[indice][2], nus[indice + 1][2]]

        def part(mesure: Mesure, indice: int | None) -> float:
            return mesure.req_s / (sum(m.req_s for m in autour(indice)) / len(autour(indice)))

        print(
            f"\n{len(pages)} pages, wrk -t2 -c{options.connexions} -d{options.duree}s, "
            f"gunicorn -w 2 (sync), DJANGO_DEBUG=0, PostgreSQL + demo data; started {debut}, "
            f"load average {charge_avant[0]:.1f} before, {charge_apres[0]:.1f} after."
        )
        print(
            f"Share = req/s over the mean of the bare 50-row template page's runs just before and "
            f"just after the page (measured after every {options.temoin_tous} pages: "
            + ", ".join(f"{m.req_s:,.0f}" for m in autour(None))
            + " req/s); a bare run's own over the mean of all.\n"
        )
        print(
            f"{'role':<16}{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'share':>8}"
        )
        for role, nom, m, indice in resultats:
            print(
                f"{role:<16}{nom:<28}{m.req_s:>9,.0f}{m.p50_ms:>9.1f}{m.p99_ms:>9.1f}"
                f"{m.erreurs:>8}{part(m, indice):>8.0%}"
            )
        if options.cpu:
            print(
                "\nCPU ms per request (the machine's busy time, by process group); CPU share = "
                "the bare runs' around it own CPU (all but the rest) over the page's:\n"
            )
            print(
                f"{'role':<16}{'page':<28}"
                + "".join(f"{g:>9}" for g in GROUPES_CPU)
                + f"{'total':>9}{'CPU share':>11}"
            )
            for role, nom, m, indice in resultats:
                nu = sum(cpu_propre(t) for t in autour(indice)) / len(autour(indice))
                print(
                    f"{role:<16}{nom:<28}"
                    + "".join(f"{m.cpu_ms[g]:>9.2f}" for g in GROUPES_CPU)
                    + f"{sum(m.cpu_ms.values()):>9.2f}{nu / cpu_propre(m):>11.0%}"
                )
    finally:
        for serveur in serveurs:
            serveur.terminate()
        for serveur in serveurs:
            serveur.wait(timeout=30)
        executer_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{nom_base}"')


if __name__ == "__main__":
    main()
