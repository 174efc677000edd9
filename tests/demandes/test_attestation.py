"""The attestation d'inscription: two A4 pages with the NEPH and the candidate's identity,
produced once, after the acceptance commits."""

import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from demandes import attestation
from demandes.enums import Etat, Motif
from demandes.models import Demande, DocumentProduit
from tests.demandes.assistant import pages_pdf
from tests.factories import DemandeFactory

NATURE = DocumentProduit.Nature.ATTESTATION_INSCRIPTION
A4 = (595, 842)  # points


@pytest.fixture
def acceptee(db, instructeur):
    demande = DemandeFactory(
        en_instruction=True,
        departement="69",
        nom_naissance="Dubois",
        prenoms="Camille",
        categories=["B", "AM"],
    )
    demande.executer("accepter", par=instructeur)
    demande = Demande.objects.get(pk=demande.pk)
    return demande


@pytest.mark.django_db
def test_attestation_has_two_a4_pages_with_neph_and_name(acceptee):
    pdf = attestation.rendre(acceptee)
    lecteur = PdfReader(io.BytesIO(pdf))
    assert len(lecteur.pages) == 2
    for page in lecteur.pages:
        assert (round(page.mediabox.width), round(page.mediabox.height)) == A4
    recto, verso = pages_pdf(pdf)
    assert "Attestation d'inscription au permis de conduire" in recto
    assert " ".join((acceptee.neph[:4], acceptee.neph[4:8], acceptee.neph[8:])) in recto
    assert "DUBOIS" in recto
    assert "Camille" in recto
    assert "B — voiture" in recto
    assert "AM — cyclomoteur, voiturette" in recto
    # The date printed is the day in France (from 23:00 UTC, already the next one).
    assert timezone.localtime(acceptee.decidee_le).strftime("%d/%m/%Y") in recto
    assert acceptee.neph in verso


@pytest.mark.django_db
def test_attestation_embeds_the_photo(acceptee):
    from PIL import Image

    sortie = io.BytesIO()
    Image.new("RGB", (70, 90), (200, 30, 30)).save(sortie, "JPEG")
    acceptee.photo.save("photo.jpg", ContentFile(sortie.getvalue()), save=True)
    lecteur = PdfReader(io.BytesIO(attestation.rendre(acceptee)))
    assert len(lecteur.pages[0].images) == 1


@pytest.mark.django_db
def test_attestation_is_produced_once(acceptee):
    premier = attestation.produire(acceptee.pk)
    second = attestation.produire(acceptee.pk)
    assert premier.pk == second.pk
    assert DocumentProduit.objects.filter(demande=acceptee, nature=NATURE).count() == 1
    with premier.fichier.open("rb") as flux:
        assert acceptee.neph in "".join(pages_pdf(flux.read()))


@pytest.mark.django_db
def test_no_attestation_without_an_accepted_inscription(instructeur):
    en_instruction = DemandeFactory(en_instruction=True, departement="69")
    titre = DemandeFactory(acceptee=True, departement="69", motif=Motif.PRODUCTION_PREMIER_TITRE)
    assert attestation.produire(en_instruction.pk) is None
    assert attestation.produire(titre.pk) is None
    assert not DocumentProduit.objects.filter(nature=NATURE).exists()


@pytest.mark.django_db
def test_acceptance_produces_the_attestation_after_commit(
    instructeur, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(en_instruction=True, departement="69")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demande.executer("accepter", par=instructeur)
    # Nothing produced while the acceptance is not committed.
    assert not DocumentProduit.objects.filter(demande=demande).exists()
    for callback in callbacks:
        callback()
    document = DocumentProduit.objects.get(demande=demande, nature=NATURE)
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.ACCEPTEE
    with document.fichier.open("rb") as flux:
        assert demande.neph in "".join(pages_pdf(flux.read()))
