"""Templates use the DSFR 1.14 markup the bundled django-dsfr expects."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import DemandeFactory

GABARITS = Path(settings.BASE_DIR) / "templates"
# PDFs and emails are not rendered by the DSFR.
HORS_DSFR = ("pdf", "emails")


def _pages_html():
    for chemin in sorted(GABARITS.rglob("*.html")):
        if not set(chemin.relative_to(GABARITS).parts) & set(HORS_DSFR):
            yield chemin, chemin.read_text()


def test_every_table_is_wrapped_in_the_dsfr_1_14_table_markup():
    for chemin, texte in _pages_html():
        tables = len(re.findall(r"<table[\s>]", texte))
        if chemin.name == "table.html" and "{% slot %}" in texte:
            assert "fr-table__content" in texte, chemin
            continue
        if chemin == GABARITS / "dsfr" / "tableau.html":  # the wrapper of {% tableau %}
            assert 'class="fr-table__container" tabindex="0"' in texte, chemin
            continue
        # A table written inside {% tableau %}…{% endtableau %} gets the wrapper from it.
        enveloppees = len(re.findall(r"\{% tableau[ %]", texte))
        assert texte.count('class="fr-table__content"') + enveloppees == tables, chemin
        assert texte.count('class="fr-table__container" tabindex="0"') + enveloppees == tables, (
            chemin
        )


def test_no_template_uses_the_table_classes_dsfr_1_12_removed():
    retirees = re.compile(r"fr-table--(no-caption|layout-fixed|no-caption-mobile)\b")
    for chemin, texte in _pages_html():
        assert not retirees.search(texte), chemin


def _fil_ariane(html: str) -> list[str]:
    """The breadcrumb's entries (links then the current page), or [] without one."""
    if 'class="fr-breadcrumb"' not in html:
        return []
    liste = html[html.index('class="fr-breadcrumb__list"') : html.index("</ol>")]
    return [t.strip() for t in re.findall(r'class="fr-breadcrumb__link"[^>]*>([^<]*)</a>', liste)]


@pytest.mark.django_db
def test_every_page_but_home_has_a_breadcrumb_starting_at_home(client, candidat, agent_ctn):
    assert _fil_ariane(client.get("/").content.decode()) == []
    publiques = ["/compte/login/", "/compte/signup/", "/compte/password/reset/"]
    for url in [
        *publiques,
        "/ou-en-est-mon-permis/",
        "/plan-du-site/",
        "/verifier/",
        "/nulle-part/",
    ]:
        fil = _fil_ariane(client.get(url).content.decode())
        assert fil[:1] == ["Accueil"] and len(fil) >= 2, url
    brouillon = DemandeFactory(candidat=candidat)
    client.force_login(candidat)
    assert _fil_ariane(client.get("/demandes/").content.decode()) == ["Accueil", "Mes demandes"]
    for url in ["/demandes/nouvelle/", f"/demandes/{brouillon.numero}/"]:
        fil = _fil_ariane(client.get(url).content.decode())
        assert fil[:2] == ["Accueil", "Mes demandes"] and len(fil) == 3, url
    abandon = _fil_ariane(client.get(f"/demandes/{brouillon.numero}/abandonner/").content.decode())
    assert abandon[:3] == ["Accueil", "Mes demandes", f"Demande {brouillon.numero}"], abandon
    client.force_login(agent_ctn)
    assert _fil_ariane(client.get("/instruction/pilotage/").content.decode()) == [
        "Accueil",
        "File d'attente",
        "Pilotage",
    ]


@pytest.mark.django_db
def test_forms_sent_back_with_errors_say_so_in_the_title_and_summary(client, candidat):
    page = client.post("/compte/login/", {"login": "", "password": ""}).content.decode()
    assert "<title>Erreur : Se connecter – Permis en ligne</title>" in page
    assert 'id="resume-erreurs" tabindex="-1" autofocus' in page
    assert 'href="#id_login"' in page and 'href="#id_password"' in page
    page = client.post("/compte/signup/", {"email": "camille@exemple.fr"}).content.decode()
    assert "<title>Erreur : Créer un compte – Permis en ligne</title>" in page
    assert 'value="camille@exemple.fr"' in page  # nothing typed is lost
    page = client.post("/ou-en-est-mon-permis/", {"numero": "X"}).content.decode()
    assert "<title>Erreur : Où en est mon permis ? – Permis en ligne</title>" in page
    assert 'id="resume-erreurs"' in page
    assert "<title>Erreur" not in client.get("/compte/login/").content.decode()
