"""The move of the simulated services' books and of the NEPH counter keeps every row.

instruction 0003 renames the tables, simulateurs 0002 and demandes 0004 take the models
over: a database filled before the move is migrated forward and its rows are read through
the models at their new place.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demandes.models import CompteurNeph, Demande
from simulateurs.models import OrdreFabrication, Pli, Sms

AVANT = [
    ("instruction", "0002_journal_prises_en_charge"),
    ("simulateurs", "0001_codes_photo_timbres"),
    ("demandes", "0003_neph_du_candidat"),
]


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move_to_simulateurs_and_demandes():
    executor = MigrationExecutor(connection)
    executor.migrate(AVANT)
    anciennes = executor.loader.project_state(AVANT).apps
    candidat = anciennes.get_model("accounts", "User").objects.create(username="avant")
    demande = anciennes.get_model("demandes", "Demande").objects.create(
        numero="DEMANDE0000001", candidat=candidat
    )
    anciennes.get_model("instruction", "Sms").objects.create(
        demande=demande, numero="+33612345678", texte="Bonjour", reference="SIM-1"
    )
    anciennes.get_model("instruction", "OrdreFabrication").objects.create(
        demande=demande, reference="OF-1"
    )
    anciennes.get_model("instruction", "Pli").objects.create(
        demande=demande, numero_suivi="1L00000000001"
    )
    anciennes.get_model("instruction", "CompteurNeph").objects.create(
        annee=2026, mois=9, departement="69", dernier=42
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    demande = Demande.objects.get(numero="DEMANDE0000001")
    assert Sms.objects.get(reference="SIM-1").demande == demande
    assert OrdreFabrication.objects.get(reference="OF-1").demande == demande
    assert Pli.objects.get(numero_suivi="1L00000000001").demande == demande
    assert CompteurNeph.objects.get(annee=2026, mois=9, departement="69").dernier == 42
    # New rows go on from the kept ones: the id sequences moved with their tables.
    assert Sms.objects.create(numero="+33612345678", texte="Suite", reference="SIM-2").pk
