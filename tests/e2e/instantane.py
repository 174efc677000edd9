"""Data built once and put back before each test: a copy of every table of the test database
in a schema of its own, restored in one transaction after pytest-django's flush.

Loading the demo takes seconds (its PDFs, its emails); restoring its rows takes a fraction of
that, and each test still starts from the same rows, whatever the previous test changed.
Sequences are never reset (pytest-django's flush keeps them too), so rows a test creates get
ids above the restored ones.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import connection, transaction

SCHEMA = "instantane_e2e"


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _colonnes(curseur, table: str) -> str:
    """The columns a row can be written with (not the generated ones), in table order."""
    curseur.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [connection.ops.quote_name(table)],
    )
    return ", ".join(connection.ops.quote_name(nom) for (nom,) in curseur.fetchall())


def prendre() -> None:
    """Copy every table's rows aside (replacing an earlier copy)."""
    with transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        curseur.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in _tables():
            nom = connection.ops.quote_name(table)
            colonnes = _colonnes(curseur, table)
            curseur.execute(f"CREATE TABLE {SCHEMA}.{nom} AS SELECT {colonnes} FROM {nom}")


def restaurer() -> None:
    """Every table back to the copy's rows."""
    tables = _tables()
    with transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(
            "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
        )
        # The tables' own triggers are off while their rows come back: the copy already holds
        # what they wrote (the requests' counters would otherwise be counted twice).
        curseur.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
        )
        declencheurs = [nom for (nom,) in curseur.fetchall()]
        for nom in declencheurs:
            curseur.execute(f"ALTER TABLE {nom} DISABLE TRIGGER USER")
        for table in tables:
            nom = connection.ops.quote_name(table)
            colonnes = _colonnes(curseur, table)
            curseur.execute(f"INSERT INTO {nom} ({colonnes}) SELECT {colonnes} FROM {SCHEMA}.{nom}")
        # Every row is back: the foreign keys are checked now, so the triggers can be on again.
        curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for nom in declencheurs:
            curseur.execute(f"ALTER TABLE {nom} ENABLE TRIGGER USER")
    # Their ids are the copy's again, no longer those post_migrate gave them after the flush.
    ContentType.objects.clear_cache()
    Site.objects.clear_cache()


def effacer() -> None:
    with connection.cursor() as curseur:
        curseur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
