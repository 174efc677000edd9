"""The simulated services' books go to simulateurs, the NEPH counter to demandes.

Only the ownership moves: the tables are renamed, never dropped, so every row stays
(simulateurs 0002 and demandes 0004 take the models over in Django's state).
"""

from django.db import migrations

TABLES = {
    "sms": "simulateurs_sms",
    "ordrefabrication": "simulateurs_ordrefabrication",
    "pli": "simulateurs_pli",
    "compteurneph": "demandes_compteurneph",
}


class Migration(migrations.Migration):

    dependencies = [
        ("instruction", "0002_journal_prises_en_charge"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=modele, table=table)
                for modele, table in TABLES.items()
            ],
            state_operations=[migrations.DeleteModel(name=modele) for modele in TABLES],
        ),
    ]
