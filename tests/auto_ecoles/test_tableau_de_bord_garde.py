"""The dashboard's kept table: keyed on the very rows it shows, its forms' tokens live."""

import html
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from auto_ecoles.models import AutoEcole, Mandat
from demandes.enums import Etat
from demandes.models import Demande
from tests.auto_ecoles.factories import MandatFactory, MembreFactory
from tests.factories import CandidatFactory, DemandeFactory

pytestmark = pytest.mark.django_db

URL = reverse("auto_ecoles:tableau_de_bord")
GABARIT = "auto_ecoles/tableau_de_bord.html"


def page(client) -> str:
    reponse = client.get(URL)
    assert reponse.status_code == 200
    return html.unescape(reponse.content.decode())


def test_each_shown_value_changed_behind_the_pages_back_is_shown(client, membre):
    eleve = CandidatFactory(first_name="Agathe", last_name="Rousseau")
    mandat = MandatFactory(auto_ecole=membre.auto_ecole, candidat=eleve)
    demande = DemandeFactory(candidat=eleve, depose_par=membre.user, deposee=True)
    avant = page(client)
    assert "Agathe Rousseau" in avant and demande.numero in avant and "Déposée" in avant

    eleve.first_name = "Bérénice"
    eleve.save(update_fields=["first_name"])
    assert "Bérénice Rousseau" in page(client)

    Demande.objects.filter(pk=demande.pk).update(etat=Etat.CONTROLE_FORME)
    assert "En contrôle de forme" in page(client)

    autre = DemandeFactory(candidat=eleve, depose_par=membre.user, deposee=True)
    assert autre.numero in page(client)

    donne_le = mandat.donne_le.replace(year=2020)
    Mandat.objects.filter(pk=mandat.pk).update(donne_le=donne_le)
    assert f"mandat du {timezone.localtime(donne_le):%d/%m/%Y}" in page(client)

    AutoEcole.objects.filter(pk=membre.auto_ecole_id).update(nom="Auto-école Perrache")
    contenu = page(client)
    assert "<h1>Auto-école Perrache</h1>" in contenu
    assert 'aria-current="page">Auto-école Perrache — élèves</a>' in contenu
    assert "<title>Auto-école Perrache — élèves – " in contenu  # the kept title too

    deuxieme = MandatFactory(
        auto_ecole=membre.auto_ecole, candidat=CandidatFactory(last_name="Zola")
    )
    contenu = page(client)
    assert "2 élèves" in contenu
    assert reverse("auto_ecoles:retirer_mandat", args=[deuxieme.pk]) in contenu

    Mandat.objects.filter(pk=mandat.pk).update(retire_le=mandat.donne_le)
    contenu = page(client)
    assert "Bérénice" not in contenu and demande.numero not in contenu and "1 élève" in contenu


def test_students_by_name_and_their_requests_last_modified_first_read_with_the_membership(
    client, membre
):
    """One query reads the membership, its school, the students and their requests."""
    zola, abel = CandidatFactory(last_name="Zola"), CandidatFactory(last_name="Abel")
    for eleve in (zola, abel):
        MandatFactory(auto_ecole=membre.auto_ecole, candidat=eleve)
    ancienne, recente = (
        DemandeFactory(candidat=abel, depose_par=membre.user, deposee=True) for _ in range(2)
    )
    Demande.objects.filter(pk=ancienne.pk).update(modifie_le=timezone.now().replace(year=2020))
    with CaptureQueriesContext(connection) as requetes:
        contenu = page(client)
    assert contenu.index("Abel") < contenu.index(recente.numero) < contenu.index(ancienne.numero)
    assert contenu.index(ancienne.numero) < contenu.index("Zola")
    assert len([r for r in requetes if "auto_ecoles_" in r["sql"]]) == 1


def test_a_request_the_member_may_not_see_is_not_shown(client, membre):
    """visibles_par's scope: a request the student filed alone stays theirs."""
    eleve = CandidatFactory()
    MandatFactory(auto_ecole=membre.auto_ecole, candidat=eleve)
    sienne = DemandeFactory(candidat=eleve, deposee=True)
    de_l_ecole = DemandeFactory(candidat=eleve, depose_par=membre.user, deposee=True)
    contenu = page(client)
    assert de_l_ecole.numero in contenu and sienne.numero not in contenu


def test_the_kept_tables_forms_carry_a_token_masked_anew(client, membre):
    mandat = MandatFactory(auto_ecole=membre.auto_ecole)
    action = reverse("auto_ecoles:retirer_mandat", args=[mandat.pk])
    motif = f'action="{action}"[^>]*>\\s*<input type="hidden" name="csrfmiddlewaretoken" '
    motif += 'value="([^"]+)"'
    jetons = {re.search(motif, page(client))[1] for _ in range(2)}
    assert len(jetons) == 2


def test_a_member_whose_role_was_withdrawn_is_refused(client, membre):
    MandatFactory(auto_ecole=membre.auto_ecole)
    page(client)  # the table is kept
    membre.user.groups.remove(Group.objects.get(name=Role.AUTO_ECOLE))
    client.force_login(membre.user)
    assert client.get(URL).status_code == 403


def test_the_kept_invitation_forms_follow_whether_the_member_manages_the_school(client, membre):
    """The blank forms are kept per whether the member manages the school: one who no longer
    does loses the staff invitation on the next page, in the same process."""
    assert 'id="id_membre_email"' in page(client)
    membre.gestionnaire = False
    membre.save(update_fields=["gestionnaire"])
    contenu = page(client)
    assert 'id="id_membre_email"' not in contenu and 'id="id_eleve_email"' in contenu
    membre.gestionnaire = True
    membre.save(update_fields=["gestionnaire"])
    assert 'id="id_membre_email"' in page(client)


def test_the_kept_invitation_forms_carry_a_token_masked_anew(client, membre):
    for type in ("eleve", "membre"):
        action = reverse("auto_ecoles:inviter", args=[type])
        motif = f'action="{action}"[^>]*>\\s*<input type="hidden" name="csrfmiddlewaretoken" '
        motif += 'value="([^"]+)"'
        jetons = {re.search(motif, page(client))[1] for _ in range(2)}
        assert len(jetons) == 2


def test_the_page_is_kept_whole_for_what_it_shows_and_rendered_again_when_it_changes(
    client, membre, rendus
):
    MandatFactory(auto_ecole=membre.auto_ecole)
    page(client)
    assert rendus(client, URL, GABARIT) == 0  # the kept page, its holes only
    MandatFactory(auto_ecole=membre.auto_ecole)
    assert rendus(client, URL, GABARIT) == 1
    assert rendus(client, URL, GABARIT) == 0


def test_the_kept_page_shows_the_message_of_the_last_action_once(client, membre):
    page(client)
    reponse = client.post(reverse("auto_ecoles:inviter", args=["eleve"]), {"email": "a@b.fr"})
    assert reponse.status_code == 302
    assert "Invitation envoyée à a@b.fr." in page(client)
    assert "Invitation envoyée" not in page(client)


def test_the_kept_page_follows_the_members_name_in_its_header(client, membre):
    membre.user.first_name, membre.user.last_name = "Alice", "Perrin"
    membre.user.save()
    assert "Mon espace (Alice Perrin)" in page(client)
    membre.user.first_name = "Aline"
    membre.user.save()
    contenu = page(client)
    assert "Mon espace (Aline Perrin)" in contenu and "Alice" not in contenu


def test_two_members_of_a_school_each_see_their_own_name_and_forms(client, membre):
    MandatFactory(auto_ecole=membre.auto_ecole)
    collegue = MembreFactory(auto_ecole=membre.auto_ecole, gestionnaire=False)
    collegue.user.first_name, collegue.user.last_name = "Paul", "Girard"
    collegue.user.save()
    assert 'id="id_membre_email"' in page(client)
    client.force_login(collegue.user)
    contenu = page(client)
    assert "Mon espace (Paul Girard)" in contenu and 'id="id_membre_email"' not in contenu
