"""A school files an inscription for its student with the same wizard, under the mandate."""

import pytest
from django.core import mail
from django.urls import reverse

from demandes.enums import Etat, Motif
from demandes.models import Demande
from tests.auto_ecoles.factories import MandatFactory, MembreFactory
from tests.demandes.assistant import (
    deposer,
    remplir_adresse,
    remplir_etat_civil,
    remplir_photo,
    remplir_pieces,
    url_etape,
    valider,
)
from tests.factories import CandidatFactory


@pytest.fixture
def eleve():
    return CandidatFactory(first_name="Hugo", last_name="Bernard", email="hugo@exemple.fr")


@pytest.fixture
def moniteur():
    return MembreFactory(user__email="moniteur@auto-ecole.fr").user


@pytest.fixture
def mandat(eleve, moniteur):
    return MandatFactory(candidat=eleve, auto_ecole=moniteur.membre_auto_ecole.auto_ecole)


def brouillon_de_l_ecole(client, moniteur, mandat) -> Demande:
    client.force_login(moniteur)
    response = client.post(reverse("auto_ecoles:nouvelle_demande", args=[mandat.pk]))
    demande = Demande.objects.get()
    assert response["Location"] == url_etape(demande, "motif")
    return demande


@pytest.mark.django_db
def test_school_draft_is_for_the_student_with_the_students_identity(
    client, eleve, moniteur, mandat
):
    demande = brouillon_de_l_ecole(client, moniteur, mandat)
    assert (demande.candidat, demande.depose_par) == (eleve, moniteur)
    assert (demande.nom_naissance, demande.prenoms, demande.email) == (
        "Bernard",
        "Hugo",
        "hugo@exemple.fr",
    )


@pytest.mark.django_db
def test_school_may_only_choose_an_inscription_motif(client, moniteur, mandat):
    demande = brouillon_de_l_ecole(client, moniteur, mandat)
    choix = client.get(url_etape(demande, "motif")).context["form"].fields["motif"].choices
    proposes = {valeur for _, groupe in choix[1:] for valeur, _ in groupe}
    assert proposes == {m.value for m in Motif if m.est_inscription}

    response = client.post(url_etape(demande, "motif"), {"motif": Motif.PERTE})
    assert response.status_code == 200
    assert "Choisissez un motif de la liste." in response.content.decode()
    assert Demande.objects.get(pk=demande.pk).motif == ""


@pytest.mark.django_db
def test_school_files_and_submits_for_the_student_and_both_are_told(
    client, eleve, moniteur, mandat, django_capture_on_commit_callbacks
):
    demande = brouillon_de_l_ecole(client, moniteur, mandat)
    valider(client, demande, "motif", {"motif": Motif.INSCRIPTION_PREMIERE, "categories": ["B"]})
    remplir_etat_civil(
        client, demande, nom_naissance="Bernard", prenoms="Hugo", date_naissance="2006-09-01"
    )
    remplir_adresse(client, demande, email="hugo@exemple.fr")
    remplir_photo(client, demande)
    remplir_pieces(client, demande)
    with django_capture_on_commit_callbacks(execute=True):
        response = deposer(client, demande)
    assert response.status_code == 302
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.DEPOSEE
    assert demande.historique().get().by == moniteur

    confirmation = next(
        m for m in mail.outbox if demande.numero in m.subject and "déposée" in m.subject
    )
    assert confirmation.to == ["hugo@exemple.fr"]
    assert confirmation.cc == ["moniteur@auto-ecole.fr"]

    # The student sees it in their own account.
    client.force_login(eleve)
    assert demande.numero in client.get(reverse("demandes:liste")).content.decode()
    assert client.get(reverse("demandes:detail", args=[demande.numero])).status_code == 200


@pytest.mark.django_db
def test_school_is_no_longer_copied_once_the_mandate_is_withdrawn(
    client, eleve, moniteur, mandat, instructeur, agent_ctn, django_capture_on_commit_callbacks
):
    from tests.factories import DemandeFactory

    demande = DemandeFactory(
        candidat=eleve, depose_par=moniteur, deposee=True, email="hugo@exemple.fr"
    )
    mandat.retirer(par=eleve)
    with django_capture_on_commit_callbacks(execute=True):
        demande = demande.executer("prendre_en_controle", par=agent_ctn)
        demande.executer("passer_en_instruction", par=agent_ctn)
    message = mail.outbox[-1]
    assert message.to == ["hugo@exemple.fr"] and message.cc == []


@pytest.mark.django_db
def test_school_staff_land_on_their_dashboard(client, moniteur):
    client.force_login(moniteur)
    assert client.get(reverse("accounts:accueil"))["Location"] == reverse(
        "auto_ecoles:tableau_de_bord"
    )
