"""Each back-office action: who may run it (and who gets 403 or 404), its form, its record."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from demandes.enums import Etat, MotifRejet
from demandes.models import Demande
from tests.factories import DemandeFactory


def _url(demande, action):
    return reverse("instruction:agir", args=[demande.numero, action])


def _etat(demande):
    return Demande.objects.get(pk=demande.pk).etat


# --- The CTN's form check -----------------------------------------------------------------


@pytest.mark.django_db
def test_ctn_agent_starts_the_form_check(client, agent_ctn, prendre):
    demande = DemandeFactory(deposee=True)
    prendre(demande, agent_ctn)
    client.force_login(agent_ctn)
    assert client.get(_url(demande, "prendre-en-controle")).status_code == 200
    response = client.post(_url(demande, "prendre-en-controle"), {"commentaire": ""})
    assert response.status_code == 302
    assert _etat(demande) == Etat.CONTROLE_FORME


@pytest.mark.django_db
def test_ctn_agent_passes_the_form_check_with_a_note_in_the_history(client, agent_ctn, prendre):
    demande = DemandeFactory(en_controle=True)
    prendre(demande, agent_ctn)
    client.force_login(agent_ctn)
    response = client.post(
        _url(demande, "passer-en-instruction"), {"commentaire": "Pièces lisibles et cohérentes."}
    )
    assert response.status_code == 302
    assert response.url == reverse("instruction:file")  # left the agent's queue
    assert _etat(demande) == Etat.EN_INSTRUCTION
    entree = StateLog.objects.for_(demande).latest("timestamp", "pk")
    assert (entree.by, entree.source_state, entree.state) == (
        agent_ctn,
        Etat.CONTROLE_FORME,
        Etat.EN_INSTRUCTION,
    )
    assert entree.description == "Pièces lisibles et cohérentes."


@pytest.mark.django_db
def test_instructor_cannot_do_the_form_check(client, instructeur):
    demande = DemandeFactory(en_controle=True, departement="69")
    deposee = DemandeFactory(deposee=True, departement="69")
    client.force_login(instructeur)
    assert client.post(_url(demande, "passer-en-instruction")).status_code == 403
    assert client.get(_url(deposee, "prendre-en-controle")).status_code == 403
    assert _etat(demande) == Etat.CONTROLE_FORME
    assert _etat(deposee) == Etat.DEPOSEE


@pytest.mark.django_db
def test_ctn_agent_rejects_a_non_compliant_request(client, agent_ctn, prendre):
    demande = DemandeFactory(en_controle=True)
    prendre(demande, agent_ctn)
    client.force_login(agent_ctn)
    client.post(
        _url(demande, "refuser"),
        {"motifs": [MotifRejet.PHOTO_NON_CONFORME], "message": "La photo est floue."},
    )
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.REJETEE
    assert demande.motifs_rejet == [MotifRejet.PHOTO_NON_CONFORME]


# --- The DDT's instruction ----------------------------------------------------------------


@pytest.mark.django_db
def test_instructor_accepts_a_request_of_their_departement(client, instructeur, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(instructeur)
    page = client.get(_url(demande, "accepter")).content.decode()
    assert "Confirmer : accepter la demande" in page
    response = client.post(_url(demande, "accepter"))
    assert response.status_code == 302
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.ACCEPTEE
    assert demande.decidee_le is not None
    assert StateLog.objects.for_(demande).get(transition="accepter").by == instructeur


@pytest.mark.django_db
def test_ctn_agent_cannot_instruct(client, agent_ctn):
    demande = DemandeFactory(en_instruction=True, departement="69")
    client.force_login(agent_ctn)
    assert client.get(_url(demande, "accepter")).status_code == 403
    assert client.post(_url(demande, "accepter")).status_code == 403
    assert (
        client.post(_url(demande, "refuser"), {"motifs": ["autre"], "message": "Non."}).status_code
        == 403
    )
    assert _etat(demande) == Etat.EN_INSTRUCTION


@pytest.mark.django_db
def test_instructor_of_another_departement_gets_404(client, instructeur_autre_departement):
    demande = DemandeFactory(en_instruction=True, departement="69")
    client.force_login(instructeur_autre_departement)
    for action in ("accepter", "refuser", "demander-complement"):
        assert client.get(_url(demande, action)).status_code == 404
        assert client.post(_url(demande, action)).status_code == 404
    assert _etat(demande) == Etat.EN_INSTRUCTION


@pytest.mark.django_db
def test_candidate_never_reaches_an_action(client, candidat):
    demande = DemandeFactory(en_instruction=True, candidat=candidat)
    client.force_login(candidat)
    assert client.post(_url(demande, "accepter")).status_code == 403
    assert _etat(demande) == Etat.EN_INSTRUCTION


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    demande = DemandeFactory(en_instruction=True)
    response = client.post(_url(demande, "accepter"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.django_db
def test_acting_needs_the_claim(client, instructeur, collegue, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    client.force_login(instructeur)
    response = client.post(_url(demande, "accepter"), follow=True)
    # Messages are escaped like any text (DSFR_CONTENT_IS_SAFE = False): the ' is &#x27;.
    assert "Prenez d'abord cette demande en charge." in html.unescape(response.content.decode())
    prendre(demande, collegue)
    client.post(_url(demande, "accepter"))
    assert _etat(demande) == Etat.EN_INSTRUCTION


@pytest.mark.django_db
def test_action_not_allowed_in_this_state_is_explained(client, instructeur):
    demande = DemandeFactory(acceptee=True, departement="69")
    client.force_login(instructeur)
    response = client.post(_url(demande, "accepter"), follow=True)
    assert response.status_code == 200
    assert "Action impossible pour une demande « Acceptée »" in response.content.decode()


@pytest.mark.django_db
def test_unknown_action_is_404(client, instructeur):
    demande = DemandeFactory(en_instruction=True, departement="69")
    client.force_login(instructeur)
    assert client.get(_url(demande, "valider-tout")).status_code == 404


# --- Rejection: reason codes and a message --------------------------------------------------


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_a_message(client, instructeur, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(instructeur)
    response = client.post(_url(demande, "refuser"), {"motifs": [], "message": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cochez au moins un motif de rejet." in page
    assert "Écrivez un message au candidat." in page
    assert _etat(demande) == Etat.EN_INSTRUCTION


@pytest.mark.django_db
def test_rejection_keeps_what_was_typed_when_a_field_is_missing(client, instructeur, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(instructeur)
    response = client.post(_url(demande, "refuser"), {"message": "Justificatif périmé."})
    assert "Justificatif périmé." in response.content.decode()


@pytest.mark.django_db
def test_clock_only_reason_cannot_be_chosen_by_an_instructor(client, instructeur, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(instructeur)
    client.post(_url(demande, "refuser"), {"motifs": [MotifRejet.HORS_DELAI], "message": "x"})
    assert _etat(demande) == Etat.EN_INSTRUCTION


@pytest.mark.django_db
def test_rejection_records_reasons_and_tells_the_candidate(
    client, instructeur, prendre, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(instructeur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _url(demande, "refuser"),
            {
                "motifs": [MotifRejet.DOMICILE_TROP_ANCIEN, MotifRejet.IDENTITE_DISCORDANTE],
                "message": "Le justificatif de domicile date de 2024.",
            },
        )
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.REJETEE
    assert demande.motifs_rejet == ["domicile_trop_ancien", "identite_discordante"]
    entree = StateLog.objects.for_(demande).get(transition="refuser")
    assert "Justificatif de domicile de plus de 6 mois" in entree.description
    (email,) = mail.outbox
    assert "justificatif de domicile de plus de 6 mois" in email.body
    assert "Le justificatif de domicile date de 2024." in email.body
    assert "nouveau code photo" in email.body


# --- Complement request: which pieces, until when --------------------------------------------


@pytest.mark.django_db
def test_complement_request_names_pieces_and_a_deadline(client, agent_ctn, prendre):
    demande = DemandeFactory(en_controle=True)
    prendre(demande, agent_ctn)
    client.force_login(agent_ctn)
    avant = timezone.localdate() + timedelta(days=10)
    client.post(
        _url(demande, "demander-complement"),
        {"pieces": ["domicile"], "avant": avant.isoformat(), "message": "Facture trop ancienne."},
    )
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.A_COMPLETER
    assert demande.pieces_a_completer == ["domicile"]
    assert demande.completer_avant == avant
    assert demande.file_origine == Etat.CONTROLE_FORME


@pytest.mark.django_db
def test_complement_request_offers_only_the_uploaded_pieces_of_the_matrix(
    client, agent_ctn, prendre
):
    demande = DemandeFactory(en_controle=True)
    prendre(demande, agent_ctn)
    client.force_login(agent_ctn)
    page = client.get(_url(demande, "demander-complement")).content.decode()
    assert "Justificatif de domicile" in page
    assert "Attestation de participation à la JDC" in page  # born 2007: JDC required
    assert "code photo" not in page.split("Pièces à remplacer")[1].split("</fieldset>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("jours", [0, -1, 61])
def test_complement_deadline_must_be_within_60_days(client, agent_ctn, prendre, jours):
    demande = DemandeFactory(en_controle=True)
    prendre(demande, agent_ctn)
    client.force_login(agent_ctn)
    avant = timezone.localdate() + timedelta(days=jours)
    response = client.post(
        _url(demande, "demander-complement"),
        {"pieces": ["domicile"], "avant": avant.isoformat(), "message": "Illisible."},
    )
    assert response.status_code == 200
    assert "La date limite" in response.content.decode()
    assert _etat(demande) == Etat.CONTROLE_FORME


@pytest.mark.django_db
def test_complement_request_needs_a_piece(client, instructeur, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(instructeur)
    avant = timezone.localdate() + timedelta(days=10)
    response = client.post(
        _url(demande, "demander-complement"), {"avant": avant.isoformat(), "message": "x"}
    )
    assert "Cochez au moins une pièce à remplacer." in response.content.decode()
    assert _etat(demande) == Etat.EN_INSTRUCTION


# --- A stale page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_acting_on_a_request_changed_meanwhile_says_so(client, instructeur, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, instructeur)
    client.force_login(instructeur)
    page_confirmation = client.get(_url(demande, "accepter"))
    assert page_confirmation.status_code == 200
    # Meanwhile the request went back to the candidate (another tab, another instructor).
    Demande.objects.get(pk=demande.pk).executer(
        "demander_complement",
        par=instructeur,
        pieces=["domicile"],
        avant=timezone.localdate() + timedelta(days=5),
    )
    response = client.post(_url(demande, "accepter"), follow=True)
    assert "Action impossible pour une demande « À compléter »" in response.content.decode()
    assert _etat(demande) == Etat.A_COMPLETER
