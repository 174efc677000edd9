"""The production stack, started as docker-compose.yml starts it, without Docker.

The image: the repository copied as `COPY . .` copies it (.dockerignore), its static files
collected with the Dockerfile's build-time environment. Then, with compose's run-time
environment (only the addresses of the services and the site's domain replaced by local
ones): the `migrate` one-shot, gunicorn (the image's CMD, gunicorn.conf.py), the Celery
worker and beat, Caddy with deploy/Caddyfile in front, on PostgreSQL (a database of its
own), a Redis server of its own (the journey stops it), an SMTP server (aiosmtpd, in this
process), S3 (moto's standalone server) and ClamAV (clamd, tests/clamav.py). Every server listens on a loopback port, from
PERMIS_TEST_PORTS when set.
"""

import email
import email.policy
import fnmatch
import os
import secrets
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import dj_database_url
import psycopg
import pytest
import requests
from aiosmtpd.controller import Controller

from tests.production import compose
from tests.production.outils import (
    Processus,
    attendre,
    attendre_port,
    ports_libres,
    visiteur,
)

ROOT = compose.ROOT
BIN = Path(sys.executable).parent
DEBIAN = {"caddy": "caddy", "redis-server": "redis-server"}


def pytest_collection_modifyitems(items):
    """The stack is started once: its tests run on one worker (tests/parallele.py)."""
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.xdist_group("pile"))


def programme(nom: str) -> str:
    chemin = shutil.which(nom)
    if chemin is None:
        message = f"{nom} is missing: apt-get install {DEBIAN[nom]} (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return chemin


def env_de_base(dossier: Path) -> dict[str, str]:
    """What a container has before compose's variables: PATH (the image's Python), HOME."""
    return {
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(dossier),
        "LANG": "C.UTF-8",
        "TMPDIR": str(dossier),
    }


def _copier_comme_docker(source: Path, cible: Path) -> None:
    motifs = compose.ignore_par_docker()

    def ignorer(dossier, noms):
        relatif = Path(dossier).relative_to(source)
        ignores = set()
        for nom in noms:
            chemin = str(relatif / nom) if str(relatif) != "." else nom
            for motif in motifs:
                if fnmatch.fnmatch(chemin, motif) or (
                    motif.startswith("**/") and fnmatch.fnmatch(nom, motif[3:])
                ):
                    ignores.add(nom)
        return ignores

    shutil.copytree(source, cible, ignore=ignorer, symlinks=True)


@pytest.fixture(scope="session")
def image(tmp_path_factory) -> Path:
    """/app of the image: the code, and its static files collected at build time."""
    dossier = tmp_path_factory.mktemp("image")
    app = dossier / "app"
    _copier_comme_docker(ROOT, app)
    env_construction, commande = compose.etape_de_construction("collectstatic")
    resultat = subprocess.run(  # noqa: S603
        commande,
        cwd=app,
        env={**env_de_base(dossier), **compose.image_env(), **env_construction},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert (app / "staticfiles" / "staticfiles.json").exists()
    return app


class _Boite:
    """The SMTP server's handler: every message received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._condition = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._condition:
            self.messages.append(message)
            self._condition.notify_all()
        return "250 Message accepted for delivery"

    def pour(self, adresse: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if adresse in str(m["To"])]


@dataclass
class Pile:
    url: str
    ca: str
    env: dict[str, str]
    image: Path
    boite: _Boite
    s3: object
    bucket: str
    processus: dict[str, Processus] = field(default_factory=dict)
    relancer_redis: object = None

    def manage(self, *args: str) -> str:
        """`docker compose run web python manage.py ...`: a one-off command in the stack."""
        resultat = subprocess.run(  # noqa: S603
            ["python", "manage.py", *args],
            cwd=self.image,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert resultat.returncode == 0, resultat.stdout + resultat.stderr
        return resultat.stdout

    def visiteur(self, adresse: str = "127.0.0.1") -> requests.Session:
        return visiteur(adresse, verify=self.ca)

    def objets(self) -> list[str]:
        reponse = self.s3.list_objects_v2(Bucket=self.bucket)
        return [o["Key"] for o in reponse.get("Contents", [])]


@pytest.fixture(scope="session")
def moto_s3(tmp_path_factory):
    """moto's standalone S3 server on a loopback port, and a boto3 client of it."""
    (port,) = ports_libres(1)
    journaux = tmp_path_factory.mktemp("moto")
    serveur = Processus(
        "moto",
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        journaux,
        env=env_de_base(journaux),
    )
    try:
        attendre_port(port, processus=serveur)
        url = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=url,
            region_name="eu-west-3",
            aws_access_key_id="moto",
            aws_secret_access_key="moto-secret",
        )
        yield url, client, serveur
    finally:
        serveur.arreter()


@pytest.fixture(scope="session")
def pile(image, moto_s3, clamd, tmp_path_factory):
    caddy, redis_server = programme("caddy"), programme("redis-server")
    dossier = tmp_path_factory.mktemp("pile")
    journaux = dossier / "journaux"
    journaux.mkdir()
    p_redis, p_web, p_https, p_http, p_admin, p_smtp = ports_libres(6)
    base = env_de_base(dossier)

    # PostgreSQL: a database of the stack's own, next to the tests' one.
    serveur = dj_database_url.parse(os.environ["DATABASE_URL"])
    nom_base = f"test_{serveur['NAME']}_pile{os.environ.get('PYTEST_XDIST_WORKER', '')}"
    connexion = {
        "host": serveur["HOST"] or "127.0.0.1",
        "port": serveur["PORT"] or 5432,
        "user": serveur["USER"] or "postgres",
        "password": serveur["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **connexion) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{nom_base}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{nom_base}"')

    processus: dict[str, Processus] = {}
    boite = _Boite()
    smtp = Controller(boite, hostname="127.0.0.1", port=p_smtp)
    smtp.start()
    s3_url, s3, _ = moto_s3
    bucket = f"permis-pile-{secrets.token_hex(4)}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    try:

        def relancer_redis(fois=[0]):  # noqa: B006 - counts the starts, for the log's name
            fois[0] += 1
            processus["redis"] = Processus(
                f"redis-{fois[0]}",
                [redis_server, *compose.commande("redis", {})[1:]]  # compose's own options
                + ["--port", str(p_redis), "--bind", "127.0.0.1", "--save", ""]
                + ["--appendonly", "no", "--dir", str(dossier)],
                journaux,
            )
            attendre_port(p_redis, processus=processus["redis"])

        relancer_redis()

        # The operator's shell: the two secrets compose requires.
        variables = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
        }
        site = f"https://127.0.0.1:{p_https}"
        srv = dossier / "srv" / "permis"
        locales = {
            "DATABASE_URL": "postgres://{user}{mdp}@{host}:{port}/{base}".format(
                mdp=f":{connexion['password']}" if connexion["password"] else "",
                base=nom_base,
                **connexion,
            ),
            # Compose's Redis URLs (their databases kept), pointed at the local server.
            **{
                cle: compose.environnement("web", variables)[cle].replace(
                    "redis://redis:6379/", f"redis://127.0.0.1:{p_redis}/"
                )
                for cle in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL")
            },
            "EMAIL_URL": f"smtp://127.0.0.1:{p_smtp}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": site,
            "PERMIS_SITE_URL": site,
            "PERMIS_S3_BUCKET": bucket,
            "PERMIS_S3_ENDPOINT_URL": s3_url,
            "PERMIS_S3_REGION": "eu-west-3",
            "PERMIS_S3_ACCESS_KEY_ID": "moto",
            "PERMIS_S3_SECRET_ACCESS_KEY": "moto-secret",
            "PERMIS_CLAMAV_URL": clamd,  # tests/clamav.py: a real clamd, test signatures
        }
        env_compose = compose.environnement("web", variables)
        assert set(locales) <= set(env_compose), "docker-compose.yml no longer sets these"
        env = {
            **base,
            **{
                cle: valeur.replace("/srv/permis", str(srv))
                for cle, valeur in {**env_compose, **locales}.items()
            },
            "GUNICORN_BIND": f"127.0.0.1:{p_web}",
            "WEB_CONCURRENCY": "2",
            "PERMIS_BEAT_VIVACITE": str(dossier / "beat-vivant"),
        }
        srv.mkdir(parents=True)

        def commande(service):
            return [mot.replace("/srv/permis", str(srv)) for mot in compose.commande(service, {})]

        migration = subprocess.run(  # noqa: S603
            commande("migrate"), cwd=image, env=env, capture_output=True, text=True, timeout=600
        )
        assert migration.returncode == 0, migration.stdout + migration.stderr

        processus["web"] = Processus(
            "web",
            compose.commande("web", {}) or compose.cmd_de_l_image(),
            journaux,
            cwd=image,
            env=env,
        )
        processus["worker"] = Processus("worker", commande("worker"), journaux, cwd=image, env=env)
        processus["beat"] = Processus("beat", commande("beat"), journaux, cwd=image, env=env)
        env_proxy = {
            **base,
            **compose.environnement("proxy", {}),
            "PERMIS_DOMAINE": site,
            "PERMIS_WEB_HOTE": "127.0.0.1",
            "PERMIS_WEB_PORT": str(p_web),
            "CADDY_ADMIN": f"127.0.0.1:{p_admin}",
            "CADDY_HTTP_PORT": str(p_http),
            "CADDY_HTTPS_PORT": str(p_https),
            "XDG_DATA_HOME": str(dossier / "caddy-data"),
            "XDG_CONFIG_HOME": str(dossier / "caddy-config"),
        }
        processus["proxy"] = Processus(
            "proxy",
            [
                caddy,
                "run",
                "--config",
                str(ROOT / "deploy" / "Caddyfile"),
                "--adapter",
                "caddyfile",
            ],
            journaux,
            env=env_proxy,
        )
        attendre_port(p_web, processus=processus["web"])
        attendre_port(p_https, processus=processus["proxy"])
        ca = dossier / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        attendre(ca.exists, 30)
        pile = Pile(site, str(ca), env, image, boite, s3, bucket, processus, relancer_redis)

        def sante_ok():
            for nom in ("web", "proxy", "worker", "beat"):
                processus[nom].verifier_vivant()
            try:
                return pile.visiteur().get(f"{site}/sante/", timeout=10).status_code == 200
            except requests.RequestException:
                return False

        attendre(sante_ok, 90)
        yield pile
    finally:
        for p in reversed(processus.values()):
            p.arreter()
        smtp.stop()
        with psycopg.connect(dbname="postgres", autocommit=True, **connexion) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{nom_base}" WITH (FORCE)')
