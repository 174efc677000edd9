"""The queue exported as CSV and ODS: exactly the rows of the queue page with its filters."""

import csv
import io
from datetime import timedelta

import odfdo
import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Etat, Motif
from instruction import exports
from instruction.models import PriseEnCharge
from tests.factories import DemandeFactory


def _csv(reponse) -> list[list[str]]:
    texte = b"".join(reponse.streaming_content).decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))


def _ods(reponse) -> list[list[str]]:
    document = odfdo.Document(io.BytesIO(reponse.content))
    return document.body.get_table(0).get_values()


@pytest.fixture
def file_du_rhone(db):
    return {
        "martin": DemandeFactory(en_instruction=True, departement="69", nom_naissance="Martin"),
        "martinez": DemandeFactory(en_instruction=True, departement="69", nom_naissance="Martinez"),
        # Names set in full: a random first name (« Martine ») would match the search.
        "durand": DemandeFactory(
            en_instruction=True, departement="69", nom_naissance="Durand", prenoms="Paul"
        ),
        # Not in this instructor's queue: another département, another step.
        "ailleurs": DemandeFactory(en_instruction=True, departement="34", nom_naissance="Martin"),
        "au_ctn": DemandeFactory(deposee=True, departement="69", nom_naissance="Martin"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("extension,lire", [("csv", _csv), ("ods", _ods)])
def test_export_holds_exactly_the_filtered_rows(
    extension, lire, file_du_rhone, client, instructeur
):
    client.force_login(instructeur)
    url = reverse("instruction:exporter", args=[extension])
    reponse = client.get(url, {"q": "martin"})
    assert reponse.status_code == 200
    assert "attachment" in reponse["Content-Disposition"]
    entete, *lignes = lire(reponse)
    assert entete[0] == "Numéro" and "Prise en charge par" in entete
    attendus = {file_du_rhone["martin"].numero, file_du_rhone["martinez"].numero}
    assert {ligne[0] for ligne in lignes} == attendus and len(lignes) == 2
    # The same rows, in the same order, as the queue page with the same filter.
    page = client.get(reverse("instruction:file"), {"q": "martin"})
    assert [d.numero for d in page.context["page"].object_list] == [ligne[0] for ligne in lignes]

    # Without a filter: the whole queue, and nothing outside it.
    _, *toutes = lire(client.get(url))
    assert {ligne[0] for ligne in toutes} == attendus | {file_du_rhone["durand"].numero}


@pytest.mark.django_db
def test_export_queries_do_not_grow_with_the_rows(
    client, instructeur, django_assert_max_num_queries
):
    for _ in range(30):
        DemandeFactory(en_instruction=True, departement="69")
    client.force_login(instructeur)
    with django_assert_max_num_queries(12):
        b"".join(client.get(reverse("instruction:exporter", args=["csv"])).streaming_content)


@pytest.mark.django_db
def test_export_is_for_agents_only(client, candidat):
    url = reverse("instruction:exporter", args=["csv"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(candidat)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_unknown_format_is_a_404(client, instructeur):
    client.force_login(instructeur)
    assert client.get(reverse("instruction:exporter", args=["xlsx"])).status_code == 404


@pytest.fixture
def file_du_ctn(db, agent_ctn):
    """The national form-check queue, varied on every filter of the queue page."""

    def il_y_a(jours):
        return timezone.now() - timedelta(days=jours)

    demandes = {
        "martin": DemandeFactory(
            deposee=True, nom_naissance="Martin", neph="123456789012", deposee_le=il_y_a(20)
        ),
        "martinez": DemandeFactory(
            deposee=True,
            nom_naissance="Martinez",
            categories=["B", "BE"],
            deposee_le=il_y_a(10),
            departement="34",
        ),
        # Names set in full: a random first name (« Martine ») would match the search.
        "durand": DemandeFactory(
            en_controle=True,
            nom_naissance="Durand",
            prenoms="Paul",
            motif=Motif.INSCRIPTION_EXTENSION,
            categories=["A2"],
            deposee_le=il_y_a(2),
        ),
        "tenue": DemandeFactory(
            en_controle=True,
            nom_naissance="Petit",
            prenoms="Paul",
            categories=["B96"],
            deposee_le=il_y_a(40),
        ),
    }
    PriseEnCharge.objects.prendre(demandes["tenue"], agent_ctn)
    # Outside the CTN's queue whatever the filter: at the DDT, a draft.
    DemandeFactory(en_instruction=True, nom_naissance="Martin", deposee_le=il_y_a(50))
    DemandeFactory(nom_naissance="Martin", etat=Etat.BROUILLON)
    return demandes


FILTRES = [
    ({}, {"martin", "martinez", "durand", "tenue"}),
    ({"q": "martin"}, {"martin", "martinez"}),
    ({"q": "numero:martin"}, {"martin"}),
    ({"q": "1234 5678 9012"}, {"martin"}),
    ({"motif": "inscription_extension"}, {"durand"}),
    ({"categorie": "B"}, {"martin", "martinez"}),
    ({"etat": "controle_forme"}, {"durand", "tenue"}),
    ({"anciennete": "15"}, {"martin", "tenue"}),
    ({"prise": "moi"}, {"tenue"}),
    ({"prise": "libres"}, {"martin", "martinez", "durand"}),
    ({"categorie": "B", "etat": "deposee", "anciennete": "15"}, {"martin"}),
    (
        {"motif": "pas-un-motif", "par_page": "25", "page": "2"},
        {"martin", "martinez", "durand", "tenue"},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("filtres,attendus", FILTRES)
def test_every_filter_of_the_queue_exports_exactly_its_rows(
    filtres, attendus, file_du_ctn, client, agent_ctn
):
    """Each filter (and search) of the queue page: the same rows, in the same order, in the
    CSV and in the ODS; an invalid filter is ignored in both, and paging never applies."""
    if filtres.get("q", "").startswith("numero:"):
        filtres = {"q": file_du_ctn[filtres["q"].split(":")[1]].numero.lower()}
    client.force_login(agent_ctn)
    page = client.get(reverse("instruction:file"), {**filtres, "par_page": 100, "page": 1})
    a_l_ecran = [d.numero for d in page.context["page"].object_list]
    assert set(a_l_ecran) == {file_du_ctn[nom].numero for nom in attendus}
    for extension, lire in [("csv", _csv), ("ods", _ods)]:
        _, *lignes = lire(client.get(reverse("instruction:exporter", args=[extension]), filtres))
        assert [ligne[0] for ligne in lignes] == a_l_ecran, extension


@pytest.mark.django_db
def test_an_ods_past_its_ceiling_is_refused_rather_than_cut(
    file_du_ctn, client, agent_ctn, monkeypatch
):
    """A truncated file would not be the filtered rows: the agent is told, filters kept."""
    monkeypatch.setattr(exports, "MAX_LIGNES_ODS", 2)
    client.force_login(agent_ctn)
    url = reverse("instruction:exporter", args=["ods"])
    assert len(_ods(client.get(url, {"categorie": "B"}))) == 1 + 2  # at the ceiling: served
    reponse = client.get(url, follow=True)
    assert reponse.redirect_chain == [(reverse("instruction:file"), 302)]
    assert "L'export ODS est limité à 2 demandes" in reponse.content.decode().replace("&#x27;", "'")
    reponse = client.get(url, {"etat": "deposee", "q": "mar", "prise": "libres"})
    assert reponse.status_code == 200  # two rows: under the ceiling
    reponse = client.get(url, {"q": "", "prise": "libres"})
    assert reponse.status_code == 302 and "prise=libres" in reponse["Location"]
    # CSV has no ceiling.
    _, *lignes = _csv(client.get(reverse("instruction:exporter", args=["csv"])))
    assert len(lignes) == 4
