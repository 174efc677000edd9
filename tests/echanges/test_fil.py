"""A request's thread, end to end: the candidate writes (with an attachment), the queue shows
it, the agent who holds the request reads and answers, the candidate is told once by email
and SMS, reads « Le service instructeur », and the thread closes with the decision."""

import html
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from demandes.enums import Etat
from demandes.models import Demande
from echanges.enums import Cote
from echanges.models import EchangeRefuse, Message, NotificationMessage
from echanges.tasks import notifier_message
from simulateurs.models import Sms
from tests.factories import DemandeFactory, pdf_minimal


def _fil(demande):
    return reverse("echanges:fil", args=[demande.numero])


def _fil_agent(demande):
    return reverse("instruction:messages", args=[demande.numero])


class _Client(Client):
    """Responses carry `texte`: the page as read (entities decoded: « d'abord », not &#x27;)."""

    def request(self, **requete):
        reponse = super().request(**requete)
        if not reponse.streaming:
            reponse.texte = html.unescape(reponse.content.decode())
        return reponse


def _connecte(user) -> Client:
    client = _Client()
    client.force_login(user)
    return client


@pytest.fixture
def demande(candidat):
    return DemandeFactory(
        candidat=candidat, en_instruction=True, departement="69", telephone="06 12 34 56 78"
    )


@pytest.mark.django_db
def test_a_thread_end_to_end(
    candidat, instructeur, demande, prendre, django_capture_on_commit_callbacks
):
    instructeur.first_name, instructeur.last_name = "Zéphyrine", "Instructrice"
    instructeur.save()
    moi = _connecte(candidat)
    # The candidate writes, with a PDF: no email or SMS for the back-office.
    with django_capture_on_commit_callbacks(execute=True):
        reponse = moi.post(
            _fil(demande),
            {
                "texte": "Voici mon justificatif de domicile à jour.",
                "piece_jointe": SimpleUploadedFile(
                    "domicile.pdf", pdf_minimal(), "application/pdf"
                ),
            },
        )
    assert reponse.status_code == 302
    (question,) = Message.objects.filter(demande=demande)
    assert question.cote == Cote.DEMANDEUR and question.auteur == candidat
    assert question.nom_original == "domicile.pdf" and question.type_mime == "application/pdf"
    assert mail.outbox == [] and not Sms.objects.exists()

    # The queue shows it: a badge, and the « réponse reçue » filter keeps only this one.
    DemandeFactory(en_instruction=True, departement="69")
    agent = _connecte(instructeur)
    file = agent.get(reverse("instruction:file")).texte
    assert file.count("Réponse reçue") == 2  # the filter's option and the one badge
    filtree = agent.get(reverse("instruction:file"), {"reponse": "recue"})
    assert [d.numero for d in filtree.context["page"].object_list] == [demande.numero]

    # An agent who does not hold the request reads, but may not write.
    page = agent.get(_fil_agent(demande)).texte
    assert "Voici mon justificatif de domicile à jour." in page
    assert "Prenez d'abord cette demande en charge" in page
    assert 'name="texte"' not in page
    refus = agent.post(_fil_agent(demande), {"texte": "Bonjour"}, follow=True)
    assert "Prenez d'abord cette demande en charge" in refus.texte
    assert Message.objects.filter(demande=demande).count() == 1
    # Opened by an agent of its queue: read, and the badge is gone.
    question.refresh_from_db()
    assert question.lu_le is not None and question.lu_par == instructeur
    assert "Réponse reçue" not in agent.get(reverse("instruction:file")).texte.split("<tbody>")[1]
    piece = agent.get(reverse("instruction:piece_jointe", args=[demande.numero, question.pk]))
    assert piece.status_code == 200 and b"".join(piece.streaming_content).startswith(b"%PDF-")

    # The agent holding it answers: the candidate is told once by email and once by SMS.
    prendre(demande, instructeur)
    with django_capture_on_commit_callbacks(execute=True):
        agent.post(_fil_agent(demande), {"texte": "Merci, c'est noté. Il manque la page 2."})
    reponse_agent = Message.objects.get(demande=demande, cote=Cote.SERVICE)
    (courriel,) = mail.outbox
    assert courriel.to == [demande.email]
    assert courriel.subject == f"Nouveau message du service instructeur — demande {demande.numero}"
    assert _fil(demande) in courriel.body
    assert "Il manque la page 2" not in courriel.body  # read on the portal, signed in
    (texto,) = Sms.objects.all()
    assert texto.numero == "+33612345678" and _fil(demande) in texto.texte
    # A retry of either task sends nothing more.
    for notification in NotificationMessage.objects.filter(message=reponse_agent):
        assert notification.statut == NotificationMessage.Statut.ENVOYEE
        assert notifier_message(notification.pk) is False
    assert len(mail.outbox) == 1 and Sms.objects.count() == 1

    # The candidate reads « Le service instructeur », never the agent's name; the agent sees
    # that the candidate read their message, the candidate that theirs was read.
    detail = moi.get(reverse("demandes:detail", args=[demande.numero])).texte
    assert "1 non lu" in detail
    page = moi.get(_fil(demande)).texte
    assert "Le service instructeur" in page and "Il manque la page 2." in page
    assert "Zéphyrine" not in page and "Instructrice" not in page
    assert "lu le" in page  # the candidate's own message, read by the service
    reponse_agent.refresh_from_db()
    assert reponse_agent.lu_par == candidat
    assert "pas encore lu" not in agent.get(_fil_agent(demande)).texte

    # The decision closes the thread: kept, read-only, refused with a message on both sides.
    with django_capture_on_commit_callbacks(execute=True):
        agent.post(reverse("instruction:agir", args=[demande.numero, "accepter"]))
    assert Demande.objects.get(pk=demande.pk).etat == Etat.ACCEPTEE
    page = moi.get(_fil(demande)).texte
    assert "Les échanges sur cette demande sont clos" in page and 'name="texte"' not in page
    assert "Il manque la page 2." in page
    refus = moi.post(_fil(demande), {"texte": "Encore une question"}, follow=True)
    assert "Les échanges sur cette demande sont clos" in refus.texte
    assert Message.objects.filter(demande=demande).count() == 2
    assert len(mail.outbox) == 2  # the decision's own email, none for a message
    with pytest.raises(EchangeRefuse):
        Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Trop tard")

    # The back-office's history of the request lists the messages.
    historique = agent.get(reverse("instruction:demande", args=[demande.numero])).content
    assert b"Messages \xc3\xa9chang\xc3\xa9s" in historique and b"domicile.pdf" in historique


@pytest.mark.django_db
def test_the_school_under_mandate_writes_for_its_student(candidat, instructeur):
    from tests.auto_ecoles.factories import MandatFactory, MembreFactory

    membre = MembreFactory(gestionnaire=True).user
    MandatFactory(candidat=candidat, auto_ecole=membre.membre_auto_ecole.auto_ecole)
    demande = DemandeFactory(
        candidat=candidat, depose_par=membre, en_instruction=True, departement="69"
    )
    _connecte(membre).post(_fil(demande), {"texte": "Question de l'auto-école."})
    page = _connecte(instructeur).get(_fil_agent(demande)).texte
    assert "Question de l'auto-école." in page
    assert "(auto-école, " in page


@pytest.mark.django_db
def test_an_attachment_goes_through_the_checks_of_the_pieces(candidat, demande):
    moi = _connecte(candidat)
    reponse = moi.post(
        _fil(demande),
        {
            "texte": "Mon message, à garder.",
            "piece_jointe": SimpleUploadedFile("faux.pdf", b"pas un pdf", "application/pdf"),
        },
    )
    assert reponse.status_code == 200
    page = reponse.texte
    assert "n'est pas au format JPEG, PNG ou PDF" in page
    assert "Mon message, à garder." in page  # nothing typed is lost
    assert "<title>Erreur :" in page
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_an_infected_attachment_is_refused(candidat, demande, antivirus_actif):
    from tests.clamav import EICAR

    reponse = _connecte(candidat).post(
        _fil(demande),
        {"texte": "Voici.", "piece_jointe": SimpleUploadedFile("x.pdf", EICAR, "application/pdf")},
    )
    assert "contient un virus" in reponse.texte
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_an_empty_message_is_refused_next_to_its_field(candidat, demande):
    reponse = _connecte(candidat).post(_fil(demande), {"texte": "   "})
    assert reponse.status_code == 200
    assert "Écrivez votre message." in reponse.texte
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_action_comments_stay_internal(candidat, agent_ctn, prendre):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    prendre(demande, agent_ctn)
    demande.executer("prendre_en_controle", par=agent_ctn, description="Note interne : douteux")
    page = _connecte(candidat).get(_fil(demande)).texte
    assert "douteux" not in page
    assert (
        "douteux"
        not in _connecte(candidat).get(reverse("demandes:detail", args=[demande.numero])).texte
    )


@pytest.mark.django_db
def test_an_agent_outside_the_queue_reads_without_marking_read(candidat, agent_ctn, demande):
    Message.objects.envoyer(demande, candidat, Cote.DEMANDEUR, "Bonjour")
    # A CTN agent may open a request in instruction, which is not in their queue.
    assert _connecte(agent_ctn).get(_fil_agent(demande)).status_code == 200
    assert Message.objects.get().lu_le is None


# --- Scope: foreign users get 404, for the thread and each attachment ------------------------


@pytest.mark.django_db
def test_foreign_users_get_404(
    candidat, autre_candidat, instructeur, instructeur_autre_departement, demande
):
    message = Message.objects.envoyer(
        demande,
        candidat,
        Cote.DEMANDEUR,
        "Confidentiel",
        fichier=_verifie("releve.pdf"),
    )
    cote_candidat = [
        _fil(demande),
        reverse("echanges:piece_jointe", args=[demande.numero, message.pk]),
    ]
    cote_agent = [
        _fil_agent(demande),
        reverse("instruction:piece_jointe", args=[demande.numero, message.pk]),
    ]
    autre = _connecte(autre_candidat)
    ailleurs = _connecte(instructeur_autre_departement)
    for url in cote_candidat:
        assert autre.get(url).status_code == 404
        assert autre.post(url, {"texte": "Intrus"}).status_code == 404
    for url in cote_agent:
        assert ailleurs.get(url).status_code == 404
        assert ailleurs.post(url, {"texte": "Intrus"}).status_code == 404
        assert autre.get(url).status_code == 403  # a candidate in the back-office
    # The attachment of one request is not reached through another the user may see.
    sienne = DemandeFactory(candidat=autre_candidat, en_instruction=True, departement="69")
    assert (
        autre.get(reverse("echanges:piece_jointe", args=[sienne.numero, message.pk])).status_code
        == 404
    )
    assert (
        _connecte(instructeur)
        .get(reverse("instruction:piece_jointe", args=[sienne.numero, message.pk]))
        .status_code
        == 404
    )
    assert Message.objects.count() == 1
    assert Message.objects.get().lu_le is None


def _verifie(nom):
    from demandes import uploads

    return uploads.verifier(SimpleUploadedFile(nom, pdf_minimal(), "application/pdf"))


@pytest.mark.django_db
def test_the_requester_s_history_lists_the_messages_without_agents_names(
    candidat, instructeur, demande, prendre
):
    instructeur.first_name, instructeur.last_name = "Zéphyrine", "Instructrice"
    instructeur.save()
    moi = _connecte(candidat)
    moi.post(
        _fil(demande),
        {
            "texte": "Voici mon justificatif.",
            "piece_jointe": SimpleUploadedFile("domicile.pdf", pdf_minimal(), "application/pdf"),
        },
    )
    prendre(demande, instructeur)
    _connecte(instructeur).post(_fil_agent(demande), {"texte": "Bien reçu, merci."})
    page = moi.get(reverse("demandes:detail", args=[demande.numero])).texte
    historique = page[page.index('id="historique-messages"') :]
    historique = " ".join(re.sub(r"<[^>]+>", " ", historique).split())  # as read
    assert "Message — Vous — pièce jointe : domicile.pdf" in historique
    assert "Message — Le service instructeur" in historique
    assert "Zéphyrine" not in page and "Bien reçu" not in historique  # the text stays in the thread
