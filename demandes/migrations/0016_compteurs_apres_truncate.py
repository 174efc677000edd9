from importlib import import_module

from django.db import migrations

# The counters' own migration (its name starts with a digit: no import statement).
postgresql_seulement = import_module(
    "demandes.migrations.0010_index_back_office_compteurs"
).postgresql_seulement

# TRUNCATE fires no row or statement trigger of 0010's: a table emptied so (by hand, a
# restore script) kept its counters, and the queues and backlog showed requests that no
# longer existed. An AFTER TRUNCATE trigger empties the counters with it, in its transaction.
VIDER = """
CREATE OR REPLACE FUNCTION demandes_compteurs_vider() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM demandes_compteurdemandes;
    RETURN NULL;
END $$;
CREATE TRIGGER demandes_compter_truncate AFTER TRUNCATE ON demandes_demande
    FOR EACH STATEMENT EXECUTE FUNCTION demandes_compteurs_vider();
"""
SANS = """
DROP TRIGGER IF EXISTS demandes_compter_truncate ON demandes_demande;
DROP FUNCTION IF EXISTS demandes_compteurs_vider();
"""


class Migration(migrations.Migration):
    dependencies = [("demandes", "0015_indexes_couvrants_pilotage")]

    operations = [migrations.RunPython(postgresql_seulement([VIDER]), postgresql_seulement([SANS]))]
