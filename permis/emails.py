"""One way to build every email: a subject, a text and an HTML template under templates/emails/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string

from demandes import delais


def rendre_texte(nom: str, contexte: dict) -> str:
    """Render a plain-text template: not HTML, so « d'instruction » and « & » stay as typed."""
    return get_template(nom).template.render(Context(contexte, autoescape=False))


def envoyer(nom: str, destinataire: str, contexte: dict, copie: list[str] | None = None) -> None:
    """Render emails/<nom>-subject.txt, <nom>.txt and <nom>.html and send them."""
    message(nom, destinataire, contexte, copie).send()


def message(
    nom: str,
    destinataire: str,
    contexte: dict,
    copie: list[str] | None = None,
    message_id: str | None = None,
) -> EmailMultiAlternatives:
    """The email `envoyer` sends, built but not sent (with a fixed Message-ID if given)."""
    contexte = {
        "site_url": settings.SITE_URL,
        "service": settings.PERMIS_SERVICE_NAME,
        "delais": delais,
        **contexte,
    }
    sujet = " ".join(rendre_texte(f"emails/{nom}-subject.txt", contexte).split())
    texte = rendre_texte(f"emails/{nom}.txt", contexte)
    html = render_to_string(f"emails/{nom}.html", contexte)
    entetes = {"Message-ID": message_id} if message_id else None
    courriel = EmailMultiAlternatives(
        sujet, texte, to=[destinataire], cc=copie or [], headers=entetes
    )
    courriel.attach_alternative(html, "text/html")
    return courriel
