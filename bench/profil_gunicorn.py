"""Gunicorn config, run by hand: cProfile around every request of one worker, dumped at exit.

bench/profil.py measures a page through Django's test client; this profiles it as served, in a
gunicorn worker under wrk (its cookies fixed, as bench/pages.py sends them):

    PROFIL_SORTIE=/tmp/file.prof .venv/bin/gunicorn -c bench/profil_gunicorn.py \
        -b 127.0.0.1:19701 permis.wsgi &     # with the environment of bench/profil.py
    wrk -t1 -c4 -d10s -H "Host: testserver" -H "Cookie: sessionid=…; csrftoken=…" \
        http://127.0.0.1:19701/instruction/
    kill %1; .venv/bin/python -m pstats /tmp/file.prof

cProfile counts wall time, database waits included: compare two trees run back to back,
per request (the calls of WSGIHandler.__call__), not as absolute figures.
"""

import cProfile
import os

workers = 1


def post_fork(server, worker):
    worker.profil = cProfile.Profile()


def pre_request(worker, req):
    worker.profil.enable()


def post_request(worker, req, environ, resp):
    worker.profil.disable()


def worker_exit(server, worker):
    worker.profil.dump_stats(os.environ.get("PROFIL_SORTIE", "gunicorn.prof"))
