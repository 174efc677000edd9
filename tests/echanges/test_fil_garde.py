"""The thread page's work per view: its body kept rendered per the very values it shows
(echanges/views.py, `page`), each shown value changed behind its back showing at once, a form
sent back with its errors never kept; no read receipt written when nothing is unread; the
requester's scope asked by one compiled query (a school under mandate, a draft, a withdrawn
mandate)."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from demandes.enums import Etat
from demandes.models import Demande
from echanges.enums import Cote
from echanges.models import Message
from permis.templatetags import fragments
from tests.factories import DemandeFactory


def _connecte(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _html(reponse) -> str:
    page = reponse.content.decode()
    # The CSRF token and the CSP nonce differ at each view.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'nonce="[^"]+"', "", page)


@pytest.fixture
def demande(candidat):
    return DemandeFactory(candidat=candidat, en_instruction=True, departement="69")


def _fil(demande) -> str:
    return reverse("echanges:fil", args=[demande.numero])


def _fil_agent(demande) -> str:
    return reverse("instruction:messages", args=[demande.numero])


@pytest.mark.django_db
@pytest.mark.parametrize("cote", ["demandeur", "service"])
def test_each_shown_value_changed_behind_the_page_shows_at_once(
    candidat, instructeur, demande, prendre, cote
):
    question = Message.objects.envoyer(demande, candidat, Cote.DEMANDEUR, "Première question")
    prendre(demande, instructeur)
    reponse = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Première réponse")
    lecteur, url = (candidat, _fil(demande)) if cote == "demandeur" else (instructeur, None)
    url = url or _fil_agent(demande)
    client = _connecte(lecteur)
    client.get(url)  # the other side's message read: the page stays as it is from now on

    def verifier(*attendus: str, absents: tuple = ()):
        gardee = _html(client.get(url))
        assert _html(client.get(url)) == gardee  # kept: the same page again
        fragments._FRAGMENTS.oublier()
        assert gardee == _html(client.get(url))  # as rendered from nothing
        lue = html.unescape(gardee)
        for attendu in attendus:
            assert attendu in lue
        for absent in absents:
            assert absent not in lue

    verifier("Première question", "Première réponse", "pas encore lu")
    # Read by the other side: the reader's own message shows when.
    mien = question if cote == "demandeur" else reponse
    lu_le = timezone.make_aware(timezone.datetime(2026, 3, 4, 15, 16))
    Message.objects.filter(pk=mien.pk).update(lu_le=lu_le, lu_par=instructeur)
    verifier("lu le 4 mars 2026 à 15:16", absents=("pas encore lu",))
    # A new message of the other side: shown, new.
    if cote == "demandeur":
        Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Deuxième réponse")
    else:
        Message.objects.envoyer(demande, candidat, Cote.DEMANDEUR, "Deuxième question")
    nouveau = _html(client.get(url))
    assert "Nouveau" in nouveau and "Deuxième" in nouveau
    verifier("Deuxième", absents=("Nouveau",))  # read by that first view
    # The author's name, as this side reads it.
    User.objects.filter(pk=candidat.pk).update(first_name="Aurélie", last_name="Lambert")
    if cote == "service":
        verifier("Aurélie Lambert (candidat)")
    else:  # « Vous » in the thread (the header names the account)
        verifier("Aurélie Lambert")
        assert "Aurélie" not in _html(client.get(url)).split('id="messages"')[1]
    # The claim given up: the agent may no longer write.
    if cote == "service":
        verifier('name="texte"')
        demande.prise_en_charge.delete()
        verifier("Prenez d'abord cette demande en charge", absents=('name="texte"',))
    # The decision closes the thread.
    Demande.objects.filter(pk=demande.pk).update(etat=Etat.ACCEPTEE)
    verifier("Les échanges sur cette demande sont clos", absents=('name="texte"',))


@pytest.mark.django_db
def test_a_form_sent_back_with_its_errors_is_never_kept(candidat, demande):
    client = _connecte(candidat)
    client.get(_fil(demande))
    vide = client.post(_fil(demande), {"texte": "   "}).content.decode()
    assert "Écrivez votre message." in vide
    trop_long = client.post(_fil(demande), {"texte": "Mon texte " * 501}).content.decode()
    assert (
        "Votre message dépasse 5000 caractères" in trop_long and "Mon texte Mon texte" in trop_long
    )
    assert "Écrivez votre message." not in trop_long
    page = client.get(_fil(demande)).content.decode()
    assert "Votre message dépasse" not in page and "Mon texte" not in page


def _requetes(client, url) -> list[str]:
    client.get(url)  # the session's and the account's first reads
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return [requete["sql"] for requete in requetes.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("cote", ["demandeur", "service"])
def test_no_read_receipt_is_written_when_nothing_is_unread(
    candidat, instructeur, demande, prendre, cote
):
    prendre(demande, instructeur)
    Message.objects.envoyer(demande, candidat, Cote.DEMANDEUR, "Question")
    Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Réponse")
    lecteur, url = (candidat, _fil(demande)) if cote == "demandeur" else (instructeur, None)
    url = url or _fil_agent(demande)
    client = _connecte(lecteur)
    client.get(url)  # the other side's message read now
    autre = Message.objects.exclude(cote=cote).get()
    assert autre.lu_le is not None and autre.lu_par == lecteur
    lu_le = autre.lu_le
    requetes = _requetes(client, url)
    assert not [sql for sql in requetes if sql.startswith("UPDATE")]
    # Another message of the other side: read at the next view, in one UPDATE.
    if cote == "demandeur":
        Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Autre réponse")
    else:
        Message.objects.envoyer(demande, candidat, Cote.DEMANDEUR, "Autre question")
    with CaptureQueriesContext(connection) as avec:
        client.get(url)
    assert len(avec.captured_queries) == len(requetes) + 1
    assert Message.objects.exclude(cote=cote).filter(lu_le__isnull=True).count() == 0
    assert Message.objects.exclude(cote=cote).filter(lu_le=lu_le).count() == 1  # untouched


@pytest.mark.django_db
def test_the_requester_s_scope(candidat, autre_candidat, demande):
    from tests.auto_ecoles.factories import MandatFactory, MembreFactory

    membre = MembreFactory(gestionnaire=True).user
    mandat = MandatFactory(candidat=candidat, auto_ecole=membre.membre_auto_ecole.auto_ecole)
    par_l_ecole = DemandeFactory(
        candidat=candidat, depose_par=membre, en_instruction=True, departement="69"
    )
    brouillon = DemandeFactory(candidat=candidat)
    assert brouillon.etat == Etat.BROUILLON
    Message.objects.envoyer(par_l_ecole, candidat, Cote.DEMANDEUR, "Du candidat")
    ecole, moi, autre = _connecte(membre), _connecte(candidat), _connecte(autre_candidat)
    assert "Du candidat" in ecole.get(_fil(par_l_ecole)).content.decode()
    assert moi.get(_fil(par_l_ecole)).status_code == 200
    assert moi.get(_fil(demande)).status_code == 200
    assert ecole.get(_fil(demande)).status_code == 404  # not filed by the school
    assert moi.get(_fil(brouillon)).status_code == 404  # a draft has no thread yet
    assert autre.get(_fil(par_l_ecole)).status_code == 404
    mandat.retirer(par=candidat)
    assert ecole.get(_fil(par_l_ecole)).status_code == 404  # the mandate withdrawn: at once
    assert moi.get(_fil(par_l_ecole)).status_code == 200
