"""The tax stamp step (perte, vol): a 16-digit stamp of the right amount, used once."""

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from demandes.enums import Etat, Motif
from demandes.models import Demande
from demandes.timbre_fiscal import TimbreRefuse
from simulateurs.models import CodePhoto, TimbreFiscal
from simulateurs.timbres import acheter_timbre
from tests.demandes import assistant
from tests.factories import DemandeFactory


@pytest.fixture
def au_timbre(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.VOL)
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    assistant.remplir_pieces(client, demande)
    return demande


def timbre_utilise() -> str:
    timbre = acheter_timbre(25)
    TimbreFiscal.objects.filter(pk=timbre.pk).update(utilise_le=timezone.now(), utilise_pour="X")
    return timbre.numero


@pytest.mark.parametrize(
    "numero, message",
    [
        (lambda: "1234", TimbreRefuse.FORMAT),
        (lambda: "12345678901234AB", TimbreRefuse.FORMAT),
        (lambda: "1234567890123456", TimbreRefuse.INCONNU),
        (lambda: acheter_timbre(86).numero, "Ce timbre fiscal est de 86 € : cette démarche demande un timbre de 25 €."),
        (timbre_utilise, TimbreRefuse.UTILISE),
        (lambda: "", "Saisissez le numéro du timbre fiscal."),
    ],
    ids=["court", "lettres", "inconnu", "montant", "utilise", "vide"],
)  # fmt: skip
@pytest.mark.django_db
def test_bad_stamp_is_refused_with_a_clear_message(client, au_timbre, numero, message):
    response = assistant.poster(client, au_timbre, "timbre", {"timbre_fiscal": numero()})
    assert response.status_code == 200
    assert response.context["form"].errors == {"timbre_fiscal": [message]}
    assert Demande.objects.get(pk=au_timbre.pk).timbre_fiscal == ""


@pytest.mark.django_db
def test_valid_stamp_is_kept_and_used_up_at_submission(client, au_timbre):
    timbre = acheter_timbre(25)
    groupes = " ".join(timbre.numero[i : i + 4] for i in range(0, 16, 4))
    suivante = assistant.valider(client, au_timbre, "timbre", {"timbre_fiscal": groupes})
    assert suivante == assistant.url_etape(au_timbre, "recapitulatif")
    assert Demande.objects.get(pk=au_timbre.pk).timbre_fiscal == timbre.numero
    assert TimbreFiscal.objects.get(pk=timbre.pk).utilise_le is None
    assistant.deposer(client, au_timbre)
    assert TimbreFiscal.objects.get(pk=timbre.pk).utilise_pour == au_timbre.numero


@pytest.mark.django_db
def test_same_stamp_in_two_drafts_only_the_first_submission_passes(candidat):
    numero = acheter_timbre(25).numero
    premiere = DemandeFactory(
        candidat=candidat, motif=Motif.PERTE, categories=[], timbre_fiscal=numero
    )
    seconde = DemandeFactory(
        candidat=candidat, motif=Motif.PERTE, categories=[], timbre_fiscal=numero
    )
    premiere.executer("deposer", par=candidat)
    with pytest.raises(TransitionNotAllowed, match="déjà été utilisé"):
        seconde.executer("deposer", par=candidat)
    assert Demande.objects.get(pk=seconde.pk).etat == Etat.BROUILLON
    # Nothing of the refused submission stays: its photo code is still unused.
    assert CodePhoto.objects.get(code=seconde.code_photo).utilise_le is None


@pytest.mark.django_db
def test_a_perte_request_without_stamp_cannot_be_submitted(candidat):
    demande = DemandeFactory(candidat=candidat, motif=Motif.PERTE, categories=[])
    with pytest.raises(TransitionNotAllowed, match="incomplète"):
        demande.executer("deposer", par=candidat)
