"""The official geography: the shipped index, and the command that rebuilds it from Etalab's
package (here a small package of the same layout, as `npm pack` would give)."""

import gzip
import io
import json
import tarfile

import pytest
from django.core.management import call_command

from demandes import geographie


@pytest.mark.parametrize(
    "code, nom, departement",
    [
        ("69123", "Lyon", "69"),
        ("07136", "Laveyrune", "07"),
        ("2A004", "Ajaccio", "2A"),
        ("97701", "Saint-Barthélemy", "977"),
        ("75107", "Paris 7e Arrondissement", "75"),  # FranceConnect's birthplace in Paris
        ("69232", "Lyon", "69"),  # a former code still names its commune
    ],
)
def test_a_cog_code_names_its_commune_and_departement(code, nom, departement):
    commune = geographie.commune(code)
    assert (commune.nom, commune.departement) == (nom, departement)


def test_the_served_departements_are_the_mainland_corsica_and_overseas_ones():
    codes = [d.code for d in geographie.departements_servis()]
    assert len(codes) == 103  # 94 + 2A + 2B + 5 DROM + 977 + 978
    assert {"01", "2A", "2B", "95", "971", "974", "976", "977", "978"} <= set(codes)
    assert not {"20", "975", "984", "986", "987", "988", "989"} & set(codes)
    assert geographie.departement("69").nom == "Rhône"


def _paquet(tmp_path, communes, version="9.9.9"):
    fichiers = {
        "package/package.json": {"name": "@etalab/decoupage-administratif", "version": version},
        "package/data/communes.json": communes,
        "package/data/departements.json": [
            {"code": "07", "nom": "Ardèche", "region": "84", "zone": "metro", "typeLiaison": 5},
            {"code": "48", "nom": "Lozère", "region": "76", "zone": "metro", "typeLiaison": 3},
        ],
        "package/data/regions.json": [
            {"code": "84", "nom": "Auvergne-Rhône-Alpes"},
            {"code": "76", "nom": "Occitanie"},
        ],
    }
    archive = tmp_path / "paquet.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for nom, contenu in fichiers.items():
            donnees = json.dumps(contenu).encode()
            info = tarfile.TarInfo(nom)
            info.size = len(donnees)
            tar.addfile(info, io.BytesIO(donnees))
    return archive


COMMUNES = [
    {
        "code": "48080",
        "nom": "Luc",
        "departement": "48",
        "type": "commune-actuelle",
        "codesPostaux": ["48250"],
    },
    {
        "code": "07136",
        "nom": "Laveyrune",
        "departement": "07",
        "type": "commune-actuelle",
        "codesPostaux": ["48250"],
        "anciensCodes": ["07999"],
    },
    {"code": "07137", "nom": "Canton X", "departement": "07", "type": "autre-chose"},
]


def test_the_command_rebuilds_a_sorted_reproducible_index_from_the_package(tmp_path):
    archive = _paquet(tmp_path, COMMUNES)
    sortie = tmp_path / "data"
    try:
        call_command("construire_geographie", paquet=str(archive), sortie=str(sortie))
        premiere = (sortie / geographie.FICHIER_COMMUNES).read_bytes()
        call_command("construire_geographie", paquet=str(archive), sortie=str(sortie))
        assert (sortie / geographie.FICHIER_COMMUNES).read_bytes() == premiere

        lignes = gzip.decompress(premiere).decode().splitlines()
        assert lignes[0].startswith("# @etalab/decoupage-administratif 9.9.9")
        assert lignes[1:] == [
            "07136\tLaveyrune\t07\tA\t48250\t07999\t",
            "48080\tLuc\t48\tA\t48250\t\t",
        ]
        departements = (sortie / geographie.FICHIER_DEPARTEMENTS).read_text().splitlines()
        assert departements[1:] == [
            "07\tArdèche\t84\tAuvergne-Rhône-Alpes\tmetro\t5",
            "48\tLozère\t76\tOccitanie\tmetro\t3",
        ]

        # The index reads what the command wrote.
        geographie.DONNEES, ancien = sortie, geographie.DONNEES
        try:
            geographie.index.cache_clear()
            assert [c.nom for c in geographie.communes_du_code_postal("48250")] == [
                "Laveyrune",
                "Luc",
            ]
            assert geographie.commune("07999").nom == "Laveyrune"
            assert geographie.departement("07").locatif == "dans l'Ardèche"
        finally:
            geographie.DONNEES = ancien
    finally:
        geographie.index.cache_clear()
