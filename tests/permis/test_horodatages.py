"""permis/horodatages.py: timestamptz read by psycopg's C loader, giving Django's datetimes."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from permis import horodatages

pytestmark = pytest.mark.django_db

VALEURS = (
    "2026-12-04 20:00:00.123456+00",
    "2026-03-29 01:30:00+02",  # another offset: the same instant, in UTC
    "1987-12-31 23:59:59.999999+00",
    "0001-01-01 00:00:00+00",
)


def _lire(sql: str) -> tuple:
    with connection.cursor() as curseur:
        curseur.execute(sql)
        return curseur.fetchone()


def _chargeur():
    oid = connection.connection.adapters.types["timestamptz"].oid
    return connection.connection.adapters.get_loader(oid, Format.TEXT)


def test_each_connection_reads_timestamps_with_the_c_loader():
    connection.ensure_connection()
    chargeur = _chargeur()
    assert chargeur.__name__ == "ChargeurHorodatageUTC"
    instance = chargeur(
        connection.connection.adapters.types["timestamptz"].oid, connection.connection
    )
    assert type(instance.load.__self__) is horodatages._CHARGEUR_C  # psycopg's C loader


def test_the_values_are_those_django_s_loader_gives():
    sql = "SELECT " + ", ".join(f"'{v}'::timestamptz" for v in VALEURS)
    lues = _lire(sql)
    with connection.connection.cursor() as curseur:  # Django's own loader, on this cursor
        register_tzloader(connection.timezone, curseur)
        curseur.execute(sql)
        attendues = curseur.fetchone()
    assert lues == attendues
    assert all(v.tzinfo is datetime.UTC for v in lues)
    assert lues[1] == datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC)


def test_a_session_in_another_zone_keeps_django_s_loader():
    """Django's loader stamps its zone on what the session sends: only UTC is the same."""
    connection.ensure_connection()
    with connection.cursor() as curseur:
        curseur.execute("SET TIME ZONE 'Europe/Paris'")
    try:
        adapters = connection.connection.adapters
        register_tzloader(connection.timezone, connection.connection)
        horodatages.installer(sender=None, connection=connection)
        assert _chargeur().__name__ == "SpecificTzLoader"
    finally:
        with connection.cursor() as curseur:
            curseur.execute("SET TIME ZONE 'UTC'")
        horodatages.installer(sender=None, connection=connection)
    assert _chargeur().__name__ == "ChargeurHorodatageUTC"
    assert adapters is connection.connection.adapters
