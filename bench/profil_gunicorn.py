"""Gunicorn config, run by hand: where one worker's CPU goes per request under wrk, and
cProfile around every request, dumped at exit.

bench/profil.py measures a page through Django's test client; this measures it as served, in a
gunicorn worker under wrk (its cookies fixed, as bench/pages.py sends them):

    PROFIL_SORTIE=/tmp/file.prof .venv/bin/gunicorn -c bench/profil_gunicorn.py \
        -b 127.0.0.1:19701 permis.wsgi &     # with the environment of bench/profil.py
    wrk -t1 -c4 -d10s -H "Host: testserver" -H "Cookie: sessionid=…; csrftoken=…" \
        http://127.0.0.1:19701/instruction/
    kill %1; .venv/bin/python -m pstats /tmp/file.prof

At its exit the worker prints its CPU per request (process_time and getrusage: CPU, not wall
time), split into the WSGI application's (Django's handler, middleware, view and template),
the garbage collector's (inside it) and gunicorn's own (accept, parsing, writing, closing: the
rest of the worker's CPU); the bare project (bench.temoin.wsgi) served the same way gives the
baseline. The first PROFIL_ECHAUFFEMENT (20) requests are left out of both (templates
compiled, kept parts made). Without PROFIL_SORTIE, the split alone, without cProfile's overhead.

cProfile counts wall time, database waits included: compare two trees run back to back,
per request (the calls of WSGIHandler.__call__), not as absolute figures.
"""

import cProfile
import gc
import os
import resource
import sys
import time

workers = 1
_ECHAUFFEMENT = int(os.environ.get("PROFIL_ECHAUFFEMENT", "20"))
_SORTIE = os.environ.get("PROFIL_SORTIE")


def _cpu_du_processus() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Releve:
    """The worker's CPU seconds since the warm-up: in all, in the application, in the collector."""

    def __init__(self):
        self.recues = self.application = self.collecteur = 0.0
        self.requetes = 0
        self.debut_total = self.debut_requete = self.debut_collecte = None

    def collecte(self, phase, _info):
        if self.debut_total is None:
            return
        if phase == "start":
            self.debut_collecte = time.process_time()
        elif self.debut_collecte is not None:
            self.collecteur += time.process_time() - self.debut_collecte

    def afficher(self):
        if not self.requetes:
            return
        total = (_cpu_du_processus() - self.debut_total) * 1000 / self.requetes
        application = self.application * 1000 / self.requetes
        sys.stderr.write(
            f"{self.requetes} requests after {_ECHAUFFEMENT} of warm-up, CPU ms per request: "
            f"worker {total:.3f} = application {application:.3f} (collector "
            f"{self.collecteur * 1000 / self.requetes:.3f}) + gunicorn {total - application:.3f}\n"
        )


def post_fork(server, worker):
    worker.releve = _Releve()
    gc.callbacks.append(worker.releve.collecte)
    worker.profil = cProfile.Profile() if _SORTIE else None


def pre_request(worker, req):
    releve = worker.releve
    releve.recues += 1
    if releve.recues <= _ECHAUFFEMENT:
        return
    if releve.debut_total is None:
        releve.debut_total = _cpu_du_processus()
    if worker.profil:
        worker.profil.enable()
    releve.debut_requete = time.process_time()


def post_request(worker, req, environ, resp):
    releve = worker.releve
    if releve.debut_requete is None:
        return
    releve.application += time.process_time() - releve.debut_requete
    releve.requetes += 1
    releve.debut_requete = None
    if worker.profil:
        worker.profil.disable()


def worker_exit(server, worker):
    worker.releve.afficher()
    if worker.profil:
        worker.profil.dump_stats(_SORTIE)
