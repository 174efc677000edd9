"""gunicorn's settings for a web node (the image's CMD, docker-compose.yml, the journey test).

gunicorn reads this file from its working directory (/app in the image). The environment
tunes a node: GUNICORN_BIND, WEB_CONCURRENCY (processes), GUNICORN_THREADS.
"""

import os

import gunicorn.http.wsgi

wsgi_app = "permis.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes × threads: about 2 processes per core, threads for requests waiting on I/O.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# PDFs and emails are made by the Celery worker: a request this long is stuck.
timeout = 30
graceful_timeout = 30
keepalive = 5  # above nothing the proxy needs; below its idle timeout
# A fresh process now and then bounds any slow memory growth.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat files in memory, not on the container's overlay disk.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's own heartbeat files, the documented place
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
# Only the reverse proxy reaches gunicorn (compose publishes no port of web); the portal
# itself decides which X-Forwarded-* to believe (PERMIS_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")
# Requests are logged by the proxy; gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn names itself in the Server header of every response (the proxy drops it too):
# a node reached directly says nothing of the software either.
gunicorn.http.wsgi.SERVER = "permis"
