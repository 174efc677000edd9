"""Every mail, rendered through the code that sends it: its subject and text part are plain text,
so an apostrophe, an ampersand or a chevron typed by someone arrives as typed, never as an entity."""

import re
from pathlib import Path

import pytest
from allauth.core import context as allauth_context
from django.conf import settings
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.adapters import AccountAdapter
from demandes.enums import Etat
from demandes.etats import SENS, notification, precisions
from permis import emails
from tests.auto_ecoles.factories import AutoEcoleFactory
from tests.factories import CandidatFactory, DemandeFactory

ENTITE = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);")
GABARITS = Path(settings.BASE_DIR) / "templates"
PIEGE = "D'Artagnan & <Fils>"


def _sans_entite(texte: str) -> None:
    assert not ENTITE.search(texte), texte


@pytest.fixture
def demande(db):
    candidat = CandidatFactory(first_name="Zoé-Léa", email="zoe@exemple.fr")
    return DemandeFactory(
        candidat=candidat,
        prenoms="Zoé-Léa d'Aubigné",
        nom_naissance="L'Hôpital",
        message_candidat="Votre justificatif d'adresse est illisible & <flou>.",
        motifs_rejet=["document_illisible", "domicile_trop_ancien"],
        pieces_a_completer=["domicile"],
        completer_avant=timezone.localdate(),
        neph="240569000001",
        numero_suivi="8R12345678901",
    )


def _contextes(demande):
    """Each mail of templates/emails/ with the context its sender gives it."""
    auto_ecole = AutoEcoleFactory(nom="L'Auto-école d'Ainay & fils", commune="Saint-Jean-d'Angély")
    invitation = auto_ecole.invitations.create(email="eleve@exemple.fr", type="eleve")
    contextes = [
        ("identifiant", {"user": demande.candidat}),
        ("brouillon_a_supprimer", {"demande": demande, "supprime_a_partir_du": timezone.now()}),
        ("invitation_auto_ecole", {"invitation": invitation, "lien": "/invitation/x'y/"}),
        ("message_recu", {"demande": demande, "lien": "/demandes/x/messages/"}),
    ]
    for etat, (titre, detail) in ((e, s.notification) for e, s in SENS.items() if s.notifiee):
        contextes.append(
            (
                "changement_etat",
                {
                    "demande": demande,
                    "titre": titre,
                    "detail": detail,
                    "entree": StateLog(state=etat),
                    "precisions": precisions(demande, etat),
                },
            )
        )
    return contextes


def test_every_mail_of_the_portal_has_a_plain_subject_and_text(demande):
    contextes = _contextes(demande)
    noms = {
        p.name.removesuffix("-subject.txt") for p in (GABARITS / "emails").glob("*-subject.txt")
    }
    assert {nom for nom, _ in contextes} == noms, "a new mail needs its line here"

    for nom, contexte in contextes:
        mail.outbox.clear()
        emails.envoyer(nom, "dest@exemple.fr", contexte)
        (message,) = mail.outbox
        _sans_entite(message.subject)
        _sans_entite(message.body)


def test_state_mails_keep_apostrophes_and_what_the_service_wrote(demande):
    titre, detail = notification(Etat.EN_INSTRUCTION)
    emails.envoyer(
        "changement_etat",
        "dest@exemple.fr",
        {"demande": demande, "titre": titre, "detail": detail, "entree": StateLog(state="x")},
    )
    assert "Votre demande est en cours d'instruction" in mail.outbox[0].subject
    assert "Votre demande est en cours d'instruction" in mail.outbox[0].body

    titre, detail = notification(Etat.REJETEE)
    emails.envoyer(
        "changement_etat",
        "dest@exemple.fr",
        {
            "demande": demande,
            "titre": titre,
            "detail": detail,
            "entree": StateLog(state=Etat.REJETEE),
            "precisions": precisions(demande, Etat.REJETEE),
        },
    )
    # The HTML part stays escaped: what someone typed is never markup there.
    texte, (html, _) = mail.outbox[1].body, mail.outbox[1].alternatives[0]
    assert "Votre justificatif d'adresse est illisible & <flou>." in texte
    assert "&lt;flou&gt;" in html and "<flou>" not in html


ALLAUTH = sorted(
    p.name.removesuffix("_subject.txt")
    for p in (GABARITS / "account" / "email").glob("*_subject.txt")
)


@pytest.mark.parametrize("prefixe", ALLAUTH)
def test_every_account_mail_has_a_plain_subject_and_text(db, prefixe):
    """allauth renders these through the adapter's render_mail, as here."""
    requete = RequestFactory().get("/")
    contexte = {
        "service": PIEGE,
        "email": "d'artagnan@exemple.fr",
        "activate_url": "https://exemple.fr/confirmer/a&b/",
        "password_reset_url": "https://exemple.fr/reinitialiser/a&b/",
        "username": PIEGE,
        "user": CandidatFactory(first_name=PIEGE),
        "request": requete,
    }
    with allauth_context.request_context(requete):
        message = AccountAdapter().render_mail(f"account/email/{prefixe}", "a@exemple.fr", contexte)
    _sans_entite(message.subject)
    _sans_entite(message.body)
    assert PIEGE in message.body
