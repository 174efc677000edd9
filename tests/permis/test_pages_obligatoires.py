"""The pages French law requires: reachable from every page's footer, figures from the code."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import purger_sessions_expirees
from demandes import delais
from permis import audit_rgaa

# In the DSFR footer's order.
PAGES = {
    "/plan-du-site/": "Plan du site",
    "/accessibilite/": "Déclaration d'accessibilité",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/gestion-des-cookies/": "Gestion des cookies",
}


def _liens_du_pied_de_page(html: str) -> list[str]:
    pied = html[html.index('<footer class="fr-footer"') :]
    return re.findall(r'class="fr-footer__bottom-link"[^>]*href="([^"]+)"', pied)


@pytest.mark.django_db
@pytest.mark.parametrize("url,titre", PAGES.items())
def test_mandatory_page_is_public_with_its_title_and_breadcrumb(client, url, titre):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{titre} – Permis en ligne</title>" in html.replace("&#x27;", "'")
    assert '<nav role="navigation"\n     class="fr-breadcrumb"' in html
    assert 'class="fr-breadcrumb__link" href="/">Accueil</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/compte/login/", "/ou-en-est-mon-permis/", *PAGES])
def test_every_footer_links_the_five_mandatory_pages(client, url):
    assert _liens_du_pied_de_page(client.get(url).content.decode()) == list(PAGES)


@pytest.mark.django_db
def test_back_office_and_candidate_pages_have_the_same_footer(client, candidat, agent_ctn):
    client.force_login(candidat)
    assert _liens_du_pied_de_page(client.get("/demandes/").content.decode()) == list(PAGES)
    client.force_login(agent_ctn)
    assert _liens_du_pied_de_page(client.get("/instruction/").content.decode()) == list(PAGES)


@pytest.mark.django_db
def test_footer_states_the_status_the_audit_gives(client):
    html = client.get("/").content.decode()
    assert f"Accessibilité : {audit_rgaa.statut()}</a>" in html
    assert audit_rgaa.statut() == "partiellement conforme"


def test_audit_grid_holds_the_106_rgaa_criteria_once_each():
    numeros = [c.numero for c in audit_rgaa.CRITERES]
    assert len(numeros) == len(set(numeros)) == 106
    par_theme = {n: len(criteres) for n, _, criteres in audit_rgaa.par_theme()}
    assert par_theme == {
        "1": 9, "2": 2, "3": 3, "4": 13, "5": 8, "6": 2, "7": 5,
        "8": 10, "9": 4, "10": 14, "11": 13, "12": 11, "13": 12,
    }  # fmt: skip
    # A failed criterion always says what fails.
    assert all(c.note for c in audit_rgaa.par_resultat(audit_rgaa.NC))


@pytest.mark.django_db
def test_statement_gives_the_rate_of_the_grid_and_lists_each_failure(client):
    html = client.get("/accessibilite/").content.decode()
    conformes = len(audit_rgaa.par_resultat(audit_rgaa.C))
    non_conformes = len(audit_rgaa.par_resultat(audit_rgaa.NC))
    taux = round(100 * conformes / (conformes + non_conformes))
    assert f"<strong>{taux} %</strong>" in html
    assert f"{conformes} critères respectés" in html
    for critere in audit_rgaa.par_resultat(audit_rgaa.NC):
        assert f"Critère {critere.numero}" in html
    assert "Défenseur des droits" in html
    assert html.count('<div class="fr-table__wrapper">') == len(audit_rgaa.THEMES)


def test_full_compliance_is_never_claimed_with_unchecked_criteria(monkeypatch):
    tous_conformes = tuple(
        audit_rgaa.Critere(c.numero, c.intitule, audit_rgaa.C) for c in audit_rgaa.CRITERES
    )
    monkeypatch.setattr(audit_rgaa, "CRITERES", tous_conformes)
    assert audit_rgaa.statut() == "totalement conforme"
    un_non_evalue = (audit_rgaa.Critere("8.2", "", audit_rgaa.NE), *tous_conformes[1:])
    monkeypatch.setattr(audit_rgaa, "CRITERES", un_non_evalue)
    assert audit_rgaa.statut() == "partiellement conforme"


@pytest.mark.django_db
def test_personal_data_page_states_the_periods_the_code_enforces(client, settings, monkeypatch):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "Supprimé avec ses fichiers 6 mois après sa dernière modification" in html
    assert "au moins 21 jours avant" in html
    assert "Expire 14 jours après la connexion" in html
    assert "Conservé 6 mois, puis détruit" in html
    assert "24 heures au plus" in html  # the tracking page's 100/d/ip counter
    # The page follows the rule when the rule changes.
    monkeypatch.setattr(delais, "BROUILLON", delais.Delai("1 an", days=366))
    settings.SESSION_COOKIE_AGE = 3 * 86_400
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/2h/key"}
    html = client.get("/donnees-personnelles/").content.decode()
    assert "Supprimé avec ses fichiers 1 an après" in html
    assert "Expire 3 jours après la connexion" in html
    assert "2 heures au plus" in html


@pytest.mark.django_db
def test_cookie_page_names_the_cookies_the_portal_sets(client, candidat):
    client.force_login(candidat)
    client.get("/demandes/")
    html = client.get("/gestion-des-cookies/").content.decode()
    for nom in client.cookies:
        assert f"<code>{nom}</code>" in html
    assert "strictement nécessaires" in html


@pytest.mark.django_db
def test_expired_sessions_are_deleted_and_live_ones_kept():
    vivante, expiree = SessionStore(), SessionStore()
    vivante.create()
    expiree.create()
    Session.objects.filter(session_key=expiree.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    purger_sessions_expirees()
    restantes = set(Session.objects.values_list("session_key", flat=True))
    assert vivante.session_key in restantes and expiree.session_key not in restantes
