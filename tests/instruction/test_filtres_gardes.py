"""The queue's filters form is kept rendered per values but the search's (instruction/forms.py
rendu_des_filtres): the same HTML and filters as the form built and rendered anew, the search
typed in its hole, escaped, and no form built for values already seen."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from demandes.enums import Etat
from instruction import forms
from instruction.forms import FiltresFile, rendu_des_filtres
from tests.factories import DemandeFactory

CTN = (Etat.DEPOSEE, Etat.CONTROLE_FORME)


def _sans_garde(donnees, etats):
    formulaire = FiltresFile(donnees, etats=etats)
    filtres = formulaire.filtres()
    actif = any(nom != "par_page" for nom in filtres)
    html = render_to_string(
        "instruction/_filtres.html", {"formulaire": formulaire, "filtre_actif": actif}
    )
    return filtres, actif, html, bool(formulaire.errors)


@pytest.fixture(autouse=True)
def _vide():
    forms._RENDUS.oublier()


@pytest.mark.parametrize(
    "donnees",
    [
        {"q": "DUPONT"},
        {"q": "  dupont  jean "},
        {"q": "   "},
        {"q": ""},
        {"q": "<script>\"&'</script>"},
        {"q": "x" * 101},  # too long: its error shown
        {"q": "x" * 100, "motif": "inscription_premiere"},
        {"motif": "nimporte"},  # an invalid choice: its error shown
        {"motif": "", "categorie": "B", "anciennete": "15"},
        {"par_page": "50"},
        {"par_page": "50", "q": "Léa"},
        {"etat": "deposee", "prise": "moi", "reponse": "recue", "q": "NOM1"},
        {"q": "a\x00b"},
        {"page": "3", "q": "martin", "inconnu": "1"},
    ],
)
@pytest.mark.parametrize("etats", [CTN, (Etat.EN_INSTRUCTION,)], ids=["ctn", "ddt"])
def test_the_kept_form_is_the_form_rendered_anew(donnees, etats):
    attendu = _sans_garde(donnees, etats)
    for _ in range(2):  # rendered, then kept
        filtres, actif, html, formulaire = rendu_des_filtres(donnees, etats)
        assert (filtres, actif, html, formulaire["errors"]) == attendu


def test_another_search_with_the_same_filters_builds_no_form(monkeypatch):
    rendu_des_filtres({"q": "DUPONT", "motif": "inscription_premiere"}, CTN)
    construits = []
    init = FiltresFile.__init__

    def compte(self, *args, **kwargs):
        construits.append(args)
        init(self, *args, **kwargs)

    monkeypatch.setattr(FiltresFile, "__init__", compte)
    filtres, _, html, _ = rendu_des_filtres({"q": "<Léa>", "motif": "inscription_premiere"}, CTN)
    assert construits == []
    assert filtres["q"] == "<Léa>" and 'value="&lt;Léa&gt;"' in html
    assert "DUPONT" not in html
    # Other values: their own form, built once.
    rendu_des_filtres({"q": "DUPONT", "motif": "inscription_retour"}, CTN)
    assert len(construits) == 1


@pytest.mark.django_db
def test_the_queue_page_shows_each_search_in_its_kept_form(client, agent_ctn):
    DemandeFactory(deposee=True, nom_naissance="PREMIER")
    DemandeFactory(deposee=True, nom_naissance="SECOND")
    client.force_login(agent_ctn)
    url = reverse("instruction:file")
    for nom, autre in (("PREMIER", "SECOND"), ("SECOND", "PREMIER")):
        page = client.get(url, {"q": nom, "par_page": "50"}).content.decode()
        assert f'value="{nom}"' in page and nom in page and autre not in page
        assert "Effacer les filtres" in page and "<title>Erreur" not in page
    trop_long = client.get(url, {"q": "x" * 101}).content.decode()
    assert "<title>Erreur" in trop_long
