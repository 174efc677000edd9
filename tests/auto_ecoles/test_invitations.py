"""An invitation is for the account of the invited address only, and for a limited time.

A link forwarded or leaked to another account is refused with a French explanation and
stays usable by its addressee; this holds for both kinds (student, staff member).
"""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from auto_ecoles.models import Invitation, InvitationInvalide, Mandat, Membre
from demandes.delais import VALIDITE_INVITATION
from tests.auto_ecoles.factories import InvitationFactory, MembreFactory
from tests.factories import AutoEcoleStaffFactory, CandidatFactory

TYPES = [Invitation.Type.ELEVE, Invitation.Type.MEMBRE]


def accepte(invitation, user) -> bool:
    if invitation.type == Invitation.Type.ELEVE:
        return (
            Mandat.objects.actifs().filter(candidat=user, auto_ecole=invitation.auto_ecole).exists()
        )
    return Membre.objects.filter(user=user, auto_ecole=invitation.auto_ecole).exists()


def url(invitation) -> str:
    return reverse("auto_ecoles:invitation", args=[invitation.jeton])


@pytest.mark.django_db
@pytest.mark.parametrize("type", TYPES)
def test_a_foreign_account_is_refused_and_the_addressee_still_accepts(client, type):
    invitation = InvitationFactory(type=type, email="invite@exemple.fr")
    intrus = CandidatFactory(email="intrus@exemple.fr")
    client.force_login(intrus)

    page = client.get(url(invitation))
    assert page.status_code == 403
    assert "seul le compte de cette adresse peut l&#x27;accepter" in page.content.decode()
    assert "i…@exemple.fr" in page.content.decode()
    assert "Rejoindre l&#x27;équipe" not in page.content.decode()
    assert "Donner mandat" not in page.content.decode()

    reponse = client.post(url(invitation))
    assert reponse.status_code == 403
    assert not accepte(invitation, intrus)
    invitation.refresh_from_db()
    assert invitation.valide and invitation.acceptee_par is None

    destinataire = CandidatFactory(email="invite@exemple.fr")
    client.force_login(destinataire)
    assert client.post(url(invitation)).status_code == 302
    assert accepte(invitation, destinataire)
    invitation.refresh_from_db()
    assert invitation.acceptee_par == destinataire


@pytest.mark.django_db
@pytest.mark.parametrize("type", TYPES)
def test_the_model_refuses_another_account_whatever_the_view(type):
    invitation = InvitationFactory(type=type)
    intrus = CandidatFactory()
    with pytest.raises(InvitationInvalide, match="seul le compte de cette adresse"):
        invitation.accepter(intrus)
    assert not accepte(invitation, intrus)


@pytest.mark.django_db
def test_the_staff_of_another_school_cannot_join_with_a_forwarded_link(client):
    invitation = InvitationFactory(type=Invitation.Type.MEMBRE, email="nouveau@exemple.fr")
    autre = MembreFactory().user
    client.force_login(autre)
    assert client.post(url(invitation)).status_code == 403
    assert Membre.objects.get(user=autre).auto_ecole != invitation.auto_ecole


@pytest.mark.django_db
def test_an_agent_holding_the_link_does_not_join_a_school(client, agent_ctn):
    invitation = InvitationFactory(type=Invitation.Type.MEMBRE)
    client.force_login(agent_ctn)
    assert client.post(url(invitation)).status_code == 403
    assert not Membre.objects.filter(user=agent_ctn).exists()


@pytest.mark.django_db
def test_the_address_matches_whatever_its_case():
    invitation = InvitationFactory(type=Invitation.Type.MEMBRE, email="Nouveau.Moniteur@Exemple.fr")
    user = AutoEcoleStaffFactory(email="nouveau.moniteur@exemple.fr")
    invitation.accepter(user)
    assert accepte(invitation, user)


@pytest.mark.django_db
@pytest.mark.parametrize("type", TYPES)
def test_only_a_verified_address_of_the_account_counts(type):
    """allauth's addresses: an unverified one proves nothing, a verified secondary one does."""
    invitation = InvitationFactory(type=type, email="seconde@exemple.fr")
    user = CandidatFactory(email="principale@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    adresse = EmailAddress.objects.create(user=user, email="seconde@exemple.fr", verified=False)
    with pytest.raises(InvitationInvalide):
        invitation.accepter(user)
    adresse.verified = True
    adresse.save()
    invitation.accepter(user)
    assert accepte(invitation, user)


@pytest.mark.django_db
def test_an_account_whose_own_address_is_unverified_is_refused():
    invitation = InvitationFactory(email="eleve@exemple.fr")
    user = CandidatFactory(email="eleve@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    with pytest.raises(InvitationInvalide):
        invitation.accepter(user)


@pytest.mark.django_db
@pytest.mark.parametrize("type", TYPES)
def test_an_invitation_expires_after_its_validity(client, type):
    envoi = timezone.now()
    invitation = InvitationFactory(type=type, email="invite@exemple.fr", envoyee_le=envoi)
    destinataire = CandidatFactory(email="invite@exemple.fr")
    with time_machine.travel(envoi + VALIDITE_INVITATION + timedelta(seconds=1)):
        client.force_login(destinataire)
        page = client.get(url(invitation))
        assert "Cette invitation a expiré ou a déjà été utilisée." in page.content.decode()
        reponse = client.post(url(invitation), follow=True)
        assert "Cette invitation a expiré ou a déjà été utilisée." in reponse.content.decode()
        assert not accepte(invitation, destinataire)
    with time_machine.travel(envoi + VALIDITE_INVITATION - timedelta(days=1)):
        client.force_login(destinataire)
        client.post(url(invitation))
        assert accepte(invitation, destinataire)


@pytest.mark.django_db
def test_the_email_names_the_address_that_must_accept(client, django_capture_on_commit_callbacks):
    from django.core import mail

    gestionnaire = MembreFactory(gestionnaire=True).user
    client.force_login(gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("auto_ecoles:inviter", args=["membre"]), {"email": "hugo@exemple.fr"})
    assert "connectez-vous avec le compte de l'adresse hugo@exemple.fr" in mail.outbox[0].body
    assert f"valable {VALIDITE_INVITATION} :" in mail.outbox[0].body


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    invitation = InvitationFactory()
    reponse = client.get(url(invitation))
    assert reponse.status_code == 302 and reverse("account_login") in reponse["Location"]
