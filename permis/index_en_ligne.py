"""Index changes that leave the table writable while they run, for migrations.

A plain CREATE INDEX locks the table against writes until the index is built: on the requests'
table, millions of rows in production, that is minutes without a filing or a decision. On
PostgreSQL these run CREATE / DROP INDEX CONCURRENTLY (django.contrib.postgres), which the
migration must run outside a transaction (`atomic = False`); on the embedded SQLite default,
a plain index change. Should a concurrent build fail half-way, PostgreSQL keeps an INVALID
index of that name: drop it (DROP INDEX CONCURRENTLY <name>) and migrate again.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db.migrations.operations import AddIndex, RemoveIndex


class _EnLigneSurPostgresql:
    """The concurrent operation (next in the MRO) on PostgreSQL, `_ORDINAIRE` elsewhere."""

    _ORDINAIRE: type

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            self._ORDINAIRE.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            self._ORDINAIRE.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AjouterIndexEnLigne(_EnLigneSurPostgresql, AddIndexConcurrently):
    _ORDINAIRE = AddIndex


class RetirerIndexEnLigne(_EnLigneSurPostgresql, RemoveIndexConcurrently):
    _ORDINAIRE = RemoveIndex
