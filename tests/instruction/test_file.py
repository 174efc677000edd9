"""The queue: each role's scope, oldest first, filters, search, pagination."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Etat, Motif
from instruction import forms
from instruction.forms import FiltresFile
from tests.factories import DemandeFactory

URL = reverse("instruction:file")


def _numeros(response):
    return [d.numero for d in response.context["page"].object_list]


def _il_y_a(jours):
    return timezone.now() - timedelta(days=jours)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.django_db
def test_candidate_never_reaches_the_back_office(client, candidat):
    client.force_login(candidat)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("instruction:pilotage")).status_code == 403


@pytest.mark.django_db
def test_ctn_queue_holds_submitted_requests_and_those_in_form_check(client, agent_ctn):
    deposee = DemandeFactory(deposee=True, departement="69")
    en_controle = DemandeFactory(en_controle=True, departement="34")
    DemandeFactory(en_instruction=True)
    DemandeFactory()  # brouillon
    DemandeFactory(acceptee=True)
    client.force_login(agent_ctn)
    assert set(_numeros(client.get(URL))) == {deposee.numero, en_controle.numero}


@pytest.mark.django_db
def test_instructor_queue_holds_their_departement_in_instruction(client, instructeur):
    a_instruire = DemandeFactory(en_instruction=True, departement="69")
    DemandeFactory(en_instruction=True, departement="34")
    DemandeFactory(deposee=True, departement="69")
    DemandeFactory(en_controle=True, departement="69")
    client.force_login(instructeur)
    assert _numeros(client.get(URL)) == [a_instruire.numero]


@pytest.mark.django_db
def test_instructor_without_departement_sees_nothing(client, instructeur):
    instructeur.departement = ""
    instructeur.save()
    DemandeFactory(en_instruction=True, departement="69")
    client.force_login(instructeur)
    assert _numeros(client.get(URL)) == []


@pytest.mark.django_db
def test_queue_is_oldest_first(client, agent_ctn):
    recente = DemandeFactory(deposee=True, deposee_le=_il_y_a(1))
    ancienne = DemandeFactory(deposee=True, deposee_le=_il_y_a(20))
    moyenne = DemandeFactory(deposee=True, deposee_le=_il_y_a(5))
    client.force_login(agent_ctn)
    assert _numeros(client.get(URL)) == [ancienne.numero, moyenne.numero, recente.numero]


@pytest.mark.django_db
def test_filters_by_motif_category_state_and_age(client, agent_ctn):
    b_ancienne = DemandeFactory(deposee=True, categories=["B"], deposee_le=_il_y_a(40))
    b96 = DemandeFactory(deposee=True, categories=["B96"], deposee_le=_il_y_a(3))
    moto = DemandeFactory(en_controle=True, categories=["A2"], deposee_le=_il_y_a(10))
    perte = DemandeFactory(deposee=True, motif=Motif.PERTE, categories=[], deposee_le=_il_y_a(2))
    client.force_login(agent_ctn)

    assert _numeros(client.get(URL, {"motif": Motif.PERTE})) == [perte.numero]
    assert _numeros(client.get(URL, {"categorie": "B"})) == [b_ancienne.numero]
    assert _numeros(client.get(URL, {"categorie": "B96"})) == [b96.numero]
    assert _numeros(client.get(URL, {"etat": Etat.CONTROLE_FORME})) == [moto.numero]
    assert _numeros(client.get(URL, {"anciennete": 7})) == [b_ancienne.numero, moto.numero]
    assert _numeros(client.get(URL, {"anciennete": 30})) == [b_ancienne.numero]


@pytest.mark.django_db
def test_filters_by_claim(client, agent_ctn, prendre):
    mienne = DemandeFactory(deposee=True)
    libre = DemandeFactory(deposee=True)
    client.force_login(agent_ctn)
    prendre(mienne, agent_ctn)
    assert _numeros(client.get(URL, {"prise": "moi"})) == [mienne.numero]
    assert _numeros(client.get(URL, {"prise": "libres"})) == [libre.numero]


@pytest.mark.django_db
def test_queue_shows_who_holds_each_request(client, instructeur, collegue, prendre):
    demande = DemandeFactory(en_instruction=True, departement="69")
    prendre(demande, collegue)
    client.force_login(instructeur)
    assert collegue.get_full_name() in client.get(URL).content.decode()


@pytest.mark.django_db
def test_invalid_filter_is_ignored_and_explained(client, agent_ctn):
    demande = DemandeFactory(deposee=True)
    client.force_login(agent_ctn)
    response = client.get(URL, {"motif": "inconnu", "anciennete": "abc"})
    assert response.status_code == 200
    assert _numeros(response) == [demande.numero]
    assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.django_db
def test_state_filter_cannot_reach_outside_the_queue(client, agent_ctn):
    DemandeFactory(en_instruction=True)
    client.force_login(agent_ctn)
    assert _numeros(client.get(URL, {"etat": Etat.EN_INSTRUCTION})) == []


# --- Search ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_by_request_number_as_typed(client, agent_ctn):
    cherchee = DemandeFactory(deposee=True)
    DemandeFactory(deposee=True)
    client.force_login(agent_ctn)
    tape = cherchee.numero.lower().replace("-", " ")
    assert _numeros(client.get(URL, {"q": tape})) == [cherchee.numero]


@pytest.mark.django_db
def test_search_by_neph(client, instructeur):
    cherchee = DemandeFactory(en_instruction=True, departement="69", neph="260969010042")
    DemandeFactory(en_instruction=True, departement="69", neph="260969010043")
    client.force_login(instructeur)
    assert _numeros(client.get(URL, {"q": "2609 6901 0042"})) == [cherchee.numero]


@pytest.mark.django_db
def test_search_by_part_of_a_name_ignoring_case(client, agent_ctn):
    cherchee = DemandeFactory(deposee=True, nom_naissance="Lefèvre-Martin", prenoms="Inès")
    usage = DemandeFactory(deposee=True, nom_naissance="Durand", nom_usage="Lefèvre")
    DemandeFactory(deposee=True, nom_naissance="Bernard", prenoms="Paul")
    client.force_login(agent_ctn)
    assert set(_numeros(client.get(URL, {"q": "lefèvre"}))) == {cherchee.numero, usage.numero}
    assert _numeros(client.get(URL, {"q": "INÈS"})) == [cherchee.numero]


@pytest.mark.django_db
def test_search_never_leaves_the_scope(client, instructeur):
    autre = DemandeFactory(en_instruction=True, departement="34", nom_naissance="Unique")
    client.force_login(instructeur)
    assert _numeros(client.get(URL, {"q": autre.numero})) == []
    assert _numeros(client.get(URL, {"q": "Unique"})) == []


@pytest.mark.django_db
def test_nul_bytes_in_the_search_are_refused_before_any_query(client, agent_ctn):
    """No one types a NUL: the door (permis/controle_url.py) answers 400 before the view."""
    DemandeFactory(deposee=True, nom_naissance="Moreau")
    client.force_login(agent_ctn)
    response = client.get(URL, {"q": "Mor\x00eau", "motif": "\x00", "page": "1\x00"})
    assert response.status_code == 400


# --- Pagination ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_of_chosen_size_keep_the_filters(client, agent_ctn):
    DemandeFactory.create_batch(30, deposee=True, categories=["B"])
    DemandeFactory.create_batch(3, deposee=True, categories=["A2"])
    client.force_login(agent_ctn)
    premiere = client.get(URL, {"categorie": "B"})
    assert len(premiere.context["page"].object_list) == 25
    assert "categorie=B&amp;page=2" in premiere.content.decode()
    seconde = client.get(URL, {"categorie": "B", "page": 2})
    assert len(seconde.context["page"].object_list) == 5
    assert len(client.get(URL, {"par_page": 50}).context["page"].object_list) == 33


@pytest.mark.django_db
def test_page_size_is_one_of_the_offered_ones(client, agent_ctn):
    DemandeFactory.create_batch(3, deposee=True)
    client.force_login(agent_ctn)
    response = client.get(URL, {"par_page": 100000})
    assert response.context["page"].paginator.per_page == 25


@pytest.mark.django_db
@pytest.mark.parametrize(
    "depuis, affiche",
    [
        (timedelta(seconds=0), "à l'instant"),
        (timedelta(seconds=59), "à l'instant"),
        (timedelta(minutes=1), "il y a 1\xa0minute"),
        (timedelta(hours=3, minutes=5), "il y a 3\xa0heures"),
        (timedelta(days=2), "il y a 2\xa0jours"),
    ],
)
def test_queue_says_how_long_a_request_has_waited(client, agent_ctn, time_machine, depuis, affiche):
    time_machine.move_to(timezone.now(), tick=False)
    DemandeFactory(deposee=True, deposee_le=timezone.now() - depuis)
    client.force_login(agent_ctn)
    page = html.unescape(client.get(URL).content.decode())
    assert affiche in page
    assert "0\xa0minute" not in page


@pytest.mark.django_db
def test_the_unfiltered_form_is_kept_per_queue_and_never_holds_a_search(
    client, agent_ctn, instructeur
):
    client.force_login(agent_ctn)
    vierge = client.get(URL).content.decode()
    assert 'name="etat"' in vierge  # the CTN's queue holds two states: one may filter by them
    cherche = client.get(URL, {"q": "DUPONT"}).content.decode()
    assert 'value="DUPONT"' in cherche and "Effacer les filtres" in cherche
    # The queue opened again without filters: the search typed before is not in its form.
    de_nouveau = client.get(URL).content.decode()
    assert 'value="DUPONT"' not in de_nouveau and "Effacer les filtres" not in de_nouveau
    assert 'name="q"' in de_nouveau
    # Another queue, its own form: an instructor's holds one state, no state filter.
    client.force_login(instructeur)
    ddt = client.get(URL).content.decode()
    assert 'name="q"' in ddt and 'name="etat"' not in ddt


def _formulaire_des_filtres(page: str) -> str:
    debut = page.index('<form method="get"')
    return page[debut : page.index("</form>", debut)]


@pytest.mark.django_db
def test_a_page_number_alone_is_no_filter_and_builds_no_form(client, agent_ctn, monkeypatch):
    DemandeFactory.create_batch(3, etat=Etat.DEPOSEE)
    client.force_login(agent_ctn)
    forms._RENDUS.oublier()  # the filtered form below built anew (kept per values)
    premiere = client.get(URL).content.decode()  # the blank form rendered and kept
    construits = []
    monkeypatch.setattr(FiltresFile, "__init__", _compter(FiltresFile.__init__, construits))
    vierge = client.get(URL).content.decode()
    page_1 = client.get(URL, {"page": "1"}).content.decode()
    assert construits == []  # neither view built the form: its HTML was kept
    assert _formulaire_des_filtres(vierge) == _formulaire_des_filtres(premiere)
    assert _formulaire_des_filtres(page_1) == _formulaire_des_filtres(premiere)
    # A filter, even only the page size, is read by the form and shown in it.
    par_50 = client.get(URL, {"page": "1", "par_page": "50"}).content.decode()
    assert len(construits) == 1
    assert '<option value="50" selected>' in par_50


def _compter(init, construits):
    def compte(self, *args, **kwargs):
        construits.append(args)
        init(self, *args, **kwargs)

    return compte


@pytest.mark.django_db
def test_the_kept_parts_of_the_queue_follow_its_agent_count_and_rows(
    client, agent_ctn, instructeur, instructeur_autre_departement
):
    DemandeFactory(deposee=True, departement="69", nom_naissance="PREMIER")
    client.force_login(agent_ctn)
    page = client.get(URL).content.decode()
    assert "en attente du contrôle de forme" in page and "1 demande<" in page
    DemandeFactory(deposee=True, departement="34", nom_naissance="SECOND")
    page = client.get(URL).content.decode()  # the kept table, its live count and rows
    assert "2 demandes<" in page and "PREMIER" in page and "SECOND" in page
    assert client.get(URL, {"q": "SECOND"}).content.decode().count("correspondant aux filtres") == 1
    # Each département's instructor: their own wording, not the first one kept.
    for agent, departement in ((instructeur, "69"), (instructeur_autre_departement, "34")):
        DemandeFactory(en_instruction=True, departement=departement)
        client.force_login(agent)
        page = client.get(URL).content.decode()
        assert f"Demandes du département {departement} en attente" in page
        assert "contrôle de forme" not in page and "1 demande<" in page


@pytest.mark.django_db
def test_the_kept_export_buttons_carry_each_views_filters(client, agent_ctn):
    DemandeFactory(deposee=True, nom_naissance="PREMIER")
    client.force_login(agent_ctn)
    assert 'href="/instruction/export.csv"' in client.get(URL).content.decode()
    page = client.get(URL, {"q": "PREMIER"}).content.decode()
    assert 'href="/instruction/export.csv?q=PREMIER"' in page
    assert 'href="/instruction/export.ods?q=PREMIER"' in page
    assert 'href="/instruction/export.ods"' in client.get(URL).content.decode()
