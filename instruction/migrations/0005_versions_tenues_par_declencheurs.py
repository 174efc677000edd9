"""instruction_versiondossier kept by PostgreSQL: a request's count goes up with every row
written that its instruction page shows beside the request's own columns (pieces, documents,
history, claims' journal, messages), and with every change of the names of those rows'
authors, in the writer's transaction.

Per row (one request's rows are few; a statement's trigger, with its transition tables,
cost a message's insert about twice as much of PostgreSQL's CPU), the request's row locked
first: a transition locks its request before writing its history, and so does every writer
here, so two writers of one request's rows never wait for each other in opposite orders. A
deletion counts only where a count exists (a request's own deletion deletes its count in any
order among its rows: it must not be written again); every request with rows has one (the
next migration gives one to those written before this one). A row of a request gone
(django-fsm-log's history has no foreign key) counts nowhere. A table of those rows
emptied by TRUNCATE (no row trigger fires) counts a change of every request.
"""

from django.db import migrations

# The content type of demandes.demande, by name: the history's rows of other models count not.
_TYPE_DEMANDE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'demandes' AND model = 'demande')"
)

DECLENCHEURS = f"""
CREATE OR REPLACE FUNCTION instruction_changer_dossier(demande bigint, creer boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM demandes_demande WHERE id = demande FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE instruction_versiondossier SET n = n + 1 WHERE demande_id = demande;
    IF NOT FOUND AND creer THEN
        -- Under the request's lock: no other writer of its rows inserts it meanwhile.
        INSERT INTO instruction_versiondossier (demande_id, n) VALUES (demande, 1)
        ON CONFLICT (demande_id) DO UPDATE SET n = instruction_versiondossier.n + 1;
    END IF;
END $$;

-- The tables whose rows name their request in demande_id.
CREATE OR REPLACE FUNCTION instruction_ligne_changee() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM instruction_changer_dossier(OLD.demande_id, false);
        RETURN NULL;
    END IF;
    PERFORM instruction_changer_dossier(NEW.demande_id, true);
    IF TG_OP = 'UPDATE' AND OLD.demande_id <> NEW.demande_id THEN
        PERFORM instruction_changer_dossier(OLD.demande_id, true);
    END IF;
    RETURN NULL;
END $$;

-- django-fsm-log's history: a request's rows by content type and object_id.
CREATE OR REPLACE FUNCTION instruction_historique_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    type_demande integer := {_TYPE_DEMANDE};
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.content_type_id = type_demande THEN
            PERFORM instruction_changer_dossier(OLD.object_id, false);
        END IF;
        RETURN NULL;
    END IF;
    IF NEW.content_type_id = type_demande THEN
        PERFORM instruction_changer_dossier(NEW.object_id, true);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.content_type_id = type_demande
       AND (OLD.content_type_id, OLD.object_id) <> (NEW.content_type_id, NEW.object_id) THEN
        PERFORM instruction_changer_dossier(OLD.object_id, true);
    END IF;
    RETURN NULL;
END $$;

-- TRUNCATE fires no row trigger (a table emptied by hand, a restore script): every count.
CREATE OR REPLACE FUNCTION instruction_lignes_videes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE instruction_versiondossier SET n = n + 1;
    RETURN NULL;
END $$;

-- An account's names, as the page shows the history's, the claims' and the messages' authors
-- (and who read a message): rare, every request that shows them, in id order.
CREATE OR REPLACE FUNCTION instruction_noms_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    demande bigint;
BEGIN
    FOR demande IN
        SELECT object_id FROM django_fsm_log_statelog
        WHERE by_id = NEW.id AND content_type_id = {_TYPE_DEMANDE}
        UNION SELECT demande_id FROM instruction_journalpriseencharge WHERE agent_id = NEW.id
        UNION SELECT demande_id FROM echanges_message WHERE auteur_id = NEW.id
        UNION SELECT demande_id FROM echanges_message WHERE lu_par_id = NEW.id
        ORDER BY 1
    LOOP
        PERFORM instruction_changer_dossier(demande, true);
    END LOOP;
    RETURN NULL;
END $$;
"""

TABLES = (
    ("demandes_piecejustificative", "instruction_ligne_changee"),
    ("demandes_documentproduit", "instruction_ligne_changee"),
    ("instruction_journalpriseencharge", "instruction_ligne_changee"),
    ("echanges_message", "instruction_ligne_changee"),
    ("django_fsm_log_statelog", "instruction_historique_change"),
)


def _declencheur_de(table: str, fonction: str) -> str:
    return (
        f"CREATE TRIGGER {table}_dossier AFTER INSERT OR UPDATE OR DELETE ON {table}\n"
        f"    FOR EACH ROW EXECUTE FUNCTION {fonction}();\n"
        f"CREATE TRIGGER {table}_dossier_truncate AFTER TRUNCATE ON {table}\n"
        "    FOR EACH STATEMENT EXECUTE FUNCTION instruction_lignes_videes();\n"
    )


NOMS = """
CREATE TRIGGER accounts_user_noms_dossiers AFTER UPDATE OF first_name, last_name, username
    ON accounts_user FOR EACH ROW
    WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name
          OR OLD.last_name IS DISTINCT FROM NEW.last_name
          OR OLD.username IS DISTINCT FROM NEW.username)
    EXECUTE FUNCTION instruction_noms_changes();
"""

SANS = "".join(
    f"DROP TRIGGER IF EXISTS {table}_dossier ON {table};\n"
    f"DROP TRIGGER IF EXISTS {table}_dossier_truncate ON {table};\n"
    for table, _ in TABLES
) + (
    "DROP FUNCTION IF EXISTS instruction_lignes_videes();\n"
    "DROP TRIGGER IF EXISTS accounts_user_noms_dossiers ON accounts_user;\n"
    "DROP FUNCTION IF EXISTS instruction_noms_changes();\n"
    "DROP FUNCTION IF EXISTS instruction_historique_change();\n"
    "DROP FUNCTION IF EXISTS instruction_ligne_changee();\n"
    "DROP FUNCTION IF EXISTS instruction_changer_dossier(bigint, boolean);\n"
)


def postgresql_seulement(sql: str):
    def executer(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return executer


class Migration(migrations.Migration):
    dependencies = [
        ("instruction", "0004_version_des_dossiers"),
        ("accounts", "0005_departement_officiel"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_fsm_log", "0004_auto_20190131_0341"),
        ("echanges", "0002_notificationmessage_remise_a_envoyer"),
        ("demandes", "0015_indexes_couvrants_pilotage"),
    ]

    operations = [
        migrations.RunPython(
            postgresql_seulement(
                DECLENCHEURS + "".join(_declencheur_de(*table) for table in TABLES) + NOMS
            ),
            postgresql_seulement(SANS),
        ),
    ]
