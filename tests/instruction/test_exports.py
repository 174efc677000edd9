"""The queue exported as CSV and ODS: exactly the rows of the queue page with its filters."""

import csv
import io

import odfdo
import pytest
from django.urls import reverse

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
        "durand": DemandeFactory(en_instruction=True, departement="69", nom_naissance="Durand"),
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
