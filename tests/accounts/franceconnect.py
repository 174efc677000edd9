"""The FranceConnect journey, step by step, for tests that need to tamper with one step.

The portal is pointed at the simulator served by the same live server, exactly as `make
run` does: discovery, token, userinfo and JWKS are real HTTP calls from the portal.
"""

from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

from tests.accounts.navigateur import Navigateur

CLIENT_ID = "client-de-test-0123456789abcdef0123456789abcdef0123456789abcdef01234567"
SECRET = "secret-de-test-0123456789abcdef0123456789abcdef"
EMETTEUR = "/franceconnect-simulateur/api/v2"
CALLBACK = "/compte/franceconnect/login/callback/"
RETOUR_DECONNEXION = "/espace/franceconnect/deconnexion/"


def configurer(settings, base_url: str, *, client_id: str = CLIENT_ID, secret: str = SECRET):
    """Point the portal's provider at the simulator on this server, and register the portal."""
    settings.FRANCECONNECT_SIMULATEUR = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "franceconnect": {
            "APPS": [
                {
                    "name": "FranceConnect",
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {"server_url": f"{base_url}{EMETTEUR}"},
                }
            ]
        }
    }
    settings.FRANCECONNECT_SIMULATEUR_CLIENTS = [
        {
            "client_id": CLIENT_ID,
            "secret": SECRET,
            "nom": "Permis en ligne",
            "redirect_uris": [f"{base_url}{CALLBACK}"],
            "post_logout_redirect_uris": [f"{base_url}{RETOUR_DECONNEXION}"],
        }
    ]


def demarrer(navigateur: Navigateur) -> str:
    """Click "S'identifier avec FranceConnect" on the login page: the authorize URL."""
    page = navigateur.get("/compte/login/")
    reponse = navigateur.soumettre(page, action_contient="franceconnect", allow_redirects=False)
    assert reponse.status_code == 302, reponse.text[:500]
    return reponse.headers["Location"]


def choisir_identite(navigateur: Navigateur, url_authorize: str, cle: str) -> str:
    """At the simulator: the demo provider, then an identity. The callback URL it redirects to."""
    choix = navigateur.get(url_authorize)
    assert choix.status_code == 200, choix.text[:500]
    demo = navigateur.get(f"{urlparse(choix.url).path}/demo")
    reponse = navigateur.soumettre(demo, {"identite": cle}, allow_redirects=False)
    assert reponse.status_code == 302, reponse.text[:500]
    return reponse.headers["Location"]


def se_connecter(navigateur: Navigateur, cle: str = "adulte"):
    """The whole login; the portal's answer to the callback, redirects followed."""
    callback = choisir_identite(navigateur, demarrer(navigateur), cle)
    return navigateur.get(callback)


def avec_parametre(url: str, **valeurs: str) -> str:
    parties = urlparse(url)
    parametres = {k: v[0] for k, v in parse_qs(parties.query).items()}
    parametres.update(valeurs)
    return urlunparse(parties._replace(query=urlencode(parametres)))


def parametre(url: str, nom: str) -> str:
    return parse_qs(urlparse(url).query)[nom][0]
