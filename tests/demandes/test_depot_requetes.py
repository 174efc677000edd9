"""The submission's cost in queries: the pieces read once under the lock, the audit entry
caught as it is written, only the changed columns saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import TransitionNotAllowed

from demandes.enums import Etat, Motif
from demandes.models import Demande
from tests.demandes import assistant


def _brouillon_complet(client, candidat) -> Demande:
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    assistant.remplir_pieces(client, demande)
    client.get(assistant.url_etape(demande, "recapitulatif"))  # warm: the content type read
    return demande


@pytest.mark.django_db
def test_submission_reads_the_pieces_once_under_the_lock(client, candidat):
    demande = _brouillon_complet(client, candidat)
    with CaptureQueriesContext(connection) as requetes:
        response = assistant.deposer(client, demande)
    assert response.status_code == 302
    sql = [q["sql"] for q in requetes.captured_queries]
    pieces = [q for q in sql if q.startswith('SELECT "demandes_piecejustificative"."nature"')]
    # One for the recap's access check (before the lock), one for the submission's conditions
    # (django-fsm judged them three times, each reading the pieces).
    assert len(pieces) == 2
    assert not [q for q in sql if q.startswith('SELECT "django_fsm_log_statelog"')]
    (mise_a_jour,) = [q for q in sql if q.startswith('UPDATE "demandes_demande"')]
    assert mise_a_jour.startswith(
        'UPDATE "demandes_demande" SET "etat" = \'deposee\', "etat_modifie_le" = '
    )
    assert '"deposee_le" = ' in mise_a_jour and '"modifie_le" = ' in mise_a_jour
    assert '"nom_naissance"' not in mise_a_jour


@pytest.mark.django_db
def test_submission_saves_what_the_transition_changed(client, candidat):
    demande = _brouillon_complet(client, candidat)
    avant = Demande.objects.get(pk=demande.pk)
    assistant.deposer(client, demande)
    apres = Demande.objects.get(pk=demande.pk)
    assert apres.etat == Etat.DEPOSEE and apres.deposee_le is not None
    assert apres.etat_modifie_le > avant.etat_modifie_le
    assert apres.modifie_le > avant.modifie_le
    (entree,) = apres.historique()
    assert (entree.source_state, entree.state, entree.by) == (
        Etat.BROUILLON,
        Etat.DEPOSEE,
        candidat,
    )
    notifications = list(apres.notifications.all())
    assert notifications and {n.entree_id for n in notifications} == {entree.pk}


@pytest.mark.django_db
def test_incomplete_submission_still_refused_with_its_message(client, candidat):
    demande = _brouillon_complet(client, candidat)
    demande.pieces.all().delete()  # behind the recap's back: the read under the lock sees it
    with pytest.raises(TransitionNotAllowed, match="incomplète"):
        demande.executer("deposer", par=candidat)
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON
