"""Index changes that leave the table writable while they run, for migrations.

A plain CREATE INDEX locks the table against writes until the index is built: on the requests'
table, millions of rows in production, that is minutes without a filing or a decision. On
PostgreSQL these run CREATE / DROP INDEX CONCURRENTLY (django.contrib.postgres), which the
migration must run outside a transaction (`atomic = False`); on the embedded SQLite default,
a plain index change. Should a concurrent build fail half-way, PostgreSQL keeps an INVALID
index of that name: drop it (DROP INDEX CONCURRENTLY <name>) and migrate again.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class AjouterIndexEnLigne(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        operation = super() if _postgresql(schema_editor) else super(AddIndexConcurrently, self)
        operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        operation = super() if _postgresql(schema_editor) else super(AddIndexConcurrently, self)
        operation.database_backwards(app_label, schema_editor, from_state, to_state)


class RetirerIndexEnLigne(RemoveIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        operation = super() if _postgresql(schema_editor) else super(RemoveIndexConcurrently, self)
        operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        operation = super() if _postgresql(schema_editor) else super(RemoveIndexConcurrently, self)
        operation.database_backwards(app_label, schema_editor, from_state, to_state)
