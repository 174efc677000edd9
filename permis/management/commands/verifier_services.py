"""Fail loudly, before the tests, when PostgreSQL or Redis does not answer."""

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Check that the database and Redis answer (used by `make test`)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(f"DATABASE_URL must point to PostgreSQL, not {connection.vendor}.")
        # The server, not the named database: the tests create their own test_<name>.
        params = settings.DATABASES["default"]
        try:
            psycopg.connect(
                dbname="postgres",
                host=params["HOST"] or None,
                port=params["PORT"] or None,
                user=params["USER"] or None,
                password=params["PASSWORD"] or None,
                connect_timeout=5,
            ).close()
        except psycopg.Error as exc:
            raise CommandError(
                f"PostgreSQL does not answer at {settings.DATABASE_URL}: {exc}"
            ) from exc
        if settings.REDIS_URL:
            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
            except redis.RedisError as exc:
                raise CommandError(f"Redis does not answer at {settings.REDIS_URL}: {exc}") from exc
        self.stdout.write("PostgreSQL and Redis answer.")
