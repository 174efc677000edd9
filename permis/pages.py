"""The pages French law requires of a public site, linked from every page's footer.

Their figures come from the code that enforces them (retention periods from the models and
settings, the accessibility status from the audit grid), so a page cannot promise what the
portal does not do.
"""

from allauth.core.internal.ratelimit import parse_rate
from django.conf import settings
from django.shortcuts import render

from demandes import delais
from permis import audit_rgaa


def _grille() -> list[dict]:
    """One django-dsfr table per RGAA theme: number, criterion, result, remark."""
    entete = ["Critère", "Intitulé", "Résultat", "Remarque"]
    return [
        {
            "caption": f"Thème {numero} : {titre}",
            "header": entete,
            "content": [[c.numero, c.intitule, c.resultat.value, c.note] for c in criteres],
            "extra_classes": "fr-table--sm",
        }
        for numero, titre, criteres in audit_rgaa.par_theme()
    ]


def _editeur() -> dict:
    return {
        "editeur": settings.PERMIS_EDITEUR,
        "editeur_adresse": settings.PERMIS_EDITEUR_ADRESSE,
        "directeur_publication": settings.PERMIS_DIRECTEUR_PUBLICATION,
        "hebergeur": settings.PERMIS_HEBERGEUR,
        "contact_email": settings.PERMIS_CONTACT_EMAIL,
        "dpo_email": settings.PERMIS_DPO_EMAIL,
    }


def _plus_longue_fenetre_de_limitation() -> int:
    """Hours the login/sign-up attempt counters (keyed by IP address) live in the cache."""
    fenetres = [
        parse_rate(regle).duration
        for regles in settings.ACCOUNT_RATE_LIMITS.values()
        for regle in regles.split(",")
    ]
    return round(max(fenetres) / 3600)


def accessibilite(request):
    return render(
        request,
        "pages/accessibilite.html",
        {
            **_editeur(),
            "audit": audit_rgaa,
            "taux": audit_rgaa.taux_conformite(),
            "statut": audit_rgaa.statut(),
            "nombres": {r.value: len(audit_rgaa.par_resultat(r)) for r in audit_rgaa.Resultat},
            "non_conformes": audit_rgaa.par_resultat(audit_rgaa.NC),
            "non_evalues": audit_rgaa.par_resultat(audit_rgaa.NE),
            "grille": _grille(),
        },
    )


def mentions_legales(request):
    return render(request, "pages/mentions_legales.html", _editeur())


def donnees_personnelles(request):
    return render(
        request,
        "pages/donnees_personnelles.html",
        {
            **_editeur(),
            "brouillon": delais.BROUILLON,
            "preavis": delais.PREAVIS_BROUILLON,
            "titre_retourne": delais.CONSERVATION_TITRE,
            "session_jours": settings.SESSION_COOKIE_AGE // 86_400,
            "limitation_heures": _plus_longue_fenetre_de_limitation(),
        },
    )


def plan_du_site(request):
    return render(request, "pages/plan_du_site.html")


def cookies(request):
    return render(
        request,
        "pages/cookies.html",
        {
            "session_jours": settings.SESSION_COOKIE_AGE // 86_400,
            "csrf_jours": settings.CSRF_COOKIE_AGE // 86_400,
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "messages_cookie": settings.MESSAGE_COOKIE_NAME
            if hasattr(settings, "MESSAGE_COOKIE_NAME")
            else "messages",
        },
    )
