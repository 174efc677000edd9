"""The queue's rows, written out by Python: the same markup as a template loop, at a tenth of
its cost.

A row of the queue is some fifteen values, badges and a link; through the template engine
each costs a variable lookup, a filter call and an escape, ~0.3 ms a row: with 25 to 100
rows a page, most of the queue page's CPU. Here each value is escaped once (html.escape),
the labels of the choices are read from a dict built once, and the wording is the same
gettext as the template's. tests/instruction/test_rendu_file.py compares the rows with the
template loop they replace.
"""

import re
from html import escape

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from demandes.models import Demande
from instruction.models import PriseEnCharge
from permis.convertisseurs import NumeroDemande
from permis.rendus_gardes import RendusGardes
from permis.templatetags.durees import il_y_a

# « il y a 3 jours, 4 heures » per whole minutes waited and language: under four weeks what
# timesince writes depends on nothing else (no month, whose length varies, yet), and it was
# most of a row's cost (~40 µs). Bounded: 27 days of minutes per language at most. A bound of
# timesince's text, in seconds, not a delay of the procedure (those are in demandes/delais.py).
_IL_Y_A = RendusGardes(taille=100_000)
_SANS_MOIS_EN_SECONDES = 27 * 24 * 3600


def _attente(moment, maintenant, langue: str | None = None) -> str:
    """il_y_a(moment) at `maintenant`, escaped (`langue`: the active language, if known)."""
    secondes = (maintenant - moment).total_seconds() if moment else 0
    if not 60 <= secondes < _SANS_MOIS_EN_SECONDES:
        return escape(il_y_a(moment, maintenant))
    cle = (int(secondes // 60), langue or get_language())
    return _IL_Y_A.obtenir(cle, lambda: escape(il_y_a(moment, maintenant)))


# get_FOO_display's labels, once: Django builds this dict again at every call.
_LIBELLES = {champ: dict(Demande._meta.get_field(champ).flatchoices) for champ in ("motif", "etat")}


def _cellule_prise(demande: Demande, agent_pk: int) -> str:
    try:
        prise = demande.prise_en_charge  # select_related by file_ordonnee
    except PriseEnCharge.DoesNotExist:
        return "—"
    agent = prise.agent
    return _cellule(prise.agent_id, agent.first_name, agent.last_name, agent.username, agent_pk)


def _cellule(agent_id, prenom: str, nom: str, identifiant: str, agent_pk: int) -> str:
    """Who holds the request: « Vous », their full name (User.get_full_name) or username."""
    if agent_id is None:
        return "—"
    if agent_id == agent_pk:
        return f"<strong>{escape(gettext('Vous'))}</strong>"
    return escape(f"{prenom} {nom}".strip() or identifiant)


# A request's link, the same for every row but its number: reversed once (~60 µs a reverse,
# a row's largest cost) around a stand-in number, where a row's number goes.
_NUMERO = re.compile(NumeroDemande.regex)
_FICTIF = "0000-0000-0000"


# The link's text around the number, per script prefix and URLconf (what reverse() reads).
_AUTOUR_DU_NUMERO = RendusGardes(taille=16)


def _liens():
    """A request's link from its number, the URL reversed once per process; reverse() again
    for a number its path converter refuses, which fails as {% url %} would."""
    avant, apres = _AUTOUR_DU_NUMERO.obtenir(
        (get_script_prefix(), get_urlconf()),
        lambda: reverse("instruction:demande", args=[_FICTIF]).split(_FICTIF),
    )

    def lien(numero: str) -> str:
        if not _NUMERO.fullmatch(numero):
            return reverse("instruction:demande", args=[numero])
        return f"{avant}{numero}{apres}"

    return lien


# A row's HTML around its waiting time, per the very values it shows (its link, columns,
# badges, date, holder's cell) and language: a page seen again escapes and formats nothing
# but the rows that changed (~2/3 of a row's cost). Bounded: some 4 MB per process.
_AUTOUR_DE_L_ATTENTE = RendusGardes(taille=5_000)


def ligne(demande, agent_pk: int, lien=None, maintenant=None, page=None) -> str:
    """One `<tr>`, of a request or of a named row of the queue's page (queries.LIGNE_DE_FILE).
    `page`: (language, time zone) of the page, read once for its rows."""
    langue, fuseau = page or (get_language(), timezone.get_current_timezone())
    if isinstance(demande, Demande):
        prise = _cellule_prise(demande, agent_pk)
    else:
        prise = _cellule(
            demande.prise_en_charge__agent_id,
            demande.prise_en_charge__agent__first_name,
            demande.prise_en_charge__agent__last_name,
            demande.prise_en_charge__agent__username,
            agent_pk,
        )
    valeurs = (
        (lien or _liens())(demande.numero),
        demande.numero,
        demande.neph,
        demande.nom_naissance,
        demande.prenoms,
        demande.motif,
        tuple(demande.categories),
        demande.etat,
        demande.en_retard,
        demande.reponse_recue,
        demande.deposee_le,
        fuseau,
        prise,
        langue,
    )
    avant, apres = _AUTOUR_DE_L_ATTENTE.obtenir(valeurs, lambda: _autour_de_l_attente(valeurs))
    return f"{avant}{_attente(demande.deposee_le, maintenant or timezone.now(), langue)}{apres}"


def _autour_de_l_attente(valeurs: tuple) -> tuple[str, str]:
    """The row before and after its waiting time, from ligne()'s `valeurs`. Every value goes
    through html.escape (what Django's escape calls), plain f-strings around it:
    format_html's lazy-string checks cost more than the row itself."""
    href, numero, neph, nom, prenoms, motif, categories, etat, en_retard, reponse = valeurs[:10]
    le, fuseau, prise = valeurs[10:13]
    neph = f"<br><small>NEPH {escape(neph)}</small>" if neph else ""
    etat = escape(str(_LIBELLES["etat"].get(etat, etat)))
    badges = f'<p class="fr-badge fr-badge--sm fr-badge--no-icon">{etat}</p>'
    if en_retard:
        badges += (
            '<p class="fr-badge fr-badge--sm fr-badge--warning fr-mt-1v">'
            f"{escape(gettext('En retard'))}</p>"
        )
    if reponse:
        badges += (
            '<p class="fr-badge fr-badge--sm fr-badge--new fr-mt-1v">'
            f"{escape(gettext('Réponse reçue'))}</p>"
        )
    # The template's date:"d/m/Y H:i", in the service's time zone.
    le = f"{le.astimezone(fuseau):%d/%m/%Y %H:%M}" if le else ""
    motif = escape(str(_LIBELLES["motif"].get(motif, motif)))
    avant = (
        "<tr>"
        f'<td><a class="permis-numero" href="{escape(href)}">{escape(numero)}</a>{neph}</td>'
        f"<td>{escape(nom.upper())} {escape(prenoms)}</td>"
        f"<td>{motif}</td>"
        f"<td>{escape(', '.join(categories)) or '—'}</td>"
        f"<td>{badges}</td>"
        f"<td>{le}<br><small>"
    )
    return avant, f"</small></td><td>{prise}</td></tr>"


def lignes(demandes, agent) -> SafeString:
    """The `<tr>`s of a page of the queue, for `agent` (who reads « Vous » on their own)."""
    # Safe: ligne() escapes every value it writes.
    lien, maintenant = _liens(), timezone.now()
    page = (get_language(), timezone.get_current_timezone())
    return mark_safe(  # noqa: S308
        "\n".join(ligne(demande, agent.pk, lien, maintenant, page) for demande in demandes)
    )
