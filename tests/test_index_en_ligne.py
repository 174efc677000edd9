"""Indexes on the requests' table are built and dropped without locking it against writes
(permis/index_en_ligne.py): in production it holds millions of rows, and a plain CREATE INDEX
would stop filings and decisions for minutes."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddIndex, RemoveIndex

from permis.index_en_ligne import AjouterIndexEnLigne, RetirerIndexEnLigne

# The migrations written before the rule, when the table was created or empty (none of them
# ran on a production table). Every later one is held to it.
AVANT_LA_REGLE = {
    "0001_initial",
    "0007_notifications_a_envoyer",
    "0010_index_back_office_compteurs",
}


def test_index_changes_on_the_requests_table_run_concurrently():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, nom), migration in loader.disk_migrations.items():
        if app != "demandes" or nom in AVANT_LA_REGLE:
            continue
        for operation in migration.operations:
            if isinstance(operation, (AddIndex, RemoveIndex)) and operation.model_name == "demande":
                assert isinstance(operation, (AjouterIndexEnLigne, RetirerIndexEnLigne)), nom
                assert migration.atomic is False, f"{nom}: CONCURRENTLY runs outside a transaction"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="CONCURRENTLY is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_sql_is_concurrent_on_postgresql(capsys):
    call_command("sqlmigrate", "demandes", "0015")
    sql = capsys.readouterr().out
    assert "CREATE INDEX CONCURRENTLY" in sql and "DROP INDEX CONCURRENTLY" in sql
    assert 'CREATE INDEX "' not in sql
