"""The PDFs stay tagged PDF/UA-1 (RGAA 13.3), whatever is done to render them faster."""

import io

import pikepdf
import pytest

from demandes import attestation, pdf
from demandes.models import DocumentEmis, DocumentProduit
from tests.demandes.assistant import jpeg, png
from tests.factories import DemandeFactory


def _balises(noeud, trouvees: list) -> list:
    """The structure elements under `noeud`, in reading order, as (type, text alternative)."""
    enfants = noeud.get("/K")
    for enfant in enfants if isinstance(enfants, pikepdf.Array) else [enfants]:
        if isinstance(enfant, pikepdf.Dictionary) and "/S" in enfant:
            trouvees.append((str(enfant.S), str(enfant.get("/Alt", ""))))
            _balises(enfant, trouvees)
    return trouvees


def _verifier_pdf_ua(contenu: bytes) -> list:
    document = pikepdf.open(io.BytesIO(contenu))
    assert document.Root.MarkInfo.Marked
    assert str(document.Root.Lang) == "fr"
    assert document.Root.ViewerPreferences.DisplayDocTitle
    with document.open_metadata() as xmp:
        assert xmp["pdfuaid:part"] == "1"
    return _balises(document.Root.StructTreeRoot, [])


@pytest.mark.django_db
def test_attestation_is_tagged_with_its_images_text_alternatives(instructeur):
    demande = DemandeFactory(en_instruction=True, departement="69")
    demande.executer("accepter", par=instructeur)
    demande.photo.save("photo.jpg", jpeg(taille=(70, 90)), save=False)
    demande.signature.save("signature.png", png(taille=(70, 90)), save=True)
    emis = DocumentEmis.edition_de(demande, DocumentProduit.Nature.ATTESTATION_INSCRIPTION)
    balises = _verifier_pdf_ua(attestation.rendre(demande, emis))
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI"} <= {s for s, _ in balises}
    assert [alt for s, alt in balises if s == "/Figure"] == [
        "QR code de vérification du document",
        "Photo d'identité du candidat",
        "Signature du candidat",
    ]


@pytest.mark.django_db
def test_recepisse_is_tagged():
    demande = DemandeFactory(deposee=True)
    emis = DocumentEmis.edition_de(demande, DocumentProduit.Nature.RECEPISSE_DEPOT)
    balises = _verifier_pdf_ua(pdf.recepisse_depot(demande, emis))
    assert {"/H1", "/Table", "/TH", "/TD"} <= {s for s, _ in balises}
    assert [alt for s, alt in balises if s == "/Figure"] == ["QR code de vérification du document"]
