"""Verifiable documents: every PDF carries a signed code (and its QR code) that the public
page « Vérifier un document » recognises, with whether the document still counts."""

import io
import re
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from pypdf import PdfReader

from demandes import attestation, verification
from demandes.enums import Etat, Motif
from demandes.models import Demande, DocumentEmis, DocumentProduit
from demandes.tasks import produire_recepisse_depot
from tests.factories import DemandeFactory

ATTESTATION = DocumentProduit.Nature.ATTESTATION_INSCRIPTION


def _pdf(document: DocumentProduit) -> bytes:
    with document.fichier.open("rb") as flux:
        return flux.read()


def _qr(pdf: bytes) -> str:
    """What a phone reads from the QR code of the first page (rendered at 150 dpi)."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=150 / 72).to_pil()
    lus = zxingcpp.read_barcodes(image)
    assert len(lus) == 1, "one QR code on the first page"
    return lus[0].text


def _code_imprime(pdf: bytes) -> str:
    """The code printed under the QR code (text extraction may break it across lines)."""
    texte = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    return re.search(r"Codedevérification((?:[0-9A-Z]{4}-){3}[0-9A-Z]{4})", texte).group(1)


@pytest.fixture
def acceptee(db, instructeur, django_capture_on_commit_callbacks):
    demande = DemandeFactory(
        en_instruction=True, departement="69", nom_naissance="Dubois", prenoms="Camille"
    )
    with django_capture_on_commit_callbacks(execute=True):
        demande.executer("accepter", par=instructeur)
    return Demande.objects.get(pk=demande.pk)


def _verifier(client, code: str):
    return client.get(reverse("verifier_code", args=[code]))


# --- the code itself ------------------------------------------------------------------


def test_code_round_trip_and_reading_mistakes():
    code = verification.code_de(123456789, 3)
    assert len(code) == verification.LONGUEUR
    assert verification.lire(code) == verification.CodeLu(reference=123456789, version=3)
    lisible = verification.lisible(code)
    assert lisible.count("-") == 3
    # Typed in lower case, with spaces, O for 0 and I or L for 1: still the same code.
    tape = lisible.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert verification.lire(tape) == verification.lire(code)


def test_any_altered_character_is_refused():
    code = verification.code_de(987654, 1)
    for position, caractere in enumerate(code):
        for autre in (c for c in verification.ALPHABET if c != caractere):
            altere = code[:position] + autre + code[position + 1 :]
            assert verification.lire(altere) is None, (position, autre)


def test_code_signed_with_an_unknown_secret_is_forged(settings):
    settings.PERMIS_CLES_VERIFICATION = [("A", "le-secret-de-quelqu-un-d-autre")]
    faux = verification.code_de(42, 1)
    settings.PERMIS_CLES_VERIFICATION = [("A", "le-vrai-secret")]
    assert verification.lire(faux) is None


def test_key_rotation_old_codes_verify_until_their_key_is_dropped(settings):
    settings.PERMIS_CLES_VERIFICATION = [("A", "ancien-secret")]
    ancien = verification.code_de(42, 1)
    settings.PERMIS_CLES_VERIFICATION = [("B", "nouveau-secret"), ("A", "ancien-secret")]
    nouveau = verification.code_de(43, 1)
    assert nouveau[0] == "B" and ancien[0] == "A"
    assert verification.lire(ancien).reference == 42
    assert verification.lire(nouveau).reference == 43
    settings.PERMIS_CLES_VERIFICATION = [("B", "nouveau-secret")]
    assert verification.lire(ancien) is None
    assert verification.lire(nouveau).reference == 43


@pytest.mark.django_db
def test_garbage_and_control_characters_are_refused_without_a_query(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        for saisie in ("", "ABC", "\x00" * 16, "A" * 16, "é" * 16, "A1B2-C3D4-E5F6-G7H\x00"):
            assert DocumentEmis.objects.verifier(saisie) is None


# --- the documents ----------------------------------------------------------------------


@pytest.mark.django_db
def test_attestation_carries_a_qr_code_and_code_that_verify(acceptee, client, settings):
    document = DocumentProduit.objects.get(demande=acceptee, nature=ATTESTATION)
    pdf = _pdf(document)
    url = _qr(pdf)
    emis = DocumentEmis.objects.get(demande=acceptee, nature=ATTESTATION)
    assert url == settings.SITE_URL + reverse("verifier_code", args=[emis.code])
    assert verification.normaliser(_code_imprime(pdf)) == emis.code

    page = client.get(urlsplit(url).path)
    contenu = page.content.decode()
    assert page.status_code == 200
    assert "Document authentique et valable" in contenu
    assert "Attestation d&#x27;inscription" in contenu or "Attestation d'inscription" in contenu
    assert acceptee.numero in contenu
    assert "Camille DUBOIS" in contenu
    # Nothing the document does not show: no address, no birth date, no NEPH.
    assert acceptee.adresse not in contenu
    assert acceptee.neph not in contenu


@pytest.mark.django_db
def test_withdrawn_inscription_attestation_is_no_longer_valid(
    acceptee, client, django_capture_on_commit_callbacks
):
    emis = DocumentEmis.objects.get(demande=acceptee, nature=ATTESTATION)
    with django_capture_on_commit_callbacks(execute=True):
        acceptee.executer("abandonner", par=acceptee.candidat)
    assert Demande.objects.get(pk=acceptee.pk).etat == Etat.ABANDONNEE
    contenu = _verifier(client, emis.code).content.decode()
    assert "Document authentique, mais plus valable" in contenu
    assert "retirée" in contenu


@pytest.mark.django_db
def test_accepted_licence_request_cannot_be_withdrawn(instructeur):
    demande = DemandeFactory(acceptee=True, motif=Motif.PRODUCTION_PREMIER_TITRE)
    assert "abandonner" not in demande.transitions_possibles(demande.candidat)


@pytest.mark.django_db
def test_a_new_edition_supersedes_the_old_one(acceptee, client):
    ancienne = DocumentEmis.objects.get(demande=acceptee, nature=ATTESTATION)
    nouvelle = DocumentEmis.nouvelle_edition(
        ATTESTATION, acceptee.candidat, ancienne.titulaire, acceptee
    )
    nouvelle.save()
    assert nouvelle.version == 2 and nouvelle.code != ancienne.code
    assert "édition plus récente" in _verifier(client, ancienne.code).content.decode()
    assert "Document authentique et valable" in _verifier(client, nouvelle.code).content.decode()


@pytest.mark.django_db
def test_producing_the_attestation_again_makes_no_new_edition(acceptee):
    attestation.produire(acceptee.pk)
    assert DocumentEmis.objects.filter(demande=acceptee).count() == 1


@pytest.mark.django_db
def test_receipt_verifies_while_in_instruction_then_is_replaced_by_the_attestation(
    candidat, instructeur, client, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(candidat=candidat, departement="69")
    with django_capture_on_commit_callbacks(execute=True):
        demande.executer("deposer", par=candidat)
    recepisse = DocumentProduit.objects.get(
        demande=demande, nature=DocumentProduit.Nature.RECEPISSE_DEPOT
    )
    emis = DocumentEmis.objects.get(demande=demande, nature=recepisse.nature)
    assert urlsplit(_qr(_pdf(recepisse))).path == reverse("verifier_code", args=[emis.code])
    assert "Document authentique et valable" in _verifier(client, emis.code).content.decode()
    assert produire_recepisse_depot(demande.pk) is False  # once
    Demande.objects.filter(pk=demande.pk).update(etat=Etat.ACCEPTEE)
    contenu = _verifier(client, emis.code).content.decode()
    assert "plus valable" in contenu and "remplace ce récépissé" in contenu


@pytest.mark.django_db
def test_each_releve_download_is_an_edition_of_its_own(client):
    demande = DemandeFactory(etat=Etat.DISTRIBUE, motif=Motif.PRODUCTION_PREMIER_TITRE)
    client.force_login(demande.candidat)
    codes = []
    for _ in range(2):
        reponse = client.get(reverse("releve"))
        assert reponse["Content-Type"] == "application/pdf"
        codes.append(verification.normaliser(_code_imprime(reponse.content)))
    assert codes[0] != codes[1]
    contenu = _verifier(client, codes[1]).content.decode()
    assert "Document authentique et valable" in contenu
    assert "Relevé d" in contenu
    assert "édition plus récente" in _verifier(client, codes[0]).content.decode()


# --- the page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_code_gets_a_message_next_to_the_field_and_keeps_the_input(client):
    faux = verification.code_de(1, 1)  # well signed, but no such document
    reponse = client.get(reverse("verifier"), {"code": verification.lisible(faux)})
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "ne correspond à aucun document" in contenu
    assert verification.lisible(faux) in contenu
    assert "<title>Erreur" in contenu
    court = client.get(reverse("verifier"), {"code": "ABC"}).content.decode()
    assert "16 caractères" in court


@pytest.mark.django_db
def test_the_empty_form_is_public(client):
    reponse = client.get(reverse("verifier"))
    assert reponse.status_code == 200
    assert "Vérifier un document" in reponse.content.decode()


@pytest.mark.django_db
def test_nul_byte_in_the_code_is_refused_not_a_server_error(client):
    # The door (permis.middleware) refuses NUL anywhere in the URL before the view runs.
    assert client.get("/verifier/%00/").status_code == 400
    assert client.get("/verifier/", {"code": "\x00"}).status_code == 400


@pytest.mark.django_db
def test_verification_is_rate_limited(client):
    code = verification.code_de(5, 1)
    statuts = [_verifier(client, code).status_code for _ in range(21)]
    assert statuts == [200] * 20 + [429]
    assert "Trop de vérifications" in _verifier(client, code).content.decode()
