"""The filing's cost in queries: each step's save locks the draft and reads its pieces' natures
in one query; the submission reads the pieces once under the lock, catches the audit entry as it
is written and saves only the changed columns."""

import html

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
    # The submission's conditions only, under the lock (django-fsm judged them three times,
    # each reading the pieces; the recap's access check read them before the lock too).
    assert len(pieces) == 1
    assert "FOR UPDATE" in sql[sql.index(pieces[0]) - 1]
    assert not [q for q in sql if q.startswith('SELECT "django_fsm_log_statelog"')]
    (mise_a_jour,) = [q for q in sql if q.startswith('UPDATE "demandes_demande"')]
    assert mise_a_jour.startswith(
        'UPDATE "demandes_demande" SET "etat" = \'deposee\', "etat_modifie_le" = '
    )
    assert '"deposee_le" = ' in mise_a_jour and '"modifie_le" = ' in mise_a_jour
    assert '"nom_naissance"' not in mise_a_jour


@pytest.mark.django_db
def test_submission_uses_the_photo_code_up_in_one_update_and_looks_for_no_claim(client, candidat):
    demande = _brouillon_complet(client, candidat)
    with CaptureQueriesContext(connection) as requetes:
        assert assistant.deposer(client, demande).status_code == 302
    sql = [q["sql"] for q in requetes.captured_queries]
    codes = [q for q in sql if '"simulateurs_codephoto"' in q]
    assert len(codes) == 1 and codes[0].startswith('UPDATE "simulateurs_codephoto"')
    # A draft waits in no queue, so it holds no claim (instruction/signals.py).
    assert not [q for q in sql if '"instruction_priseencharge"' in q]
    # The transition's own transaction only (a savepoint here, inside the test's).
    assert len([q for q in sql if q.startswith("SAVEPOINT")]) == 1


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


@pytest.mark.django_db
def test_submission_judges_the_steps_once_and_a_later_judgement_anew(client, candidat, monkeypatch):
    """executer judges the conditions, then django-fsm's transition judges them again with
    nothing written between: the wizard's steps are gone through once. Afterwards the
    request is judged anew (what executer knew is not kept on it)."""
    from demandes import wizard

    demande = _brouillon_complet(client, candidat)
    jugements = []
    juger = wizard.etapes_incompletes
    monkeypatch.setattr(wizard, "etapes_incompletes", lambda d: jugements.append(d.pk) or juger(d))
    deposee = demande.executer("deposer", par=candidat)
    assert jugements == [demande.pk]
    assert not hasattr(deposee, "_complet_connu")
    assert deposee.dossier_complet() and jugements == [demande.pk, demande.pk]


def _sql(requetes) -> list[str]:
    return [q["sql"] for q in requetes.captured_queries]


@pytest.mark.django_db
def test_a_step_saved_locks_the_draft_and_reads_its_pieces_in_one_query(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    with CaptureQueriesContext(connection) as requetes:
        assistant.remplir_adresse(client, demande)
    sql = _sql(requetes)
    (verrou,) = [q for q in sql if "FOR UPDATE" in q]
    assert 'LEFT OUTER JOIN "demandes_piecejustificative"' in verrou
    assert verrou.endswith('FOR UPDATE OF "demandes_demande"')
    assert [q for q in sql if "demandes_piecejustificative" in q] == [verrou]
    # The user, the draft, the lock, the update (and the test's transaction's savepoint).
    assert len([q for q in sql if "SAVEPOINT" not in q]) == 4


@pytest.mark.django_db
def test_first_pieces_are_stored_without_looking_for_ones_to_replace(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    with CaptureQueriesContext(connection) as requetes:
        assistant.remplir_pieces(client, demande)
    sql = _sql(requetes)
    assert not [q for q in sql if q.startswith("DELETE")]
    assert not [q for q in sql if '"demandes_piecejustificative"."nature" = ' in q]
    assert len([q for q in sql if q.startswith('INSERT INTO "demandes_piecejustificative"')]) == 2
    # Sent again, each replaces the one stored (its row and, after commit, its file).
    anciennes = set(demande.pieces.values_list("pk", flat=True))
    assistant.remplir_pieces(client, demande)
    nouvelles = set(demande.pieces.values_list("pk", flat=True))
    assert len(nouvelles) == 2 and not nouvelles & anciennes


@pytest.mark.django_db
def test_the_pieces_step_saves_in_one_transaction_and_goes_on_without_reading_them_again(
    client, candidat
):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    with CaptureQueriesContext(connection) as requetes:
        url, _ = assistant.remplir_pieces(client, demande)
    assert url == assistant.url_etape(demande, "recapitulatif")
    sql = _sql(requetes)
    # The step's transaction only (a savepoint inside the test's), the lock's with it.
    assert len([q for q in sql if q.startswith("SAVEPOINT")]) == 1
    assert not [q for q in sql if q.startswith('SELECT "demandes_piecejustificative"."nature"')]


@pytest.mark.django_db
def test_the_recap_reads_the_pieces_once_to_list_them_and_judge_its_access(client, candidat):
    demande = _brouillon_complet(client, candidat)
    with CaptureQueriesContext(connection) as requetes:
        page = client.get(assistant.url_etape(demande, "recapitulatif"))
    assert page.status_code == 200
    assert [q for q in _sql(requetes) if '"demandes_piecejustificative"' in q] == [
        q for q in _sql(requetes) if q.startswith('SELECT "demandes_piecejustificative"."id"')
    ]
    (lecture,) = [q for q in _sql(requetes) if '"demandes_piecejustificative"' in q]
    assert "JOIN" not in lecture  # the pieces of one request: their Meta's join not needed
    for piece in demande.pieces.all():
        assert piece.nom_original in page.content.decode()
    # A piece missing behind the page's back: the recap sends back to the pieces step.
    demande.pieces.all().delete()
    assert client.get(assistant.url_etape(demande, "recapitulatif"))["Location"] == (
        assistant.url_etape(demande, "pieces")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("attestation", ["on", ""])
def test_a_recap_posted_for_an_incomplete_draft_sends_back_to_the_missing_step(
    client, candidat, attestation
):
    """The submission judges the draft under its lock; refused for a piece deleted behind the
    recap's back (or the form sent back), the step to finish first, as a GET of the recap."""
    demande = _brouillon_complet(client, candidat)
    demande.pieces.all().delete()
    response = client.post(
        assistant.url_etape(demande, "recapitulatif"), {"attestation": attestation}, follow=True
    )
    assert response.redirect_chain == [(assistant.url_etape(demande, "pieces"), 302)]
    message = "Terminez d'abord l'étape « Pièces justificatives »."
    assert html.escape(message) in response.content.decode()
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON


@pytest.mark.django_db
def test_a_recap_posted_without_the_attestation_comes_back_with_its_error(client, candidat):
    demande = _brouillon_complet(client, candidat)
    response = assistant.poster(client, demande, "recapitulatif", {})
    assert response.status_code == 200
    assert "Cochez la case pour certifier vos informations." in response.content.decode()
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON


def _inserer_en_notant_la_transaction(notes):
    def enveloppe(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "demandes_demande"'):
            notes.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    return enveloppe


@pytest.mark.django_db(transaction=True)
def test_a_new_draft_outside_a_transaction_is_one_insert_in_autocommit(candidat):
    """No BEGIN and COMMIT around the new draft's INSERT: two round trips of the motif step."""
    notes = []
    with connection.execute_wrapper(_inserer_en_notant_la_transaction(notes)):
        demande = Demande.objects.create(candidat=candidat, motif=Motif.INSCRIPTION_PREMIERE)
    assert notes == [False]
    assert Demande.objects.get(pk=demande.pk).numero == demande.numero


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("dans_une_transaction", [False, True])
def test_a_number_already_drawn_is_drawn_again(candidat, monkeypatch, dans_une_transaction):
    from contextlib import nullcontext

    from django.db import transaction

    from demandes import models

    pris = Demande.objects.create(candidat=candidat, motif=Motif.INSCRIPTION_PREMIERE).numero
    tirages = iter([pris, "K7QX-M3PA-9ZTE"])
    monkeypatch.setattr(models, "nouveau_numero", lambda: next(tirages))
    with transaction.atomic() if dans_une_transaction else nullcontext():
        demande = Demande.objects.create(candidat=candidat, motif=Motif.INSCRIPTION_PREMIERE)
        # The caller's transaction survived the refused INSERT (its savepoint rolled back).
        assert Demande.objects.filter(candidat=candidat).count() == 2
    assert Demande.objects.get(pk=demande.pk).numero == "K7QX-M3PA-9ZTE"
