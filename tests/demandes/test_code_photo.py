"""The photo step: a single-use code from the booth, checked, confirmed, consumed at submission."""

import io
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from PIL import Image

from demandes.enums import Etat, Motif
from demandes.models import Demande
from demandes.photo_booth import CodePhotoRefuse
from simulateurs.cabine import emettre_code
from simulateurs.models import CodePhoto
from tests.demandes import assistant
from tests.factories import DemandeFactory


@pytest.fixture
def a_la_photo(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    return demande


def saisir(client, demande, code):
    return assistant.poster(client, demande, "photo", {"action": "code", "code_photo": code})


def code_utilise() -> str:
    code = emettre_code("Martin", "Camille")
    CodePhoto.objects.filter(pk=code.pk).update(utilise_le=timezone.now(), utilise_pour="X")
    return code.code


def code_expire() -> str:
    return emettre_code("Martin", "Camille", emis_le=timezone.now() - timedelta(days=200)).code


@pytest.mark.parametrize(
    "code, message",
    [
        (lambda: "ABC123", CodePhotoRefuse.FORMAT),
        (lambda: "ABCDEFGHIJ-KLMNOPQRST-!!", CodePhotoRefuse.FORMAT),
        (lambda: "A" * 22, CodePhotoRefuse.INCONNU),
        (code_utilise, CodePhotoRefuse.UTILISE),
        (code_expire, CodePhotoRefuse.EXPIRE),
    ],
    ids=["trop-court", "caracteres", "inconnu", "utilise", "expire"],
)
@pytest.mark.django_db
def test_bad_code_is_refused_with_a_clear_message(client, a_la_photo, code, message):
    response = saisir(client, a_la_photo, code())
    assert response.status_code == 200
    assert response.context["form"].errors == {"code_photo": [message]}
    demande = Demande.objects.get(pk=a_la_photo.pk)
    assert demande.code_photo == "" and demande.adresse == "12 rue de la République"


@pytest.mark.django_db
def test_valid_code_shows_photo_and_signature_to_confirm(client, a_la_photo, candidat):
    code = emettre_code("Martin", "Camille").code
    # Typed in lower case, in groups: still the code.
    espace = " ".join(code[i : i + 4] for i in range(0, 22, 4)).lower()
    response = saisir(client, a_la_photo, espace)
    assert response["Location"] == assistant.url_etape(a_la_photo, "photo")
    page = client.get(response["Location"]).content.decode()
    assert f"/demandes/{a_la_photo.numero}/photo.jpg" in page
    assert "Je confirme que cette photo et cette signature sont les miennes." in page

    photo = client.get(f"/demandes/{a_la_photo.numero}/photo.jpg")
    assert photo["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(photo.content)).size == (413, 531)
    demande = Demande.objects.get(pk=a_la_photo.pk)
    assert demande.code_photo == code and not demande.photo_confirmee

    # Not confirmed without ticking the box.
    response = assistant.poster(client, a_la_photo, "photo", {"action": "confirmer"})
    assert "Cochez la case" in response.content.decode()
    suivante = assistant.valider(
        client, a_la_photo, "photo", {"action": "confirmer", "confirme": "on"}
    )
    assert suivante == assistant.url_etape(a_la_photo, "pieces")
    demande = Demande.objects.get(pk=a_la_photo.pk)
    assert demande.photo_confirmee and demande.photo and demande.signature
    with demande.signature.open("rb") as flux:
        assert Image.open(flux).format == "PNG"
    # The code is only consumed at submission.
    assert CodePhoto.objects.get(code=code).utilise_le is None


@pytest.mark.django_db
def test_a_new_code_replaces_the_confirmed_photo(client, a_la_photo):
    assistant.remplir_photo(client, a_la_photo)
    nouveau = emettre_code("Martin", "Camille").code
    saisir(client, a_la_photo, nouveau)
    demande = Demande.objects.get(pk=a_la_photo.pk)
    assert demande.code_photo == nouveau
    assert not demande.photo_confirmee and not demande.photo
    assert client.get(assistant.url_etape(demande, "pieces")).status_code == 302


@pytest.mark.django_db
def test_a_code_that_expired_before_confirmation_cannot_be_confirmed(client, a_la_photo):
    code = emettre_code("Martin", "Camille").code
    saisir(client, a_la_photo, code)
    # Six months passed meanwhile.
    CodePhoto.objects.filter(code=code).update(expire_le=timezone.now() - timedelta(minutes=1))
    response = assistant.poster(
        client, a_la_photo, "photo", {"action": "confirmer", "confirme": "on"}
    )
    assert response.status_code == 200
    assert CodePhotoRefuse.EXPIRE in response.content.decode().replace("&#x27;", "'")
    assert not Demande.objects.get(pk=a_la_photo.pk).photo_confirmee


@pytest.mark.django_db
def test_same_code_in_two_drafts_only_the_first_submission_passes(candidat):
    premiere = DemandeFactory(candidat=candidat)
    seconde = DemandeFactory(candidat=candidat, code_photo=premiere.code_photo)
    premiere.executer("deposer", par=candidat)
    with pytest.raises(TransitionNotAllowed, match="déjà été utilisé"):
        seconde.executer("deposer", par=candidat)
    assert Demande.objects.get(pk=seconde.pk).etat == Etat.BROUILLON
    assert CodePhoto.objects.get(code=premiere.code_photo).utilise_pour == premiere.numero


@pytest.mark.django_db
def test_second_submission_with_a_used_code_says_why_on_the_recap(client, candidat):
    premiere = DemandeFactory(candidat=candidat)
    seconde = DemandeFactory(candidat=candidat, code_photo=premiere.code_photo)
    client.force_login(candidat)
    assert assistant.deposer(client, premiere).status_code == 302
    response = assistant.deposer(client, seconde)
    assert response.status_code == 200
    assert "Ce code photo a déjà été utilisé" in response.content.decode().replace("&#x27;", "'")
    assert Demande.objects.get(pk=seconde.pk).etat == Etat.BROUILLON


@pytest.mark.django_db
def test_a_code_expired_at_submission_is_refused(candidat):
    demande = DemandeFactory(candidat=candidat)
    with (
        time_machine.travel(timezone.now() + timedelta(days=190)),
        pytest.raises(TransitionNotAllowed, match="a expiré"),
    ):
        demande.executer("deposer", par=candidat)
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON
    assert CodePhoto.objects.get(code=demande.code_photo).utilise_le is None


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_with_the_same_code_one_passes(candidat):
    premiere = DemandeFactory(candidat=candidat)
    seconde = DemandeFactory(candidat=candidat, code_photo=premiere.code_photo)
    depart = threading.Barrier(2)
    resultats = {}

    def deposer(demande):
        try:
            depart.wait()
            demande.executer("deposer", par=candidat)
            resultats[demande.pk] = "deposee"
        except TransitionNotAllowed as exc:
            resultats[demande.pk] = str(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=deposer, args=(d,)) for d in (premiere, seconde)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert sorted(resultats.values()) == sorted(["deposee", CodePhotoRefuse.UTILISE])
    etats = set(Demande.objects.values_list("etat", flat=True))
    assert etats == {Etat.DEPOSEE, Etat.BROUILLON}
