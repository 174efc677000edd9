"""The simulated FranceConnect's endpoints, laid out like FranceConnect v2 under one issuer URL.

Browser side: ``/authorize`` checks the request and opens an interaction; the user picks an
identity provider (only the demo one works here), then a test identity; the simulator
redirects back to the client with a single-use code. Server side: ``/token`` authenticates
the client and exchanges the code for an ID token (ES256) and an access token; ``/userinfo``
answers with a signed JWT. ``/session/end`` ends the simulator's session and returns to the
client's registered post-logout URL.
"""

import functools
import re
import time
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fc_simulateur import cles
from fc_simulateur.clients import Client, authentifier, client
from fc_simulateur.identites import identite, identites_demo
from fc_simulateur.models import Autorisation, CodeInvalide, aleatoire

LONGUEUR_MIN_STATE_NONCE = 32
LONGUEUR_MAX_STATE_NONCE = 500  # what Autorisation keeps
ACR = "eidas1"
COOKIE_SESSION = "fc_simulateur_session"
JETON_ALEATOIRE = re.compile(r"[A-Za-z0-9_-]{20,64}")

CLAIMS_PIVOT = [
    "given_name",
    "family_name",
    "birthdate",
    "gender",
    "birthplace",
    "birthcountry",
    "preferred_username",
]
# What each scope gives (the single-claim scopes, and FranceConnect's groups).
SCOPES: dict[str, list[str]] = {
    "openid": [],
    "identite_pivot": CLAIMS_PIVOT,
    "profile": ["given_name", "family_name", "birthdate", "gender", "preferred_username"],
    "birth": ["birthplace", "birthcountry"],
    "email": ["email"],
    **{claim: [claim] for claim in [*CLAIMS_PIVOT, "email"]},
}


def simulateur_actif(vue):
    """Every endpoint answers 404 when the simulator is switched off."""

    @functools.wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not settings.FRANCECONNECT_SIMULATEUR:
            raise Http404("Le simulateur FranceConnect est désactivé.")
        return vue(request, *args, **kwargs)

    return enveloppe


def emetteur(request) -> str:
    """The issuer URL: the simulator answers as whatever host it is reached at."""
    return request.build_absolute_uri(reverse("fc_simulateur:configuration")).removesuffix(
        "/.well-known/openid-configuration"
    )


def _session(request) -> str:
    """The browser's simulator session id, if its cookie holds one we could have made."""
    valeur = request.COOKIES.get(COOKIE_SESSION, "")
    return valeur if JETON_ALEATOIRE.fullmatch(valeur) else ""


def _chemin_cookie() -> str:
    return reverse("fc_simulateur:configuration").removesuffix(".well-known/openid-configuration")


def _erreur_page(request, titre: str, message: str, code: str, status: int = 400):
    return render(
        request,
        "fc_simulateur/erreur.html",
        {"titre": titre, "message": message, "code": code},
        status=status,
    )


def _erreur_json(erreur: str, description: str, status: int = 400, **entetes) -> JsonResponse:
    reponse = JsonResponse({"error": erreur, "error_description": description}, status=status)
    for nom, valeur in entetes.items():
        reponse[nom] = valeur
    reponse["Cache-Control"] = "no-store"
    return reponse


# --- Discovery ----------------------------------------------------------------------------


@simulateur_actif
@require_GET
def configuration(request):
    racine = emetteur(request)
    return JsonResponse(
        {
            "issuer": racine,
            "authorization_endpoint": f"{racine}/authorize",
            "token_endpoint": f"{racine}/token",
            "userinfo_endpoint": f"{racine}/userinfo",
            "end_session_endpoint": f"{racine}/session/end",
            "jwks_uri": f"{racine}/jwks",
            "scopes_supported": list(SCOPES),
            "claims_supported": ["sub", *CLAIMS_PIVOT, "email"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "acr_values_supported": [ACR],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [cles.ALGORITHME],
            "userinfo_signing_alg_values_supported": [cles.ALGORITHME],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "frontchannel_logout_supported": False,
        }
    )


@simulateur_actif
@require_GET
def jwks(request):
    return JsonResponse(cles.jwks())


# --- Browser side: authorize, provider choice, demo identities ----------------------------


@simulateur_actif
@require_GET
@never_cache
def authorize(request):
    p = request.GET
    demandeur = client(p.get("client_id", ""))
    if demandeur is None:
        return _erreur_page(
            request,
            "Service inconnu",
            "Le service qui vous a envoyé ici n'est pas reconnu par FranceConnect "
            "(client_id inconnu). Revenez sur le site et réessayez plus tard.",
            "invalid_client",
        )
    redirect_uri = p.get("redirect_uri", "")
    if redirect_uri not in demandeur.redirect_uris:
        return _erreur_page(
            request,
            "Adresse de retour non déclarée",
            "L'adresse de retour (redirect_uri) n'est pas déclarée pour ce service.",
            "invalid_redirect_uri",
        )
    scopes = p.get("scope", "").split()
    controles = [
        (
            not any("\x00" in v for _, valeurs in p.lists() for v in valeurs),
            "La requête contient un caractère interdit.",
        ),
        (p.get("response_type") == "code", "response_type doit valoir « code »."),
        ("openid" in scopes, "Le scope « openid » est obligatoire."),
        (all(s in SCOPES for s in scopes), "Un des scopes demandés n'existe pas."),
        (
            len(p.get("state", "")) >= LONGUEUR_MIN_STATE_NONCE,
            f"Le paramètre state doit faire au moins {LONGUEUR_MIN_STATE_NONCE} caractères.",
        ),
        (
            len(p.get("nonce", "")) >= LONGUEUR_MIN_STATE_NONCE,
            f"Le paramètre nonce doit faire au moins {LONGUEUR_MIN_STATE_NONCE} caractères.",
        ),
        (
            max(len(p.get("state", "")), len(p.get("nonce", ""))) <= LONGUEUR_MAX_STATE_NONCE,
            f"state et nonce ne doivent pas dépasser {LONGUEUR_MAX_STATE_NONCE} caractères.",
        ),
        (p.get("acr_values", ACR) == ACR, f"acr_values doit valoir « {ACR} »."),
    ]
    for correct, message in controles:
        if not correct:
            return _erreur_page(
                request, "Requête d'authentification invalide", message, "invalid_request"
            )

    Autorisation.objects.anciennes().delete()
    session = _session(request) or aleatoire()
    autorisation = Autorisation.objects.create(
        session=session,
        client_id=demandeur.client_id,
        redirect_uri=redirect_uri,
        scope=" ".join(scopes),
        state=p["state"],
        nonce=p["nonce"],
        acr=ACR,
    )
    reponse = HttpResponseRedirect(
        reverse("fc_simulateur:choix_fournisseur", args=[autorisation.uid])
    )
    reponse.set_cookie(
        COOKIE_SESSION,
        session,
        path=_chemin_cookie(),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return reponse


def _interaction(request, uid: str) -> tuple[Autorisation, Client] | None:
    session = _session(request)
    if not session or not JETON_ALEATOIRE.fullmatch(uid):
        return None
    autorisation = Autorisation.objects.en_cours(uid, session)
    demandeur = client(autorisation.client_id) if autorisation else None
    if autorisation is None or demandeur is None:
        return None
    return autorisation, demandeur


def _interaction_perdue(request):
    return _erreur_page(
        request,
        "Session expirée",
        "Cette connexion a expiré ou a déjà abouti. Revenez sur le site du service et "
        "cliquez à nouveau sur « S'identifier avec FranceConnect ».",
        "session_not_found",
    )


@simulateur_actif
@require_GET
@never_cache
def choix_fournisseur(request, uid: str):
    interaction = _interaction(request, uid)
    if interaction is None:
        return _interaction_perdue(request)
    autorisation, demandeur = interaction
    return render(
        request,
        "fc_simulateur/choix_fournisseur.html",
        {"autorisation": autorisation, "client": demandeur},
    )


@simulateur_actif
@require_http_methods(["GET", "POST"])
@never_cache
def fournisseur_demo(request, uid: str):
    interaction = _interaction(request, uid)
    if interaction is None:
        return _interaction_perdue(request)
    autorisation, demandeur = interaction
    erreur = ""
    if request.method == "POST":
        choisie = identite(request.POST.get("identite", ""))
        if choisie is not None:
            code = autorisation.emettre_code(choisie.cle)
            retour = urlencode({"code": code, "state": autorisation.state})
            return HttpResponseRedirect(f"{autorisation.redirect_uri}?{retour}")
        erreur = "Choisissez une des identités de test."
    return render(
        request,
        "fc_simulateur/fournisseur_demo.html",
        {
            "autorisation": autorisation,
            "client": demandeur,
            "identites": identites_demo(),
            "erreur": erreur,
        },
        status=400 if erreur else 200,
    )


# --- Server side: token, userinfo ---------------------------------------------------------


@csrf_exempt
@simulateur_actif
@require_POST
def token(request):
    demandeur = authentifier(request)
    if demandeur is None:
        return _erreur_json(
            "invalid_client",
            "Client inconnu ou secret invalide.",
            status=401,
            **{"WWW-Authenticate": 'Basic realm="franceconnect"'},
        )
    if request.POST.get("grant_type") != "authorization_code":
        return _erreur_json("unsupported_grant_type", "Seul authorization_code est accepté.")
    try:
        autorisation = Autorisation.objects.echanger_code(
            request.POST.get("code", ""), demandeur.client_id, request.POST.get("redirect_uri", "")
        )
    except CodeInvalide as exc:
        return _erreur_json("invalid_grant", str(exc))
    maintenant = int(time.time())
    id_token = cles.signer(
        {
            "iss": emetteur(request),
            "sub": demandeur.sub(autorisation.identite),
            "aud": demandeur.client_id,
            "iat": maintenant,
            "exp": maintenant + 60,
            "auth_time": int(autorisation.code_emis_le.timestamp()),
            "nonce": autorisation.nonce,
            "acr": autorisation.acr,
            "amr": ["pwd"],
            "idp": "DEMO",
        }
    )
    reponse = JsonResponse(
        {
            "access_token": autorisation.emettre_jeton(),
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": id_token,
            "scope": autorisation.scope,
        }
    )
    reponse["Cache-Control"] = "no-store"
    return reponse


@csrf_exempt
@simulateur_actif
@require_http_methods(["GET", "POST"])
def userinfo(request):
    entete = request.headers.get("Authorization", "")
    jeton = entete[7:] if entete.startswith("Bearer ") else ""
    autorisation = Autorisation.objects.par_jeton(jeton) if jeton else None
    choisie = identite(autorisation.identite) if autorisation else None
    demandeur = client(autorisation.client_id) if autorisation else None
    if autorisation is None or choisie is None or demandeur is None:
        return _erreur_json(
            "invalid_token",
            "Jeton d'accès inconnu ou expiré.",
            status=401,
            **{"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    valeurs = choisie.claims()
    claims = {c for scope in autorisation.scopes for c in SCOPES[scope]}
    maintenant = int(time.time())
    contenu = {
        "iss": emetteur(request),
        "aud": demandeur.client_id,
        "sub": demandeur.sub(choisie.cle),
        "iat": maintenant,
        "exp": maintenant + 60,
        **{c: valeurs[c] for c in sorted(claims)},
    }
    reponse = HttpResponse(cles.signer(contenu), content_type="application/jwt")
    reponse["Cache-Control"] = "no-store"
    return reponse


# --- Logout -------------------------------------------------------------------------------


@simulateur_actif
@require_GET
@never_cache
def session_end(request):
    p = request.GET
    try:
        indice = jwt.decode(
            p.get("id_token_hint", ""),
            cles.cle_privee().public_key(),
            algorithms=[cles.ALGORITHME],
            issuer=emetteur(request),
            # A session may outlive its ID token: an expired hint still names the client.
            options={"verify_exp": False, "verify_aud": False, "require": ["aud", "sub"]},
        )
    except jwt.PyJWTError:
        indice = None
    demandeur = client(indice["aud"]) if indice and isinstance(indice["aud"], str) else None
    if demandeur is None:
        return _erreur_page(
            request,
            "Déconnexion impossible",
            "La demande de déconnexion ne contient pas de jeton d'identité valide (id_token_hint).",
            "invalid_request",
        )
    retour = p.get("post_logout_redirect_uri", "")
    if retour not in demandeur.post_logout_redirect_uris:
        return _erreur_page(
            request,
            "Adresse de retour non déclarée",
            "L'adresse de retour après déconnexion n'est pas déclarée pour ce service.",
            "invalid_request",
        )
    if not p.get("state"):
        return _erreur_page(
            request,
            "Déconnexion impossible",
            "Le paramètre state est obligatoire.",
            "invalid_request",
        )
    session = _session(request)
    if session:
        Autorisation.objects.terminer_session(session)
    reponse = HttpResponseRedirect(f"{retour}?{urlencode({'state': p['state']})}")
    reponse.delete_cookie(COOKIE_SESSION, path=_chemin_cookie())
    return reponse
