"""Mandates: a student lets a school file for them; withdrawn, the school loses access at once."""

import pytest
from django.core import mail
from django.urls import reverse

from auto_ecoles.models import Invitation, Mandat, Membre
from demandes.enums import Etat
from demandes.models import Demande
from tests.auto_ecoles.factories import AutoEcoleFactory, MandatFactory, MembreFactory
from tests.factories import CandidatFactory, DemandeFactory


@pytest.fixture
def ecole():
    return AutoEcoleFactory()


@pytest.fixture
def moniteur(ecole):
    return MembreFactory(auto_ecole=ecole).user


@pytest.fixture
def gestionnaire(ecole):
    return MembreFactory(auto_ecole=ecole, gestionnaire=True).user


@pytest.fixture
def moniteur_autre_ecole():
    return MembreFactory().user


@pytest.fixture
def mandat(ecole, candidat):
    return MandatFactory(auto_ecole=ecole, candidat=candidat)


def demande_deposee_par(moniteur, candidat) -> Demande:
    return DemandeFactory(candidat=candidat, depose_par=moniteur, email=candidat.email)


@pytest.mark.django_db
def test_student_gives_a_mandate_by_agrement_number(client, candidat, ecole):
    client.force_login(candidat)
    response = client.post(
        reverse("auto_ecoles:mes_mandats"), {"numero_agrement": ecole.numero_agrement}
    )
    assert response.status_code == 302
    assert Mandat.objects.actifs().filter(candidat=candidat, auto_ecole=ecole).count() == 1
    # A second click makes no second mandate.
    client.post(reverse("auto_ecoles:mes_mandats"), {"numero_agrement": ecole.numero_agrement})
    assert Mandat.objects.filter(candidat=candidat).count() == 1


@pytest.mark.django_db
def test_unknown_agrement_number_gets_a_message_next_to_the_field(client, candidat):
    client.force_login(candidat)
    response = client.post(
        reverse("auto_ecoles:mes_mandats"), {"numero_agrement": "E 24 069 9999 0"}
    )
    assert response.status_code == 200
    assert "Aucune auto-école" in response.content.decode()
    assert 'value="E 24 069 9999 0"' in response.content.decode()
    assert not Mandat.objects.exists()


@pytest.mark.django_db
def test_school_staff_see_and_submit_requests_they_filed_for_a_student_under_mandate(
    client, candidat, moniteur, mandat
):
    demande = demande_deposee_par(moniteur, candidat)
    assert list(Demande.objects.visibles_par(moniteur)) == [demande]
    demande = demande.executer("deposer", par=moniteur)
    assert demande.etat == Etat.DEPOSEE
    client.force_login(moniteur)
    assert client.get(reverse("demandes:detail", args=[demande.numero])).status_code == 200


@pytest.mark.django_db
def test_student_sees_requests_filed_by_the_school_in_their_account(
    client, candidat, moniteur, mandat
):
    demande = demande_deposee_par(moniteur, candidat)
    client.force_login(candidat)
    response = client.get(reverse("demandes:liste"))
    assert demande.numero in response.content.decode()


@pytest.mark.django_db
def test_withdrawn_mandate_cuts_the_school_off_at_once(client, candidat, moniteur, mandat):
    from django.core.exceptions import PermissionDenied

    demande = demande_deposee_par(moniteur, candidat)
    client.force_login(candidat)
    client.post(reverse("auto_ecoles:retirer_mon_mandat", args=[mandat.pk]))
    assert not Mandat.objects.actifs().exists()

    client.force_login(moniteur)
    assert client.get(reverse("demandes:detail", args=[demande.numero])).status_code == 404
    assert demande.numero not in client.get(reverse("auto_ecoles:tableau_de_bord")).content.decode()
    with pytest.raises(PermissionDenied):
        demande.executer("deposer", par=moniteur)


@pytest.mark.django_db
def test_staff_without_the_school_role_no_longer_reach_the_students_requests(
    client, candidat, moniteur, mandat
):
    """The school's access rests on the membership and the role, as its dashboard's does."""
    demande = demande_deposee_par(moniteur, candidat)
    moniteur.groups.clear()
    client.force_login(moniteur)
    assert client.get(reverse("demandes:detail", args=[demande.numero])).status_code == 404
    assert client.get(reverse("auto_ecoles:tableau_de_bord")).status_code == 403


@pytest.mark.django_db
def test_staff_of_another_school_cannot_reach_the_students_or_their_requests(
    client, candidat, moniteur, moniteur_autre_ecole, mandat
):
    demande = demande_deposee_par(moniteur, candidat)
    client.force_login(moniteur_autre_ecole)
    assert client.get(reverse("demandes:detail", args=[demande.numero])).status_code == 404
    assert client.post(reverse("auto_ecoles:nouvelle_demande", args=[mandat.pk])).status_code == 404
    assert client.post(reverse("auto_ecoles:retirer_mandat", args=[mandat.pk])).status_code == 404
    assert candidat.email not in client.get(reverse("auto_ecoles:tableau_de_bord")).content.decode()
    assert Mandat.objects.actifs().count() == 1


@pytest.mark.django_db
def test_school_can_withdraw_a_mandate(client, moniteur, mandat):
    client.force_login(moniteur)
    client.post(reverse("auto_ecoles:retirer_mandat", args=[mandat.pk]))
    mandat.refresh_from_db()
    assert not mandat.actif and mandat.retire_par == moniteur


@pytest.mark.django_db
def test_school_starts_an_inscription_for_its_student(client, candidat, moniteur, mandat):
    client.force_login(moniteur)
    response = client.post(reverse("auto_ecoles:nouvelle_demande", args=[mandat.pk]))
    demande = Demande.objects.get()
    assert (demande.candidat, demande.depose_par) == (candidat, moniteur)
    assert response.status_code == 302


@pytest.mark.django_db
def test_invited_student_accepts_and_gives_the_mandate(
    client, ecole, moniteur, django_capture_on_commit_callbacks
):
    eleve = CandidatFactory(email="eleve@exemple.fr")
    client.force_login(moniteur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("auto_ecoles:inviter", args=["eleve"]), {"email": "eleve@exemple.fr"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["eleve@exemple.fr"]
    invitation = Invitation.objects.get()
    assert f"/auto-ecoles/invitation/{invitation.jeton}/" in mail.outbox[0].body

    client.force_login(eleve)
    client.post(reverse("auto_ecoles:invitation", args=[invitation.jeton]))
    assert Mandat.objects.actifs().filter(candidat=eleve, auto_ecole=ecole).exists()
    # Single use.
    client.post(reverse("auto_ecoles:invitation", args=[invitation.jeton]))
    assert Mandat.objects.filter(candidat=eleve).count() == 1


@pytest.mark.django_db
def test_only_the_manager_invites_staff(client, ecole, moniteur, gestionnaire):
    client.force_login(moniteur)
    response = client.post(
        reverse("auto_ecoles:inviter", args=["membre"]), {"email": "x@exemple.fr"}
    )
    assert response.status_code == 403
    client.force_login(gestionnaire)
    client.post(reverse("auto_ecoles:inviter", args=["membre"]), {"email": "nouveau@exemple.fr"})
    invitation = Invitation.objects.get()

    nouveau = CandidatFactory(email="nouveau@exemple.fr")
    client.force_login(nouveau)
    client.post(reverse("auto_ecoles:invitation", args=[invitation.jeton]))
    assert Membre.objects.get(user=nouveau).auto_ecole == ecole
    nouveau.refresh_from_db()
    assert "auto_ecole" in set(nouveau.groups.values_list("name", flat=True))


@pytest.mark.django_db
def test_school_pages_are_closed_to_candidates_and_anonymous(client, candidat):
    url = reverse("auto_ecoles:tableau_de_bord")
    assert client.get(url).status_code == 302  # to login
    client.force_login(candidat)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_state_changing_school_views_accept_post_only(client, moniteur, mandat):
    client.force_login(moniteur)
    assert client.get(reverse("auto_ecoles:retirer_mandat", args=[mandat.pk])).status_code == 405
    assert client.get(reverse("auto_ecoles:nouvelle_demande", args=[mandat.pk])).status_code == 405


@pytest.mark.django_db
def test_a_form_sent_back_is_not_the_blank_one_kept_and_the_blank_one_stays_blank(
    client, candidat, gestionnaire
):
    """Blank forms are kept once per process: one sent back with errors shows its own
    values and errors, and the blank form shown next holds none of them."""
    client.force_login(candidat)
    mandats = reverse("auto_ecoles:mes_mandats")
    client.get(mandats)
    page = client.post(mandats, {"numero_agrement": "E 24 069 9999 0"}).content.decode()
    assert 'value="E 24 069 9999 0"' in page and "Aucune auto-école" in page
    page = client.get(mandats).content.decode()
    assert "E 24 069 9999 0" not in page and "Aucune auto-école" not in page

    client.force_login(gestionnaire)
    tableau = reverse("auto_ecoles:tableau_de_bord")
    client.get(tableau)
    for type in ("eleve", "membre"):
        page = client.post(
            reverse("auto_ecoles:inviter", args=[type]), {"email": "hugo@exemple"}
        ).content.decode()
        assert f'id="id_{type}_email"' in page and 'value="hugo@exemple"' in page
        assert f'id="id_{type}_email-desc-error"' in page
    page = client.get(tableau).content.decode()
    assert "hugo@exemple" not in page and "-desc-error" not in page
    assert 'id="id_eleve_email"' in page and 'id="id_membre_email"' in page
