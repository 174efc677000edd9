"""Fail loudly, before the tests, when PostgreSQL or Redis does not answer."""

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError


class Command(BaseCommand):
    help = "Check that the database and Redis answer (used by `make test`)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(f"DATABASE_URL must point to PostgreSQL, not {connection.vendor}.")
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            raise CommandError(
                f"PostgreSQL does not answer at {settings.DATABASE_URL}: {exc}"
            ) from exc
        if settings.REDIS_URL:
            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
            except redis.RedisError as exc:
                raise CommandError(f"Redis does not answer at {settings.REDIS_URL}: {exc}") from exc
        self.stdout.write("PostgreSQL and Redis answer.")
