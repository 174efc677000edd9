"""A test browser: a requests session against the live server that fills forms like a person.

It keeps cookies, reads the forms of a page (hidden fields such as the CSRF token
included) and submits them, so a journey goes through the real HTTP stack: the portal's
middleware, CSRF, sessions, and its own HTTP calls to the FranceConnect simulator.
"""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests


class _Formulaires(HTMLParser):
    def __init__(self):
        super().__init__()
        self.formulaires: list[dict] = []
        self._courant: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._courant = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "champs": {},
            }
            self.formulaires.append(self._courant)
        elif tag == "input" and self._courant is not None and a.get("name"):
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self._courant["champs"][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._courant = None


class Navigateur(requests.Session):
    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url
        self.trust_env = False  # no proxy: everything stays on the loopback

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 20)
        return super().request(method, urljoin(self.base_url, url), *args, **kwargs)

    def formulaire(self, reponse: requests.Response, action_contient: str = "") -> tuple[str, dict]:
        """The URL and current fields of the page's first form whose action contains this text."""
        lecteur = _Formulaires()
        lecteur.feed(reponse.text)
        for form in lecteur.formulaires:
            if form["method"] == "post" and action_contient in form["action"]:
                return urljoin(reponse.url, unescape(form["action"]) or reponse.url), form["champs"]
        raise AssertionError(f"no POST form with action containing {action_contient!r}")

    def soumettre(
        self,
        reponse: requests.Response,
        donnees: dict | None = None,
        action_contient: str = "",
        **kwargs,
    ) -> requests.Response:
        url, champs = self.formulaire(reponse, action_contient)
        return self.post(url, data={**champs, **(donnees or {})}, **kwargs)


def texte(reponse: requests.Response) -> str:
    """The page's visible text, tags removed and spaces collapsed, for reading messages."""
    sans_scripts = re.sub(r"<(script|style)\b.*?</\1>", " ", reponse.text, flags=re.S)
    sans_balises = re.sub(r"<[^>]+>", " ", sans_scripts)
    return " ".join(unescape(sans_balises).split())
