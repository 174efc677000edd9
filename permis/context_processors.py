from types import SimpleNamespace

from django.conf import settings

from demandes import delais
from permis import audit_rgaa

# What django-dsfr's header and footer read as SITE_CONFIG; built once, with no query,
# instead of dsfr's DsfrConfig row fetched on every request.
_SITE_CONFIG = SimpleNamespace(
    site_title=settings.PERMIS_SERVICE_NAME,
    site_tagline="Démarches en ligne du permis de conduire",
    header_brand_html="République<br>française",
    footer_brand_html="République<br>française",
    footer_brand="République française",
    footer_description=(
        "Service de démonstration des démarches en ligne du permis de conduire : "
        "inscription aux examens, fabrication du titre et suivi des demandes."
    ),
    beta_tag=True,
    mourning=False,
    notice_title="",
    notice_description="",
    operator_logo_file=None,
    operator_logo_alt="",
    operator_logo_width=0,
    accessibility_status="PART",
)
# django-dsfr's skip links, which dsfr/base.html renders from `skiplinks`.
_SKIPLINKS = [
    {"link": "#content", "label": "Contenu"},
    {"link": "#fr-navigation", "label": "Menu"},
    {"link": "#footer", "label": "Pied de page"},
]
# The footer's « Accessibilité : … » follows the audit grid (permis/audit_rgaa.py).
_STATUT_ACCESSIBILITE = audit_rgaa.statut()


def site(request):
    return {
        "SITE_CONFIG": _SITE_CONFIG,
        "DEMO": settings.PERMIS_DEMO,
        "delais": delais,
        "STATUT_ACCESSIBILITE": _STATUT_ACCESSIBILITE,
        "skiplinks": _SKIPLINKS,
    }


def csp_nonce(request):
    """The request's CSP nonce, read now: django-csp puts it in the header only once read,
    and the DSFR base tests it with {% if %}, which is false while it has not been."""
    nonce = getattr(request, "csp_nonce", None)
    return {"CSP_NONCE": str(nonce) if nonce is not None else ""}
