"""Each page runs the same number of queries with 1 row as with 50: no query per row.

Rows are what the page lists: requests, pieces, history entries, claims, students. A page
that loads something per row would run 49 more queries with 50 rows than with one.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from auto_ecoles.models import Mandat
from demandes.enums import Etat, Piece
from demandes.models import Demande, DocumentProduit, PieceJustificative
from demandes.numeros import nouveau_numero
from echanges.enums import Cote
from echanges.models import Message
from instruction.models import JournalPriseEnCharge, PriseEnCharge
from tests.auto_ecoles.factories import MembreFactory
from tests.factories import AgentCTNFactory, CandidatFactory, DemandeFactory, InstructeurFactory

pytestmark = pytest.mark.django_db

PEU, BEAUCOUP = 1, 50


def _requetes(client, url, attendus: list[str]) -> int:
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert all(attendu in page for attendu in attendus)  # the rows really are on the page
    return len(requetes)


def _demandes(n: int, **champs) -> list[Demande]:
    """n requests bulk-created (the factory's files are not what is measured)."""
    modele = DemandeFactory.build(candidat=champs.pop("candidat", None) or CandidatFactory())
    communs = {
        f.attname: getattr(modele, f.attname)
        for f in Demande._meta.concrete_fields
        if not f.primary_key and f.name != "numero"
    }
    demandes = []
    for i in range(n):
        valeurs = {
            **communs,
            "numero": nouveau_numero(),
            "nom_naissance": f"NOM{i}",
            "deposee_le": timezone.now() - timedelta(minutes=i),
        }
        for champ, valeur in champs.items():
            valeurs[champ] = valeur(i) if callable(valeur) else valeur
        demandes.append(Demande(**valeurs))
    return Demande.objects.bulk_create(demandes)


def _historique(demande: Demande, n: int, par) -> None:
    type_demande = ContentType.objects.get_for_model(Demande)
    StateLog.objects.bulk_create(
        StateLog(
            content_type=type_demande,
            object_id=demande.pk,
            by=par if i % 2 else None,
            source_state=Etat.DEPOSEE,
            state=Etat.CONTROLE_FORME,
            transition="prendre_en_controle",
            timestamp=timezone.now() - timedelta(minutes=n - i),
        )
        for i in range(n)
    )


def _pieces(demande: Demande, n: int) -> list[str]:
    # One piece per kind at most: the page's longest list is every kind there is.
    PieceJustificative.objects.bulk_create(
        PieceJustificative(
            demande=demande,
            nature=nature,
            fichier=f"pieces/{nature}.pdf",
            nom_original=f"{nature}.pdf",
            type_mime="application/pdf",
            taille=100,
        )
        for nature in list(Piece)[:n]
    )
    return [f"{nature}.pdf" for nature in list(Piece)[:n]]


def _documents(demande: Demande) -> None:
    DocumentProduit.objects.bulk_create(
        DocumentProduit(demande=demande, nature=nature, fichier=f"documents/{nature}.pdf")
        for nature in DocumentProduit.Nature
    )


def _comptes(client, url, remplir) -> dict[int, int]:
    """Queries of the page after filling it with PEU, then BEAUCOUP rows; `remplir` returns
    texts that its new rows put on the page."""
    comptes = {}
    deja = 0
    for n in (PEU, BEAUCOUP):
        attendus = remplir(deja, n - deja)
        deja = n
        cache.clear()  # both measures start cold (the backlog caches its median)
        comptes[n] = _requetes(client, url, attendus)
    return comptes


def test_mes_demandes(client, candidat):
    client.force_login(candidat)

    def remplir(deja, n):
        deposees = _demandes(n, candidat=candidat, etat=Etat.ACCEPTEE)
        for demande in deposees:
            _documents(demande)
        brouillons = _demandes(n, candidat=candidat, etat=Etat.BROUILLON, deposee_le=None)
        return [d.numero for d in deposees + brouillons]

    comptes = _comptes(client, reverse("demandes:liste"), remplir)
    assert comptes[PEU] == comptes[BEAUCOUP]


def test_a_request_page(client, candidat, agent_ctn):
    demande = _demandes(1, candidat=candidat, etat=Etat.CONTROLE_FORME)[0]
    _documents(demande)
    client.force_login(candidat)

    def remplir(deja, n):
        _historique(demande, n, agent_ctn)
        PieceJustificative.objects.filter(demande=demande).delete()
        # The history lists the thread's messages too, and the page counts them.
        agents = [AgentCTNFactory(last_name=f"Agent{deja + i}") for i in range(n)]
        messages = _messages(demande, agents)
        pieces = _pieces(demande, min(deja + n, len(Piece)))
        return pieces + [m.nom_original for m in messages if m.nom_original]

    comptes = _comptes(client, reverse("demandes:detail", args=[demande.numero]), remplir)
    assert comptes[PEU] == comptes[BEAUCOUP]


def test_school_dashboard(client):
    membre = MembreFactory(gestionnaire=True)
    client.force_login(membre.user)

    def remplir(deja, n):
        attendus = []
        for _ in range(n):
            eleve = CandidatFactory()
            Mandat.objects.create(candidat=eleve, auto_ecole=membre.auto_ecole)
            demandes = _demandes(2, candidat=eleve, etat=Etat.DEPOSEE, depose_par_id=membre.user.pk)
            attendus += [d.numero for d in demandes]
        return attendus

    comptes = _comptes(client, reverse("auto_ecoles:tableau_de_bord"), remplir)
    assert comptes[PEU] == comptes[BEAUCOUP]


@pytest.mark.parametrize(
    ("agent_factory", "etat"),
    [(AgentCTNFactory, Etat.DEPOSEE), (InstructeurFactory, Etat.EN_INSTRUCTION)],
    ids=["ctn", "ddt"],
)
# Unfiltered (queries.FileEntiere's compiled pages) and searched by name (the ORM's query).
@pytest.mark.parametrize("filtre", ["", "&q=NOM"], ids=["entiere", "filtree"])
def test_queues(client, agent_factory, etat, filtre):
    agent = agent_factory()
    client.force_login(agent)

    def remplir(deja, n):
        demandes = _demandes(n, etat=etat, departement="69", neph=lambda i: f"{deja + i:012d}")
        # Every other row held by a colleague, each a different one.
        PriseEnCharge.objects.bulk_create(
            PriseEnCharge(demande=d, agent=agent_factory()) for d in demandes[::2]
        )
        # Every third row with an unread message from the candidate (« Réponse reçue »).
        Message.objects.bulk_create(
            Message(demande=d, auteur_id=d.candidat_id, cote=Cote.DEMANDEUR, texte="?")
            for d in demandes[::3]
        )
        return [d.neph for d in demandes]

    # 100 rows a page, so all 50 are on the page measured.
    comptes = _comptes(client, reverse("instruction:file") + "?par_page=100" + filtre, remplir)
    assert comptes[PEU] == comptes[BEAUCOUP]


def test_instructor_request_page(client, agent_ctn):
    demande = _demandes(1, etat=Etat.CONTROLE_FORME)[0]
    _documents(demande)
    PriseEnCharge.objects.create(demande=demande, agent=agent_ctn)
    client.force_login(agent_ctn)

    def remplir(deja, n):
        _historique(demande, n, agent_ctn)
        agents = [AgentCTNFactory(last_name=f"Agent{deja + i}") for i in range(n)]
        JournalPriseEnCharge.objects.bulk_create(
            JournalPriseEnCharge(
                demande=demande, agent=agent, evenement=JournalPriseEnCharge.Evenement.PRISE
            )
            for agent in agents
        )
        PieceJustificative.objects.filter(demande=demande).delete()
        pieces = _pieces(demande, min(deja + n, len(Piece)))
        _messages(demande, agents)
        return pieces + [agent.last_name for agent in agents]

    comptes = _comptes(client, reverse("instruction:demande", args=[demande.numero]), remplir)
    assert comptes[PEU] == comptes[BEAUCOUP]


def _messages(demande: Demande, agents) -> list[Message]:
    """A message of each agent, each read by the candidate, each answered by the candidate
    or a member of a different school, with an attachment."""
    messages = []
    for agent in agents:
        membre = MembreFactory(gestionnaire=True).user
        messages += [
            Message(
                demande=demande,
                auteur=agent,
                cote=Cote.SERVICE,
                texte=agent.last_name,
                lu_le=timezone.now(),
                lu_par=demande.candidat,
            ),
            Message(
                demande=demande,
                auteur=membre,
                cote=Cote.DEMANDEUR,
                texte="Réponse",
                piece_jointe="messages/x.pdf",
                nom_original=f"{agent.last_name}.pdf",
                type_mime="application/pdf",
                taille=1000,
                lu_le=timezone.now(),
                lu_par=agent,
            ),
            Message(demande=demande, auteur=demande.candidat, cote=Cote.DEMANDEUR, texte="Merci"),
        ]
    return Message.objects.bulk_create(messages)


@pytest.mark.parametrize("cote", ["demandeur", "service"])
def test_a_thread_page(client, agent_ctn, cote):
    demande = _demandes(1, etat=Etat.CONTROLE_FORME)[0]
    PriseEnCharge.objects.create(demande=demande, agent=agent_ctn)
    if cote == "service":
        client.force_login(agent_ctn)
        url = reverse("instruction:messages", args=[demande.numero])
    else:
        client.force_login(demande.candidat)
        url = reverse("echanges:fil", args=[demande.numero])

    def remplir(deja, n):
        agents = [AgentCTNFactory(last_name=f"Agent{deja + i}") for i in range(n)]
        messages = _messages(demande, agents)
        return [m.nom_original for m in messages if m.nom_original]

    comptes = _comptes(client, url, remplir)
    assert comptes[PEU] == comptes[BEAUCOUP]


def test_backlog(client, agent_ctn):
    client.force_login(agent_ctn)
    etats = [Etat.DEPOSEE, Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION, Etat.A_COMPLETER]

    def remplir(deja, n):
        demandes = _demandes(
            n,
            etat=lambda i: etats[i % len(etats)],
            departement=lambda i: f"{deja + i + 1:02d}",
            decidee_le=lambda i: timezone.now() - timedelta(days=1),
        )
        return [f">{d.departement}<" for d in demandes]

    comptes = _comptes(client, reverse("instruction:pilotage"), remplir)
    assert comptes[PEU] == comptes[BEAUCOUP]
