"""One way to build every email: a subject, a text and an HTML template under templates/emails/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def envoyer(nom: str, destinataire: str, contexte: dict, copie: list[str] | None = None) -> None:
    """Render emails/<nom>-subject.txt, <nom>.txt and <nom>.html and send them."""
    contexte = {"site_url": settings.SITE_URL, "service": settings.PERMIS_SERVICE_NAME, **contexte}
    sujet = " ".join(render_to_string(f"emails/{nom}-subject.txt", contexte).split())
    texte = render_to_string(f"emails/{nom}.txt", contexte)
    html = render_to_string(f"emails/{nom}.html", contexte)
    message = EmailMultiAlternatives(sujet, texte, to=[destinataire], cc=copie or [])
    message.attach_alternative(html, "text/html")
    message.send()
