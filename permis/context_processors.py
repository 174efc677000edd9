from types import SimpleNamespace

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from demandes import delais
from permis import audit_rgaa

# What every page's context gets from `site`: built at the first request, not at import
# (the settings and the audit grid read then, with no query), and again after a setting
# changes (override_settings in the tests: the service's name, the demo flag).
_CONTEXTE: dict[str, dict] = {}


def _contexte() -> dict:
    return {
        # What django-dsfr's header and footer read as SITE_CONFIG, instead of dsfr's
        # DsfrConfig row fetched on every request.
        "SITE_CONFIG": SimpleNamespace(
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
        ),
        "DEMO": settings.PERMIS_DEMO,
        "delais": delais,
        # The footer's « Accessibilité : … » follows the audit grid (permis/audit_rgaa.py).
        "STATUT_ACCESSIBILITE": audit_rgaa.statut(),
        # django-dsfr's skip links, which dsfr/base.html renders from `skiplinks`.
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#fr-navigation", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
    }


def site(request):
    """The same dict at every request: RequestContext copies what a processor returns."""
    try:
        return _CONTEXTE["site"]
    except KeyError:
        contexte = _CONTEXTE["site"] = _contexte()
        return contexte


@receiver(setting_changed)
def _oublier(**kwargs) -> None:
    _CONTEXTE.clear()


def csp_nonce(request):
    """The request's CSP nonce, read now: django-csp puts it in the header only once read,
    and the DSFR base tests it with {% if %}, which is false while it has not been."""
    nonce = getattr(request, "csp_nonce", None)
    return {"CSP_NONCE": str(nonce) if nonce is not None else ""}
