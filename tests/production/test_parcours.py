"""The production journey, over HTTPS through the stack as compose runs it (conftest.py).

A person signs up (the activation mail arrives over SMTP), files a first inscription with
uploads (scanned by clamd, stored in S3); a CTN agent passes the form check, the Rhône's
DDT instructor accepts; the Celery worker makes the attestation, which the candidate
downloads. Then /sante/ is 200, 503 naming the cache and the broker while the stack's own
Redis is stopped, and 200 again once it is back.
"""

import html
import io
import re
import secrets

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.demandes.assistant import ADRESSE, ETAT_CIVIL
from tests.double_facteur import totp
from tests.factories import pdf_minimal
from tests.production.outils import attendre

pytestmark = pytest.mark.production

MOT_DE_PASSE = "Un-mot-de-passe-solide-2026"


class Navigateur:
    """One person's browser: cookies, CSRF token and Referer as a browser sends them."""

    def __init__(self, pile, adresse: str):
        self.pile = pile
        self.session = pile.visiteur(adresse)

    def url(self, chemin: str) -> str:
        return chemin if chemin.startswith("https://") else f"{self.pile.url}{chemin}"

    def get(self, chemin: str, statut: int = 200):
        reponse = self.session.get(self.url(chemin), allow_redirects=False, timeout=60)
        assert reponse.status_code == statut, (chemin, reponse.status_code, reponse.text[:2000])
        return reponse

    def post(self, chemin: str, donnees: dict, fichiers=None, statut: int = 302):
        page = self.url(chemin)
        if "csrftoken" not in self.session.cookies:
            self.get(chemin)
        reponse = self.session.post(
            page,
            data={**donnees, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]},
            files=fichiers,
            headers={"Referer": page},
            allow_redirects=False,
            timeout=120,
        )
        assert reponse.status_code == statut, (chemin, reponse.status_code, reponse.text[:3000])
        return reponse

    def se_connecter(self, email: str, secret_totp: str = "") -> None:
        self.get("/compte/login/")
        reponse = self.post("/compte/login/", {"login": email, "password": MOT_DE_PASSE})
        if secret_totp:  # staff: the second factor's step (tests/double_facteur.py)
            assert reponse.headers["Location"] == "/compte/2fa/authenticate/"
            reponse = self.post("/compte/2fa/authenticate/", {"code": totp(secret_totp)})
        assert "/compte/" not in reponse.headers["Location"], reponse.headers["Location"]


def jpeg() -> bytes:
    sortie = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 90, 160)).save(sortie, "JPEG", quality=85)
    return sortie.getvalue()


# The agents' TOTP key: staff must have a second factor before the back-office.
SECRET_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def creer_agents(pile, suffixe: str) -> tuple[str, str]:
    """What an administrator does in /admin/: a CTN agent and an instructor of the Rhône."""
    agent, instructeur = f"agent-{suffixe}@ctn.example.fr", f"instr-{suffixe}@ddt69.example.fr"
    pile.manage(
        "shell",
        "-c",
        "from allauth.account.models import EmailAddress\n"
        "from accounts.enums import Role\n"
        "from accounts.models import User\n"
        "def compte(email, role, **champs):\n"
        "    user = User(email=email, **champs)\n"
        f"    user.set_password({MOT_DE_PASSE!r})\n"
        "    user.save()\n"
        "    user.ajouter_role(role)\n"
        "    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)\n"
        "    from allauth.mfa.totp.internal.auth import TOTP\n"
        f"    TOTP.activate(user, {SECRET_TOTP!r})\n"
        f"compte({agent!r}, Role.AGENT_CTN, first_name='Paul', last_name='Lefèvre')\n"
        f"compte({instructeur!r}, Role.INSTRUCTEUR_DDT, first_name='Inès', last_name='Girard', "
        "departement='69')\n",
    )
    return agent, instructeur


def test_sign_up_file_check_accept_attestation_then_health_without_redis(pile):
    suffixe = secrets.token_hex(3)
    email = f"camille.{suffixe}@exemple.fr"
    candidat = Navigateur(pile, "127.0.0.4")

    # Sign-up; the activation link comes by mail, over SMTP.
    candidat.get("/compte/signup/")
    candidat.post(
        "/compte/signup/",
        {
            "first_name": "Camille",
            "last_name": "Martin",
            "email": email,
            "password1": MOT_DE_PASSE,
            "password2": MOT_DE_PASSE,
        },
    )
    (mail,) = attendre(lambda: pile.boite.pour(email), 60)
    corps = mail.get_body(preferencelist=("plain",)).get_content()
    lien = re.search(r"https://\S+/compte/confirm-email/[^/\s]+/", corps)[0]
    assert lien.startswith(pile.url)
    candidat.get(lien)
    candidat.post(lien, {})

    # A first inscription, category B, as the wizard asks it.
    reponse = candidat.post(
        "/demandes/nouvelle/", {"motif": "inscription_premiere", "categories": ["B"]}
    )
    numero = re.search(r"/demandes/([^/]+)/etape/", reponse.headers["Location"])[1]

    def etape(slug: str, donnees: dict, fichiers=None) -> str:
        return candidat.post(f"/demandes/{numero}/etape/{slug}/", donnees, fichiers).headers[
            "Location"
        ]

    etape("etat-civil", ETAT_CIVIL)
    etape("adresse", {**ADRESSE, "email": email})
    # The approved booth issues a code (here its simulator, as an operator would run it).
    code = pile.manage(
        "shell",
        "-c",
        "from simulateurs.cabine import emettre_code as e; print(e('Martin', 'Camille').code)",
    ).split()[-1]
    etape("photo", {"action": "code", "code_photo": code})
    suivante = etape("photo", {"action": "confirmer", "confirme": "on"})
    assert suivante.endswith("/etape/pieces/")

    page = candidat.get(f"/demandes/{numero}/etape/pieces/").text
    natures = re.findall(r'<input[^>]*type="file"[^>]*name="([^"]+)"', page)
    natures += re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="file"', page)
    assert {"identite", "domicile"} <= set(natures), natures
    fichiers = {
        nature: (f"{nature}.jpg", jpeg(), "image/jpeg")
        if i % 2 == 0
        else (f"{nature}.pdf", pdf_minimal(), "application/pdf")
        for i, nature in enumerate(sorted(set(natures)))
    }
    suivante = etape("pieces", {}, fichiers)
    assert suivante.endswith("/etape/recapitulatif/"), suivante
    etape("recapitulatif", {"attestation": "on"})

    stockes = pile.objets()
    assert sum(1 for cle in stockes if cle.startswith("pieces/")) == len(fichiers), stockes
    assert any(cle.startswith("photos/") for cle in stockes), stockes

    # The CTN agent: claim, form check, conformity; then the Rhône's instructor accepts.
    agent_email, instructeur_email = creer_agents(pile, suffixe)
    agent = Navigateur(pile, "127.0.0.5")
    agent.se_connecter(agent_email, SECRET_TOTP)
    base = f"/instruction/demandes/{numero}"

    def agir(navigateur, action: str, message: str) -> None:
        suite = navigateur.post(f"{base}/{action}/", {}).headers["Location"]
        assert message in html.unescape(navigateur.get(suite).text), (action, suite)

    agir(agent, "prise-en-charge", "Vous avez pris en charge")
    agir(agent, "prendre-en-controle", "Le contrôle de forme")
    agir(agent, "passer-en-instruction", "est transmise à l'instruction")

    instructeur = Navigateur(pile, "127.0.0.6")
    instructeur.se_connecter(instructeur_email, SECRET_TOTP)
    agir(instructeur, "prise-en-charge", "Vous avez pris en charge")
    agir(instructeur, "accepter", "est acceptée")

    # The worker makes the attestation; the candidate downloads it from the request's page.
    def lien_attestation():
        page = html.unescape(candidat.get(f"/demandes/{numero}/").text)
        trouve = re.search(
            rf'href="(/demandes/{numero}/documents/\d+/)"[^>]*>\s*Attestation d.inscription', page
        )
        return trouve and trouve[1]

    chemin = attendre(lien_attestation, 120, pas=1)
    pdf = candidat.get(chemin).content
    texte = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "MARTIN" in texte.upper() and "Camille" in texte
    assert any(
        pile.s3.get_object(Bucket=pile.bucket, Key=c)["Body"].read() == pdf for c in pile.objets()
    )

    # Health: everything answers; then the stack's Redis stops.
    assert candidat.get("/sante/").json()["statut"] == "ok"
    pile.processus["redis"].arreter()
    reponse = candidat.get("/sante/", statut=503)
    assert reponse.json()["en_panne"] == ["cache", "courtier"]
    assert reponse.json()["services"]["base_de_donnees"] == "ok"
    pile.relancer_redis()
    attendre(lambda: candidat.session.get(candidat.url("/sante/"), timeout=30).ok, 60)
