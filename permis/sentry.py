"""Error reporting to Sentry (or any service speaking its protocol), without personal data.

Candidates' identities must not leave the portal: no default PII (no user, IP address or
cookies), no request bodies, no local variables of the stack frames (a request's repr names
its candidate), identity fields scrubbed wherever they appear, and email addresses masked
in messages.
"""

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

# Field names that carry who a person is, as the portal's forms and models name them.
IDENTITE = [
    "nom",
    "nom_naissance",
    "nom_usage",
    "prenom",
    "prenoms",
    "first_name",
    "last_name",
    "date_naissance",
    "lieu_naissance",
    "commune_naissance",
    "pays_naissance",
    "sexe",
    "email",
    "courriel",
    "telephone",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "neph",
    "numero_neph",
    "code_photo",
    "username",
    "login",
    "identifiant",
    "password1",
    "password2",
    "oldpassword",
    "sub",
    "id_token",
]
COURRIEL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A session's cache key holds its session id (a bearer secret), seen in Redis breadcrumbs.
CLE_SESSION = re.compile(r"(django\.contrib\.sessions\.cache(?:d_db)?)\w+")


def _masquer(valeur):
    if not isinstance(valeur, str):
        return valeur
    return CLE_SESSION.sub(r"\1[session]", COURRIEL.sub("[courriel]", valeur))


def _masquer_miette(miette, hint):
    miette["message"] = _masquer(miette.get("message"))
    if isinstance(miette.get("data"), dict):
        miette["data"] = {cle: _masquer(valeur) for cle, valeur in miette["data"].items()}
    return miette


def _masquer_courriels(event, hint):
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = _masquer(exception.get("value"))
    for cle in ("message", "formatted"):
        if cle in (event.get("logentry") or {}):
            event["logentry"][cle] = _masquer(event["logentry"][cle])
    if "message" in event:
        event["message"] = _masquer(event["message"])
    for miette in (event.get("breadcrumbs") or {}).get("values") or []:
        _masquer_miette(miette, None)
    return event


def initialiser(
    dsn: str,
    environnement: str = "production",
    version: str | None = None,
    echantillon_traces: float = 0.0,
    transport=None,
) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=environnement,
        release=version,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        event_scrubber=EventScrubber(
            denylist=DEFAULT_DENYLIST + IDENTITE,
            pii_denylist=DEFAULT_PII_DENYLIST + IDENTITE,
            recursive=True,
        ),
        before_send=_masquer_courriels,
        before_breadcrumb=_masquer_miette,
        traces_sample_rate=echantillon_traces,
        transport=transport,
    )
