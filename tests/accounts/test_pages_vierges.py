"""The login, sign-up and password reset pages kept whole once per process while their form is
blank (accounts/pages_vierges.py): the same HTML as
allauth renders live, with each visitor's CSRF token, `next` and messages, and nothing of what
someone typed or was offered beforehand."""

import re

import pytest
from allauth.account.forms import ResetPasswordForm
from django.forms.utils import ErrorDict
from django.test import Client

from accounts import pages_vierges
from accounts.allauth_forms import ConnexionForm, InscriptionCompleteForm, Vierge
from tests.factories import MOT_DE_PASSE
from tests.nonces import verifier_un_nonce_par_page

PAGES = {"/compte/login/": ConnexionForm, "/compte/signup/": InscriptionCompleteForm}
RESET = "/compte/password/reset/"
# The pages kept whole, each with its form class whose `vierge` says its body is kept
# (None: the reset page's body is kept while its form is unbound).
GARDEES = {**PAGES, RESET: None}
JETON = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="[^"]+"')


def sans_jeton(html: str) -> str:
    """The page without what is drawn anew for each response: CSRF token, CSP nonce."""
    return NONCE.sub('nonce=""', JETON.sub('name="csrfmiddlewaretoken" value=""', html))


def page(client, url: str) -> str:
    reponse = client.get(url)
    assert reponse.status_code == 200
    return reponse.content.decode()


@pytest.fixture
def rendu_en_direct(monkeypatch):
    """The page as rendered before it was kept: by allauth's view, every form filled in."""

    def activer(formulaire):
        if formulaire is not None:
            monkeypatch.setattr(formulaire, "vierge", property(lambda self: False))
        monkeypatch.setattr(pages_vierges, "_vierge", lambda request: False)

    return activer


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("suite", ["", "?next=/demandes/", "?next=/demandes/%22%3E%3Cb%3E"])
def test_the_kept_blank_page_is_the_page_rendered_live(client, rendu_en_direct, url, suite):
    page(client, url + suite)  # kept
    garde = page(client, url + suite)
    rendu_en_direct(PAGES[url])

    assert sans_jeton(garde) == sans_jeton(page(client, url + suite))


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_next_follows_each_visitor_into_the_kept_page(client, url):
    page(client, url)
    html = page(client, url + "?next=/demandes/")

    assert '<input type="hidden" name="next" value="/demandes/">' in html
    assert "/compte/franceconnect/login/?process=login&amp;next=%2Fdemandes%2F" in html
    autre = "/compte/signup/" if url == "/compte/login/" else "/compte/login/"
    assert f'href="{autre}?next=%2Fdemandes%2F"' in html
    # a `next` allauth would not follow is carried to neither the links nor FranceConnect
    ailleurs = page(client, url + "?next=https://ailleurs.example/")
    assert '/compte/franceconnect/login/?process=login"' in ailleurs
    assert f'href="{autre}"' in ailleurs and 'ailleurs.example/"' in ailleurs  # the field
    assert "ailleurs.example" not in ailleurs.replace(
        '<input type="hidden" name="next" value="https://ailleurs.example/">', ""
    )
    # and leaves nothing behind for the next visitor
    assert "/demandes/" not in page(client, url).split('id="fil-ariane"')[1].split("<footer")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_each_visitor_gets_a_csrf_token_that_works(url):
    premier, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    jetons = [JETON.findall(page(visiteur, url)) for visiteur in (premier, second)]

    assert jetons[0] and jetons[1] and set(jetons[0]).isdisjoint(jetons[1])
    reponse = second.post(url, {"csrfmiddlewaretoken": jetons[1][-1]})
    assert reponse.status_code == 200  # the form's errors, not the CSRF refusal (403)


@pytest.mark.django_db
def test_a_failed_login_keeps_what_was_typed_and_the_blank_page_forgets_it(client):
    page(client, "/compte/login/")
    renvoye = client.post("/compte/login/", {"login": "zoe@exemple.fr", "password": "x"})
    html = renvoye.content.decode()
    assert 'value="zoe@exemple.fr"' in html
    assert "L&#x27;adresse électronique ou le mot de passe est incorrect." in html

    vierge = page(client, "/compte/login/")
    assert "zoe@exemple.fr" not in vierge
    assert "incorrect" not in vierge


@pytest.mark.django_db
def test_a_sign_up_with_errors_keeps_the_names_and_the_blank_page_forgets_them(client):
    page(client, "/compte/signup/")
    envoi = {"first_name": "Zoé", "last_name": "Martin", "email": "zoe@", "password1": "x"}
    html = client.post("/compte/signup/", envoi).content.decode()
    assert 'value="Zoé"' in html and 'value="Martin"' in html
    assert 'aria-invalid="true"' in html

    vierge = page(client, "/compte/signup/")
    assert "Zoé" not in vierge and "Martin" not in vierge
    assert 'aria-invalid="true"' not in vierge


@pytest.mark.django_db
def test_an_address_offered_to_the_sign_up_is_shown_to_that_visitor_only(client):
    page(client, "/compte/signup/")
    assert 'value="zoe@exemple.fr"' in page(client, "/compte/signup/?email=zoe@exemple.fr")
    assert "zoe@exemple.fr" not in page(client, "/compte/signup/")

    session = client.session
    session["account_verified_email"] = "verifiee@exemple.fr"
    session.save()
    assert 'value="verifiee@exemple.fr"' in page(client, "/compte/signup/")
    assert "verifiee@exemple.fr" not in page(Client(), "/compte/signup/")


@pytest.mark.django_db
def test_a_logged_in_visitor_is_still_sent_to_their_space(client, candidat):
    page(Client(), "/compte/login/")
    client.force_login(candidat)
    assert client.get("/compte/login/")["Location"] == "/espace/"


def test_a_form_is_blank_only_unbound_and_with_nothing_filled_in_beforehand():
    assert ConnexionForm().vierge
    assert not ConnexionForm(data={"login": "x", "password": MOT_DE_PASSE}).vierge
    assert not InscriptionCompleteForm(initial={"email": "zoe@exemple.fr"}).vierge
    inscription = InscriptionCompleteForm()
    assert inscription.vierge
    inscription.fields["email"].initial = "zoe@exemple.fr"
    assert not inscription.vierge
    assert issubclass(ConnexionForm, Vierge)


@pytest.mark.django_db
@pytest.mark.parametrize("suite", ["", "?next=/demandes/%22x"])
def test_the_kept_password_reset_page_is_the_page_rendered_live(client, monkeypatch, suite):
    page(client, RESET)  # kept, with no `next`
    garde = page(client, RESET + suite)
    # rendered live: the form counts as sent back, with nothing in it and no error
    init = ResetPasswordForm.__init__

    def envoye_vide(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.is_bound, self._errors = True, ErrorDict()

    monkeypatch.setattr(ResetPasswordForm, "__init__", envoye_vide)
    monkeypatch.setattr(pages_vierges, "_vierge", lambda request: False)

    assert sans_jeton(garde) == sans_jeton(page(client, RESET + suite))
    assert ('value="/demandes/&quot;x"' in garde) == bool(suite)


@pytest.mark.django_db
def test_the_password_reset_page_keeps_nothing_of_a_visitor(client, candidat):
    page(client, RESET)
    renvoye = client.post(RESET, {"email": "pas-une-adresse"}).content.decode()
    assert 'value="pas-une-adresse"' in renvoye
    assert "pas-une-adresse" not in page(client, RESET)

    client.force_login(candidat)
    connecte = page(client, RESET)
    assert "pas-une-adresse" not in connecte
    assert page(Client(), RESET) != connecte  # « already logged in » is said to that visitor only


@pytest.mark.django_db
def test_the_kept_logout_page_logs_each_visitor_out_with_their_own_token(candidat, autre_candidat):
    visiteurs = []
    for compte in (candidat, autre_candidat):
        visiteur = Client(enforce_csrf_checks=True)
        visiteur.force_login(compte)
        visiteurs.append((visiteur, JETON.findall(page(visiteur, "/compte/logout/"))))
    (premier, jetons_1), (second, jetons_2) = visiteurs
    assert jetons_1 and jetons_2 and set(jetons_1).isdisjoint(jetons_2)

    assert second.post("/compte/logout/", {"csrfmiddlewaretoken": jetons_2[0]}).status_code == 302
    assert "_auth_user_id" not in second.session
    assert "_auth_user_id" in premier.session


@pytest.mark.django_db
def test_the_kept_account_breadcrumb_and_stylesheets_are_the_pages_own(client):
    html = page(client, RESET)
    assert html.count('id="fil-ariane"') == 1 and "Mon compte" in html
    assert html.count("css/compte") == 1 and html.count("css/permis") == 1


@pytest.fixture
def vues_allauth(monkeypatch):
    """The calls made to allauth's login and sign-up views behind the kept pages."""
    appels = []
    for nom in ("login", "signup", "password_reset"):
        vue = getattr(pages_vierges, nom)

        def compter(request, vue=vue, nom=nom):
            appels.append(nom)
            return vue(request)

        monkeypatch.setattr(pages_vierges, nom, compter)
    return appels


@pytest.fixture
def pages_oubliees():
    pages_vierges._PAGES._pages.oublier()


@pytest.mark.django_db
@pytest.mark.parametrize("url", GARDEES)
def test_a_blank_page_is_rendered_by_allauth_once_then_answered_without_it(
    client, vues_allauth, pages_oubliees, url, django_assert_num_queries
):
    html = page(client, url)
    with django_assert_num_queries(0):
        assert page(Client(), url + "?next=/demandes/") != html
        assert page(Client(), url) != html  # another CSRF token
    assert len(vues_allauth) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", GARDEES)
def test_the_kept_page_has_allauths_headers(client, rendu_en_direct, url):
    garde = client.get(url)
    rendu_en_direct(GARDEES[url])
    direct = client.get(url)
    for entete in ("Content-Type", "Cache-Control", "Content-Security-Policy", "X-Frame-Options"):
        assert (garde.get(entete) is None) == (direct.get(entete) is None), entete
        if entete != "Content-Security-Policy":
            assert garde.get(entete) == direct.get(entete), entete
    assert garde.cookies["csrftoken"].value


@pytest.mark.django_db
@pytest.mark.parametrize("url", GARDEES)
def test_each_page_gets_its_own_csp_nonce_and_the_header_names_it(client, url):
    verifier_un_nonce_par_page(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", GARDEES)
def test_a_message_waiting_is_shown_on_the_kept_page_once(client, url):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    page(client, url)
    requete, reponse = HttpRequest(), HttpResponse()
    stockage = CookieStorage(requete)
    stockage.add(constants.SUCCESS, "Votre mot de passe a été changé.")
    stockage.update(reponse)
    client.cookies["messages"] = reponse.cookies["messages"].value

    assert "Votre mot de passe a été changé." in page(client, url)
    assert "Votre mot de passe a été changé." not in page(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", GARDEES)
@pytest.mark.parametrize(
    "autre",
    [
        {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"},  # allauth answers AJAX in JSON
        {"HTTP_ACCEPT": "application/json"},
    ],
)
def test_what_is_not_a_blank_get_goes_to_allauth(client, vues_allauth, url, autre):
    page(client, url)
    vues_allauth.clear()
    client.get(url, **autre)
    client.get(url + "?next=/demandes/&autre=1")
    client.post(url, {})
    assert len(vues_allauth) == 3


@pytest.mark.django_db
def test_a_login_under_way_is_resumed_by_allauth(client, vues_allauth):
    from allauth.account.internal.stagekit import LOGIN_SESSION_KEY

    page(client, "/compte/login/")
    session = client.session
    session[LOGIN_SESSION_KEY] = "une connexion en cours"  # (allauth finds none to resume)
    session.save()
    vues_allauth.clear()
    page(client, "/compte/login/")
    assert vues_allauth == ["login"]


@pytest.mark.django_db
def test_a_logged_in_visitor_is_sent_to_their_space_from_the_sign_up_too(client, candidat):
    page(Client(), "/compte/signup/")
    client.force_login(candidat)
    assert client.get("/compte/signup/")["Location"] == "/espace/"
    assert client.get("/compte/login/?next=/demandes/")["Location"] == "/demandes/"
    assert client.get("/compte/login/?next=https://ailleurs.example/")["Location"] == "/espace/"


@pytest.mark.django_db
def test_a_closed_sign_up_is_said_by_allauth(client, settings):
    page(client, "/compte/signup/")
    settings.ACCOUNT_SIGNUP_ENABLED = False
    assert "Créer mon compte" not in page(client, "/compte/signup/")


@pytest.mark.django_db
def test_the_login_rate_limit_still_applies(client, settings, candidat_actif):
    from django.core.cache import cache

    cache.clear()
    page(client, "/compte/login/")
    for _ in range(5):
        client.post("/compte/login/", {"login": candidat_actif.email, "password": "faux"})
    bloque = client.post("/compte/login/", {"login": candidat_actif.email, "password": "faux"})
    assert "Trop de tentatives" in bloque.content.decode()
    assert page(Client(), "/compte/login/").count("Trop de tentatives") == 0


@pytest.mark.django_db
@pytest.mark.parametrize("url", GARDEES)
def test_the_kept_page_checks_the_header_it_holds_and_renders_live_when_it_changed(
    client, vues_allauth, candidat, url, monkeypatch
):
    page(client, url)  # kept, anonymous header
    # The view's own check says "blank" whoever asks: the header's key then decides.
    monkeypatch.setattr(pages_vierges, "_vierge", lambda request: True)
    client.force_login(candidat)
    vues_allauth.clear()
    client.get(url)
    assert vues_allauth  # the header kept is an anonymous one: allauth's view answered
