"""Drafts: saved at each step, resumed where the user stopped, the motif locked, who may enter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demandes.enums import Etat, Motif
from demandes.models import Demande
from tests.demandes import assistant
from tests.factories import MOT_DE_PASSE, DemandeFactory


@pytest.mark.django_db
def test_draft_resumes_where_the_user_stopped_after_a_new_login(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    client.logout()

    # The next day: a real login with the password, then "Mes demandes".
    assert client.login(username=candidat.username, password=MOT_DE_PASSE)
    liste = client.get(reverse("demandes:liste")).content.decode()
    assert demande.numero in liste and "Reprendre" in liste
    reprise = client.get(reverse("demandes:reprendre", args=[demande.numero]))
    assert reprise["Location"] == assistant.url_etape(demande, "adresse")
    page = client.get(assistant.url_etape(demande, "etat-civil"))
    assert page.context["form"]["nom_naissance"].value() == "Martin"
    assert page.context["form"]["prenoms"].value() == "Camille Anne"


@pytest.mark.django_db
def test_motif_cannot_be_changed_once_validated(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    page = client.get(assistant.url_etape(demande, "motif")).content.decode()
    assert "Le motif ne peut plus être modifié" in page

    assistant.valider(client, demande, "motif", {"motif": Motif.PERTE, "categories": ["A2"]})
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.motif == Motif.INSCRIPTION_PREMIERE
    assert demande.categories == ["A2"]  # the categories may still change


@pytest.mark.django_db
def test_motif_step_warns_before_validation_that_it_locks_the_motif(client, candidat):
    client.force_login(candidat)
    page = client.get(reverse("demandes:commencer")).content.decode()
    assert "ne pourra plus être modifié une fois cette étape validée" in page


@pytest.mark.django_db
def test_starting_the_same_motif_again_offers_to_resume_the_draft(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.PERTE)
    response = client.post(reverse("demandes:commencer"), {"motif": Motif.PERTE})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reprendre mon brouillon" in page
    assert reverse("demandes:reprendre", args=[demande.numero]) in page
    assert Demande.objects.filter(candidat=candidat).count() == 1
    # Another motif makes a second draft.
    assistant.commencer(client, Motif.VOL)
    assert Demande.objects.filter(candidat=candidat).count() == 2


@pytest.mark.django_db
def test_the_new_requests_page_lists_the_drafts_and_offers_the_newest_of_a_motif(client, candidat):
    client.force_login(candidat)
    ancien = assistant.commencer(client, Motif.PERTE)
    vol = assistant.commencer(client, Motif.VOL)
    page = client.get(reverse("demandes:commencer")).content.decode()
    assert "Vous avez déjà 2 brouillons" in page
    assert ancien.numero in page and vol.numero in page
    # A second draft of the same motif made behind the page's back (an older tab): the
    # newest is offered; a submitted request is no draft to resume.
    recent = Demande.objects.create(candidat=candidat, motif=Motif.PERTE)
    assert recent.numero in client.get(reverse("demandes:commencer")).content.decode()
    offert = client.post(reverse("demandes:commencer"), {"motif": Motif.PERTE}).content.decode()
    assert reverse("demandes:reprendre", args=[recent.numero]) in offert
    assert reverse("demandes:reprendre", args=[ancien.numero]) not in offert
    Demande.objects.filter(pk=vol.pk).update(etat=Etat.DEPOSEE)
    assert client.post(reverse("demandes:commencer"), {"motif": Motif.VOL}).status_code == 302


@pytest.mark.django_db
def test_going_back_keeps_the_later_answers(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    assistant.remplir_pieces(client, demande)

    suivante = assistant.remplir_etat_civil(client, demande, nom_usage="Durand")
    assert suivante == assistant.url_etape(demande, "adresse")
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.nom_usage == "Durand"
    assert demande.adresse == "12 rue de la République"
    assert demande.photo_confirmee
    assert demande.pieces.count() == 2
    assert client.get(assistant.url_etape(demande, "recapitulatif")).status_code == 200


@pytest.mark.django_db
def test_answers_that_no_longer_apply_are_removed(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["AM"])
    mineur = {
        "date_naissance": assistant.age(16),
        "representant_nom": "Martin",
        "representant_prenoms": "Paul",
    }
    assistant.remplir_etat_civil(client, demande, **mineur)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    assistant.remplir_pieces(client, demande)
    assert "identite_representant" in demande.pieces.values_list("nature", flat=True)

    # A typo in the birth year fixed: an adult needs no legal representative.
    assistant.remplir_etat_civil(client, demande, **{**mineur, "date_naissance": "1985-03-02"})
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.representant_nom == "" and demande.representant_prenoms == ""
    assert sorted(demande.pieces.values_list("nature", flat=True)) == ["domicile", "identite"]


@pytest.mark.django_db
def test_a_later_step_cannot_be_opened_before_the_earlier_ones(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    response = client.get(assistant.url_etape(demande, "pieces"))
    assert response["Location"] == assistant.url_etape(demande, "etat-civil")
    response = assistant.poster(client, demande, "recapitulatif", {"attestation": "on"})
    assert response["Location"] == assistant.url_etape(demande, "etat-civil")
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON


@pytest.mark.django_db
def test_tax_stamp_step_does_not_exist_for_a_motif_without_stamp(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    assert client.get(assistant.url_etape(demande, "timbre")).status_code == 404
    assert client.get(assistant.url_etape(demande, "inconnue")).status_code == 404


@pytest.mark.django_db
def test_another_users_draft_is_not_found(client, autre_candidat):
    demande = DemandeFactory()
    client.force_login(autre_candidat)
    for slug in ["motif", "etat-civil", "recapitulatif"]:
        assert client.get(assistant.url_etape(demande, slug)).status_code == 404
    response = assistant.poster(client, demande, "recapitulatif", {"attestation": "on"})
    assert response.status_code == 404
    assert client.get(reverse("demandes:reprendre", args=[demande.numero])).status_code == 404
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    demande = DemandeFactory()
    for url in [reverse("demandes:commencer"), assistant.url_etape(demande, "motif")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_agents_do_not_file_requests(client, agent_ctn):
    client.force_login(agent_ctn)
    assert client.get(reverse("demandes:commencer")).status_code == 403


@pytest.mark.django_db
def test_a_submitted_request_can_no_longer_be_edited(client, candidat):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    client.force_login(candidat)
    response = assistant.poster(
        client, demande, "adresse", {**assistant.ADRESSE, "commune": "Bron"}
    )
    assert response["Location"] == reverse("demandes:detail", args=[demande.numero])
    assert Demande.objects.get(pk=demande.pk).commune == "Lyon"


@pytest.mark.django_db
def test_recap_links_come_back_to_the_recap(client, candidat):
    demande = DemandeFactory(candidat=candidat)
    client.force_login(candidat)
    recap = client.get(assistant.url_etape(demande, "recapitulatif")).content.decode()
    for slug in ["etat-civil", "adresse", "photo", "pieces"]:
        assert f'{assistant.url_etape(demande, slug)}?retour=recapitulatif"' in recap
    response = assistant.poster(
        client, demande, "adresse", {**assistant.ADRESSE, "retour": "recapitulatif"}
    )
    assert response["Location"] == assistant.url_etape(demande, "recapitulatif")
    # A value other than the recap is ignored (no open redirect).
    response = assistant.poster(
        client, demande, "adresse", {**assistant.ADRESSE, "retour": "https://exemple.com"}
    )
    assert response["Location"] == assistant.url_etape(demande, "photo")


@pytest.mark.django_db
def test_recap_shows_every_answer(client, candidat):
    demande = DemandeFactory(candidat=candidat, nom_usage="Durand", telephone="+33751234567")
    client.force_login(candidat)
    page = client.get(assistant.url_etape(demande, "recapitulatif")).content.decode()
    for valeur in [
        demande.get_motif_display(),
        demande.nom_naissance,
        "Durand",
        demande.prenoms,
        "14/05/2007",
        "12 rue de la République",
        "69002 Lyon",
        "07 51 23 45 67",
        demande.code_photo,
        "Justificatif d&#x27;identité",
    ]:
        assert valeur in page, valeur


@pytest.mark.django_db
def test_submission_needs_the_sworn_statement(client, candidat):
    demande = DemandeFactory(candidat=candidat)
    client.force_login(candidat)
    response = assistant.poster(client, demande, "recapitulatif", {})
    assert response.status_code == 200
    assert "Cochez la case pour certifier vos informations." in response.content.decode()
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON


@pytest.mark.django_db
def test_stepper_shows_the_progress(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.PERTE)
    assistant.remplir_etat_civil(client, demande)
    page = client.get(assistant.url_etape(demande, "adresse")).content.decode()
    assert 'data-fr-current-step="3"' in page and 'data-fr-steps="8"' in page
    assert "Étape 3 sur 8" in page or "Step 3 of 8" in page
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    page = client.get(assistant.url_etape(demande, "etat-civil")).content.decode()
    assert 'data-fr-current-step="2"' in page and 'data-fr-steps="7"' in page


@pytest.mark.django_db
def test_steps_before_the_pieces_do_not_read_them_nor_reload_the_candidate(client, candidat):
    """Reaching the état civil needs the motif only: the pieces' table (read to judge the
    pieces step) and the candidate's account (already the user's) are not queried."""
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    with CaptureQueriesContext(connection) as requetes:
        page = client.get(assistant.url_etape(demande, "etat-civil"))
    assert page.status_code == 200
    sql = [r["sql"] for r in requetes.captured_queries]
    assert not [q for q in sql if "demandes_piecejustificative" in q]
    assert len([q for q in sql if 'FROM "accounts_user"' in q]) == 1
    # The pieces step is judged once the steps before it are all complete.
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(assistant.url_etape(demande, "recapitulatif")).status_code == 302
    assert [r for r in requetes.captured_queries if "demandes_piecejustificative" in r["sql"]]


@pytest.mark.django_db
def test_confirmation_names_the_candidate_without_reading_the_account_again(client, candidat):
    client.force_login(candidat)
    demande = DemandeFactory(candidat=candidat, etat=Etat.DEPOSEE, email="")
    with CaptureQueriesContext(connection) as requetes:
        page = client.get(reverse("demandes:confirmation", args=[demande.numero]))
    assert candidat.email in page.content.decode()
    sql = [r["sql"] for r in requetes.captured_queries]
    assert len([q for q in sql if 'FROM "accounts_user"' in q]) == 1
