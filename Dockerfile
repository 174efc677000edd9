# Image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core tzdata \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies only (a cached layer): exactly the lock file's pins, each file checked against
# its hash (`make lock` regenerates it). The code runs from /app, not from site-packages.
COPY requirements.txt ./
RUN pip install --require-hashes --no-deps -r requirements.txt
COPY . .
# Static files into /app/staticfiles (STATIC_ROOT, outside every volume), served by whitenoise.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789 \
    DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --create-home permis && mkdir -p /srv/permis && chown permis /srv/permis
USER permis
EXPOSE 8000
# gunicorn.conf.py (read from /app) holds the web node's settings.
CMD ["gunicorn"]
