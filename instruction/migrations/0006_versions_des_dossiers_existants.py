"""A count for every request written before the triggers (migration 0005): a deletion counts
only where one exists."""

from django.db import migrations


def remplir(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "INSERT INTO instruction_versiondossier (demande_id, n) "
        "SELECT id, 0 FROM demandes_demande ON CONFLICT (demande_id) DO NOTHING"
    )


class Migration(migrations.Migration):
    dependencies = [("instruction", "0005_versions_tenues_par_declencheurs")]

    operations = [migrations.RunPython(remplir, migrations.RunPython.noop)]
