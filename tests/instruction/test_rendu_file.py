"""The queue's rows written by Python (instruction/rendu_file.py) are the template loop's."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.html import escape

from demandes.models import Demande
from echanges.enums import Cote
from echanges.models import Message
from instruction import queries, rendu_file
from instruction.models import PriseEnCharge
from permis.templatetags.durees import il_y_a
from tests.factories import AgentCTNFactory, DemandeFactory

# The loop of templates/instruction/file.html that rendu_file replaced, as it was.
BOUCLE = """{% load i18n durees %}{% for demande in demandes %}
  <tr>
    <td><a class="permis-numero" href="{% url 'instruction:demande' demande.numero %}">{{ demande.numero }}</a>{% if demande.neph %}<br><small>NEPH {{ demande.neph }}</small>{% endif %}</td>
    <td>{{ demande.nom_naissance|upper }} {{ demande.prenoms }}</td>
    <td>{{ demande.get_motif_display }}</td>
    <td>{{ demande.categories|join:", "|default:"—" }}</td>
    <td><p class="fr-badge fr-badge--sm fr-badge--no-icon">{{ demande.get_etat_display }}</p>{% if demande.en_retard %}<p class="fr-badge fr-badge--sm fr-badge--warning fr-mt-1v">{% translate "En retard" %}</p>{% endif %}{% if demande.reponse_recue %}<p class="fr-badge fr-badge--sm fr-badge--new fr-mt-1v">{% translate "Réponse reçue" %}</p>{% endif %}</td>
    <td>{{ demande.deposee_le|date:"d/m/Y H:i" }}<br><small>{{ demande.deposee_le|il_y_a }}</small></td>
    <td>
      {% if demande.prise_en_charge %}
        {% if demande.prise_en_charge.agent_id == user.pk %}<strong>{% translate "Vous" %}</strong>{% else %}{{ demande.prise_en_charge.agent.get_full_name|default:demande.prise_en_charge.agent.username }}{% endif %}
      {% else %}—{% endif %}
    </td>
  </tr>
{% endfor %}"""  # noqa: E501


def _sans_blancs(html: str) -> str:
    """Whitespace between and at the edges of tags does not show: compared without it."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


@pytest.mark.django_db
def test_rows_are_the_template_loops_markup(agent_ctn, prendre):
    maintenant = timezone.now()
    DemandeFactory(deposee=True, deposee_le=maintenant - timedelta(days=3), neph="123456789012")
    DemandeFactory(
        deposee=True,
        deposee_le=maintenant - timedelta(seconds=20),
        nom_naissance="O'Brien <b>",
        prenoms="Zoé & Léa",
        categories=[],
    )
    par_moi = DemandeFactory(deposee=True, deposee_le=maintenant - timedelta(hours=5))
    par_une_collegue = DemandeFactory(deposee=True, deposee_le=maintenant - timedelta(days=40))
    sans_nom = DemandeFactory(deposee=True, deposee_le=maintenant - timedelta(days=2))
    prendre(par_moi, agent_ctn)
    prendre(par_une_collegue, AgentCTNFactory(first_name="Jeanne", last_name="Collègue"))
    prendre(sans_nom, AgentCTNFactory(first_name="", last_name=""))
    demandes = list(queries.file_filtree(agent_ctn, {}))
    assert len(demandes) == 5
    demandes[0].en_retard = True
    demandes[1].reponse_recue = True
    demandes[2].en_retard = demandes[2].reponse_recue = True

    attendu = Template(BOUCLE).render(Context({"demandes": demandes, "user": agent_ctn}))
    rendu = rendu_file.lignes(demandes, agent_ctn)
    assert _sans_blancs(rendu) == _sans_blancs(attendu)
    assert "O&#x27;BRIEN &lt;B&gt; Zoé &amp; Léa" in rendu
    assert "<strong>Vous</strong>" in rendu and "Jeanne Collègue" in rendu


def test_a_link_is_the_reversed_url_and_a_malformed_number_fails_as_url_does():
    lien = rendu_file._liens()
    assert lien("ABCD-EFGH-1234") == reverse("instruction:demande", args=["ABCD-EFGH-1234"])
    with pytest.raises(NoReverseMatch):
        lien("abcd-efgh-1234")


def test_the_kept_link_follows_the_script_prefix():
    """The link is reversed once per script prefix (a portal served under a path)."""
    avant = rendu_file._liens()("ABCD-EFGH-1234")
    set_script_prefix("/permis/")
    try:
        sous_prefixe = rendu_file._liens()("ABCD-EFGH-1234")
        assert sous_prefixe == reverse("instruction:demande", args=["ABCD-EFGH-1234"])
        assert sous_prefixe == "/permis" + avant
    finally:
        set_script_prefix("/")
    assert rendu_file._liens()("ABCD-EFGH-1234") == avant


@pytest.mark.parametrize("langue", ["fr", "en"])
def test_the_kept_waiting_times_are_timesinces_to_the_minute(langue):
    """rendu_file keeps « il y a … » per whole minutes waited under four weeks: the same
    text as il_y_a for any seconds within the minute, and for each language its own."""
    rendu_file._IL_Y_A.oublier()
    maintenant = timezone.now()
    with translation.override(langue):
        for minutes in [0, 1, 2, 59, 60, 61, 1439, 1440, 1441, 10079, 10080, 20000, 38879]:
            for secondes in (0, 1, 30, 59.999):
                moment = maintenant - timedelta(minutes=minutes, seconds=secondes)
                assert rendu_file._attente(moment, maintenant) == escape(il_y_a(moment, maintenant))
        for jours in (27, 28, 31, 40, 400):  # months: not kept, timesince's each time
            moment = maintenant - timedelta(days=jours, seconds=5)
            assert rendu_file._attente(moment, maintenant) == escape(il_y_a(moment, maintenant))
        futur = maintenant + timedelta(minutes=5)
        assert rendu_file._attente(futur, maintenant) == escape(il_y_a(futur, maintenant))


def test_a_waiting_time_already_written_is_not_computed_again(monkeypatch):
    maintenant = timezone.now()
    rendu_file._attente(maintenant - timedelta(hours=3, seconds=10), maintenant)
    calculs = []
    monkeypatch.setattr(rendu_file, "il_y_a", lambda *args: calculs.append(args) or "?")
    texte = rendu_file._attente(maintenant - timedelta(hours=3, seconds=50), maintenant)
    assert calculs == [] and texte == "il y a 3\xa0heures"


@pytest.mark.django_db
def test_a_kept_row_follows_each_value_it_shows(agent_ctn, prendre):
    """A row is kept per the values it shows: each one changed, the row is the template
    loop's again (holder, state, badges, names, categories), in each language; the same
    values, it is not written again."""
    demande = DemandeFactory(deposee=True, neph="123456789012", nom_naissance="Durand")

    def rangee():
        (lue,) = queries.file_filtree(agent_ctn, {})
        attendu = Template(BOUCLE).render(Context({"demandes": [lue], "user": agent_ctn}))
        rendu = rendu_file.lignes([lue], agent_ctn)
        assert _sans_blancs(rendu) == _sans_blancs(attendu)
        return rendu

    vues = [rangee()]
    prendre(demande, agent_ctn)
    vues.append(rangee())
    assert "<strong>Vous</strong>" in vues[-1]
    PriseEnCharge.objects.filter(demande=demande).update(
        agent=AgentCTNFactory(first_name="Jeanne", last_name="Collègue")
    )
    vues.append(rangee())
    Demande.objects.filter(pk=demande.pk).update(
        etat="controle_forme", nom_naissance="Martin", prenoms="Léa", neph="", categories=["A"]
    )
    vues.append(rangee())
    Message.objects.create(demande=demande, auteur=demande.candidat, cote=Cote.DEMANDEUR, texte="?")
    vues.append(rangee())
    assert "Réponse reçue" in vues[-1]
    assert len(set(vues)) == len(vues), vues
    with translation.override("en"):
        rangee()  # the template loop's in that language (kept apart)

    ecrire = rendu_file._autour_de_l_attente
    with mock.patch.object(rendu_file, "_autour_de_l_attente", side_effect=ecrire) as ecrite:
        assert rangee() == vues[-1]
    assert ecrite.call_count == 0
