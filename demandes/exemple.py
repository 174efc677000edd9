"""A filled-in example of the wizard's form steps (Camille Martin, Lyon), valid as it stands.

The tests post it to check the wizard (tests/demandes/assistant.py) and bench/depot.py files
with it: one copy, so the bench walks the same answers the tests accept.
"""

ETAT_CIVIL = {
    "nom_naissance": "Martin",
    "nom_usage": "",
    "prenoms": "Camille Anne",
    "sexe": "F",
    "date_naissance": "1985-03-02",
    "commune_naissance": "Lyon",
    "pays_naissance": "FR",
    "nationalite": "FR",
    "representant_nom": "",
    "representant_prenoms": "",
}
ADRESSE = {
    "adresse": "12 rue de la République",
    "complement_adresse": "",
    "code_postal": "69002",
    "commune": "Lyon",
    "email": "camille.martin@exemple.fr",
    "telephone": "06 12 34 56 78",
}
