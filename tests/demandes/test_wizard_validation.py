"""Bad input at each step: a French message next to the field and in the summary, nothing lost."""

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.enums import Motif
from demandes.forms import MotifForm
from demandes.models import Demande
from demandes.wizard import CHAMPS_DU_MOTIF, retirer_reponses_caduques
from tests.demandes import assistant


def demain() -> str:
    """Tomorrow in Paris, computed when the test runs: a run may cross midnight."""
    return (timezone.localdate() + timedelta(days=1)).isoformat()


MESSAGE_NOM = (
    "Ce champ ne peut contenir que des lettres, des tirets, des apostrophes et des espaces."
)
MESSAGE_PORTABLE = "Saisissez un numéro de portable français, par exemple 06 12 34 56 78"
MESSAGE_CODE_POSTAL = "Saisissez un code postal français à 5 chiffres, par exemple 69002."


def erreurs(response) -> dict[str, list[str]]:
    return {nom: list(e) for nom, e in response.context["form"].errors.items()}


@pytest.fixture
def brouillon(client, candidat):
    """A category B first inscription whose motif step is done."""
    client.force_login(candidat)
    return assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])


ETAT_CIVIL_INVALIDE = [
    ("nom_naissance", "", "Saisissez votre nom de naissance."),
    ("nom_naissance", "Martin3", MESSAGE_NOM),
    ("nom_naissance", "<script>", MESSAGE_NOM),
    ("nom_naissance", "Martin\x00", "Le caractère nul n’est pas autorisé."),
    ("nom_usage", "Dupont_Durand", MESSAGE_NOM),
    ("prenoms", "", "Saisissez vos prénoms."),
    ("prenoms", "Jean--Paul", MESSAGE_NOM),
    ("prenoms", "J@ne", MESSAGE_NOM),
    ("sexe", "X", "Sélectionnez un choix valide."),
    ("date_naissance", "", "Saisissez votre date de naissance."),
    ("date_naissance", "2000-02-31", "Saisissez une date de naissance valide"),
    ("date_naissance", "hier", "Saisissez une date de naissance valide"),
    ("date_naissance", demain, "La date de naissance ne peut pas être dans le futur."),
    ("date_naissance", "1850-06-01", "antérieure à 1900"),
    (
        "date_naissance",
        lambda: assistant.age(16),
        "La catégorie B demande d'avoir au moins 17 ans (15 ans en apprentissage anticipé "
        "de la conduite)",
    ),
    ("commune_naissance", "", "Saisissez votre commune de naissance."),
    ("commune_naissance", "Lyon <b>", "Ce champ ne peut contenir que des lettres, des chiffres"),
    ("pays_naissance", "ZZ", "Choisissez un pays de la liste."),
    ("nationalite", "Française", "Choisissez une nationalité de la liste."),
]


@pytest.mark.parametrize("champ, valeur, message", ETAT_CIVIL_INVALIDE)
@pytest.mark.django_db
def test_bad_civil_status_is_refused_in_french_and_keeps_the_other_answers(
    client, brouillon, champ, valeur, message
):
    valeur = valeur() if callable(valeur) else valeur  # a date relative to the day of the run
    donnees = {**assistant.ETAT_CIVIL, "nom_usage": "Durand", champ: valeur}
    avant = Demande.objects.get(pk=brouillon.pk).nom_naissance
    response = assistant.poster(client, brouillon, "etat-civil", donnees)
    assert response.status_code == 200
    assert any(message in e for e in erreurs(response)[champ]), erreurs(response)
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Le formulaire contient" in page
    form = response.context["form"]
    for autre in ["nom_naissance", "nom_usage", "prenoms", "commune_naissance"]:
        if autre != champ:
            assert form[autre].value() == donnees[autre]
    assert Demande.objects.get(pk=brouillon.pk).nom_naissance == avant


ETAT_CIVIL_VALIDE = [
    ("nom_naissance", "N'Diaye"),
    ("nom_naissance", "Le Gall"),
    ("nom_naissance", "Saint-Exupéry"),
    ("nom_naissance", "D’Artagnan"),
    ("prenoms", "Jean-Paul Émile"),
    ("prenoms", "Zoë"),
    ("commune_naissance", "Saint-Étienne"),
    ("commune_naissance", "Lyon 3e Arrondissement"),
    ("date_naissance", "02/03/1985"),
]


@pytest.mark.parametrize("champ, valeur", ETAT_CIVIL_VALIDE)
@pytest.mark.django_db
def test_real_names_and_dates_are_accepted(client, brouillon, champ, valeur):
    assistant.remplir_etat_civil(client, brouillon, **{champ: valeur})


@pytest.mark.parametrize(
    "categories, aac, annees, accepte",
    [
        (["B"], False, 17, True),
        (["B"], False, 16, False),
        (["B"], True, 15, True),
        (["B"], True, 14, False),
        (["AM"], False, 14, True),
        (["AM"], False, 13, False),
        (["A2"], False, 17, False),
        (["D"], False, 23, False),
    ],
)
@pytest.mark.django_db
def test_age_rules_of_the_categories(client, candidat, categories, aac, annees, accepte):
    client.force_login(candidat)
    extra = {"conduite_accompagnee": "on"} if aac else {}
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, categories, **extra)
    donnees = {
        **assistant.ETAT_CIVIL,
        "date_naissance": assistant.age(annees),
        "representant_nom": "Martin",
        "representant_prenoms": "Paul",
    }
    response = assistant.poster(client, demande, "etat-civil", donnees)
    assert (response.status_code == 302) == accepte
    if not accepte:
        assert "demande d'avoir au moins" in erreurs(response)["date_naissance"][0]


@pytest.mark.django_db
def test_dates_are_judged_on_the_paris_day_even_after_23h_utc(client, brouillon, time_machine):
    """At 23:30 UTC on 2 December it is already 3 December in Paris: the day that counts."""
    time_machine.move_to(datetime(2026, 12, 2, 23, 30, tzinfo=UTC), tick=False)
    assert timezone.localdate() == date(2026, 12, 3)
    futur = {**assistant.ETAT_CIVIL, "date_naissance": "2026-12-04"}
    response = assistant.poster(client, brouillon, "etat-civil", futur)
    assert erreurs(response)["date_naissance"] == [
        "La date de naissance ne peut pas être dans le futur."
    ]
    aujourdhui = {**assistant.ETAT_CIVIL, "date_naissance": "2026-12-03"}
    response = assistant.poster(client, brouillon, "etat-civil", aujourdhui)
    assert "futur" not in erreurs(response)["date_naissance"][0]  # too young, not in the future
    dix_sept_ans_a_paris = {
        **assistant.ETAT_CIVIL,
        "date_naissance": "2009-12-03",
        "representant_nom": "Martin",
        "representant_prenoms": "Paul",
    }
    response = assistant.poster(client, brouillon, "etat-civil", dix_sept_ans_a_paris)
    assert response.status_code == 302


@pytest.mark.django_db
def test_adding_a_category_the_age_does_not_allow_is_refused(client, brouillon):
    assistant.remplir_etat_civil(client, brouillon, date_naissance=assistant.age(19))
    response = assistant.poster(client, brouillon, "motif", {"categories": ["B", "D"]})
    assert response.status_code == 200
    assert "La catégorie D demande d'avoir au moins 24 ans" in erreurs(response)["categories"][0]
    assert Demande.objects.get(pk=brouillon.pk).categories == ["B"]


@pytest.mark.django_db
def test_the_legal_representative_is_not_labelled_optional(client, brouillon):
    """Required for a minor, so never « (optionnel) »; an adult still leaves it empty."""
    page = client.get(assistant.url_etape(brouillon, "etat-civil")).content.decode()
    for nom in ("Nom du représentant légal", "Prénoms du représentant légal"):
        libelle = page[page.index(nom) :]
        assert "Optionnel" not in libelle[: libelle.index("</label>")]
    assert "(Optionnel)" in page  # the usage name: truly optional, still marked
    assert (
        'name="representant_nom" ' in page
        and "required"
        not in page[
            page.index('name="representant_nom"') - 200 : page.index('name="representant_nom"')
            + 200
        ]
    )
    response = assistant.poster(client, brouillon, "etat-civil", assistant.ETAT_CIVIL)
    assert response.status_code == 302


@pytest.mark.parametrize(
    "modifs, champ, message",
    [
        ({"date_naissance": assistant.age(16)}, "representant_nom", "Pour un candidat mineur"),
        ({"sous_tutelle": "on"}, "representant_prenoms", "Pour un candidat sous tutelle"),
    ],
)
@pytest.mark.django_db
def test_minor_or_protected_adult_needs_a_legal_representative(
    client, candidat, modifs, champ, message
):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["AM"])
    response = assistant.poster(client, demande, "etat-civil", {**assistant.ETAT_CIVIL, **modifs})
    assert message in erreurs(response)[champ][0]


ADRESSE_INVALIDE = [
    ("adresse", "", "Saisissez votre adresse (numéro et voie)."),
    ("code_postal", "", "Saisissez votre code postal."),
    ("code_postal", "6900", "Assurez-vous que cette valeur comporte au moins"),
    ("code_postal", "ABCDE", MESSAGE_CODE_POSTAL),
    ("code_postal", "00000", MESSAGE_CODE_POSTAL),
    ("code_postal", "690021", "Assurez-vous que cette valeur comporte au plus 5 caractères"),
    ("commune", "", "Saisissez votre commune."),
    ("commune", "Lyon;DROP", "Ce champ ne peut contenir que des lettres, des chiffres"),
    ("email", "", "Saisissez votre adresse électronique."),
    ("email", "camille.exemple.fr", "Saisissez une adresse électronique valide"),
    ("telephone", "04 72 00 00 00", MESSAGE_PORTABLE),
    ("telephone", "06 12 34", MESSAGE_PORTABLE),
    ("telephone", "+44 7 12 34 56 78", MESSAGE_PORTABLE),
    ("telephone", "+33 1 12 34 56 78", MESSAGE_PORTABLE),
]


@pytest.mark.parametrize("champ, valeur, message", ADRESSE_INVALIDE)
@pytest.mark.django_db
def test_bad_address_or_contact_is_refused_in_french_and_keeps_the_other_answers(
    client, brouillon, champ, valeur, message
):
    if champ == "code_postal" and len(valeur) == 4:
        message = "Saisissez un code postal français"
    assistant.remplir_etat_civil(client, brouillon)
    donnees = {**assistant.ADRESSE, "complement_adresse": "Bâtiment B", champ: valeur}
    response = assistant.poster(client, brouillon, "adresse", donnees)
    assert response.status_code == 200
    assert any(message in e for e in erreurs(response)[champ]), erreurs(response)
    form = response.context["form"]
    for autre in ["adresse", "complement_adresse", "commune", "email"]:
        if autre != champ:
            assert form[autre].value() == donnees[autre]
    demande = Demande.objects.get(pk=brouillon.pk)
    assert demande.adresse == "" and demande.nom_naissance == "Martin"


@pytest.mark.parametrize(
    "saisi, enregistre",
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07.51.23.45.67", "+33751234567"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33751234567", "+33751234567"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("", ""),
    ],
)
@pytest.mark.django_db
def test_french_mobile_numbers_are_accepted_and_stored_in_e164(
    client, brouillon, saisi, enregistre
):
    assistant.remplir_etat_civil(client, brouillon)
    assistant.remplir_adresse(client, brouillon, telephone=saisi)
    demande = Demande.objects.get(pk=brouillon.pk)
    assert demande.telephone == enregistre
    assert demande.departement == "69"


# Each overseas mobile prefix, typed as its subscriber does, gets its own country code.
PORTABLES_OUTRE_MER = [
    ("97400", "Saint-Denis", "0692 12 34 56", "+262692123456"),  # La Réunion
    ("97400", "Saint-Denis", "0693 00 34 56", "+262693003456"),
    ("97110", "Pointe-à-Pitre", "0690 12 34 56", "+590690123456"),  # Guadeloupe
    ("97110", "Pointe-à-Pitre", "0691 22 34 56", "+590691223456"),
    ("97200", "Fort-de-France", "0696 12 34 56", "+596696123456"),  # Martinique
    ("97200", "Fort-de-France", "0697 00 34 56", "+596697003456"),
    ("97300", "Cayenne", "0694 00 34 56", "+594694003456"),  # Guyane
    ("97600", "Mamoudzou", "0639 00 34 56", "+262639003456"),  # Mayotte
    ("97133", "Saint-Barthélemy", "0690 12 34 56", "+590690123456"),
    ("97150", "Saint-Martin", "0690 12 34 56", "+590690123456"),
    ("97400", "Saint-Denis", "06 12 34 56 78", "+33612345678"),  # a mainland mobile kept
    ("69002", "Lyon", "0692 12 34 56", "+262692123456"),  # a Réunion mobile in Lyon
    ("97400", "Saint-Denis", "+262 692 12 34 56", "+262692123456"),
]


@pytest.mark.parametrize("code_postal, commune, saisi, enregistre", PORTABLES_OUTRE_MER)
@pytest.mark.django_db
def test_overseas_mobiles_get_their_own_country_code(
    client, brouillon, code_postal, commune, saisi, enregistre
):
    assistant.remplir_etat_civil(client, brouillon)
    assistant.remplir_adresse(
        client, brouillon, code_postal=code_postal, commune=commune, telephone=saisi
    )
    assert Demande.objects.get(pk=brouillon.pk).telephone == enregistre


@pytest.mark.django_db
def test_the_stored_mobile_is_shown_as_its_subscriber_writes_it(client, brouillon):
    assistant.remplir_etat_civil(client, brouillon)
    assistant.remplir_adresse(
        client, brouillon, code_postal="97400", commune="Saint-Denis", telephone="+262692123456"
    )
    page = client.get(reverse("demandes:etape", args=[brouillon.numero, "adresse"]))
    assert page.context["form"]["telephone"].value() == "0692 12 34 56"


# The département comes from the official commune, never from the postal code's digits.
ADRESSES = [
    ("48250", "Laveyrune", "07"),  # a commune of Ardèche with a postal code of Lozère
    ("48250", "Luc", "48"),
    ("20000", "Ajaccio", "2A"),
    ("20200", "Bastia", "2B"),
    ("97133", "Saint-Barthélemy", "977"),
    ("97150", "Saint-Martin", "978"),
    ("97400", "Saint-Denis", "974"),
    ("97600", "Mamoudzou", "976"),
    ("75011", "Paris", "75"),
    ("69002", "lyon", "69"),  # spelled loosely, stored officially
    ("93200", "St-Denis", "93"),
]


@pytest.mark.parametrize("code_postal, commune, departement", ADRESSES)
@pytest.mark.django_db
def test_departement_comes_from_the_official_commune(
    client, brouillon, code_postal, commune, departement
):
    assistant.remplir_etat_civil(client, brouillon)
    assistant.remplir_adresse(client, brouillon, code_postal=code_postal, commune=commune)
    demande = Demande.objects.get(pk=brouillon.pk)
    assert demande.departement == departement
    assert demande.commune in {
        "Laveyrune",
        "Luc",
        "Ajaccio",
        "Bastia",
        "Saint-Barthélemy",
        "Saint-Martin",
        "Saint-Denis",
        "Mamoudzou",
        "Paris",
        "Lyon",
    }


ADRESSES_REFUSEES = [
    ("98000", "Monaco", "code_postal", "Aucune commune française n'a le code postal 98000."),
    ("97500", "Saint-Pierre", "code_postal", "Saint-Pierre-et-Miquelon ne relèvent pas de ce"),
    ("98800", "Nouméa", "code_postal", "Nouvelle-Calédonie ne relèvent pas de ce service"),
    ("98714", "Papeete", "code_postal", "Polynésie française ne relèvent pas de ce service"),
    (
        "48250",
        "Mende",
        "commune",
        "La commune « Mende » n'a pas le code postal 48250. Choisissez parmi les communes de "
        "ce code postal : La Bastide-Puylaurent, Laveyrune, Luc, Mont Lozère et Goulet.",
    ),
    ("69002", "Villeurbanne", "commune", "La commune « Villeurbanne » n'a pas le code postal"),
]


@pytest.mark.parametrize("code_postal, commune, champ, message", ADRESSES_REFUSEES)
@pytest.mark.django_db
def test_an_address_outside_the_service_or_not_matching_is_refused(
    client, brouillon, code_postal, commune, champ, message
):
    assistant.remplir_etat_civil(client, brouillon)
    donnees = {**assistant.ADRESSE, "code_postal": code_postal, "commune": commune}
    response = assistant.poster(client, brouillon, "adresse", donnees)
    assert response.status_code == 200
    assert any(message in e for e in erreurs(response)[champ]), erreurs(response)
    assert Demande.objects.get(pk=brouillon.pk).departement == ""


@pytest.mark.django_db
def test_the_communes_of_the_postal_code_are_offered_without_javascript(client, brouillon):
    """A wrong commune brings back the step with a list of the postal code's communes."""
    assistant.remplir_etat_civil(client, brouillon)
    donnees = {**assistant.ADRESSE, "code_postal": "48250", "commune": "Mende"}
    page = assistant.poster(client, brouillon, "adresse", donnees).content.decode()
    select = page[page.index('<select name="commune"') :]
    select = select[: select.index("</select>")]
    options = [o.split('"')[1] for o in select.split("<option value=")[1:]]
    assert options == ["", "La Bastide-Puylaurent", "Laveyrune", "Luc", "Mont Lozère et Goulet"]
    assert 'value="48250"' in page  # nothing typed is lost


@pytest.mark.parametrize(
    "donnees, champ, message",
    [
        ({"motif": ""}, "motif", "Choisissez le motif de votre demande."),
        ({"motif": "permis_bateau"}, "motif", "Choisissez un motif de la liste."),
        ({"motif": Motif.INSCRIPTION_PREMIERE}, "categories", "Choisissez au moins une catégorie."),
        (
            {"motif": Motif.INSCRIPTION_PREMIERE, "categories": ["Z"]},
            "categories",
            "Choisissez des catégories de la liste.",
        ),
        (
            {
                "motif": Motif.INSCRIPTION_PREMIERE,
                "categories": ["A2"],
                "conduite_accompagnee": "on",
            },
            "conduite_accompagnee",
            "ne concerne que la catégorie B",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_motif_step_is_refused_and_nothing_is_created(
    client, candidat, donnees, champ, message
):
    client.force_login(candidat)
    response = client.post(reverse("demandes:commencer"), donnees)
    assert response.status_code == 200
    assert any(message in e for e in erreurs(response)[champ]), erreurs(response)
    assert not Demande.objects.exists()


@pytest.mark.django_db
def test_motif_without_categories_ignores_the_categories_posted(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.PERTE, ["B"], conduite_accompagnee="on")
    assert demande.categories == [] and not demande.conduite_accompagnee


@pytest.mark.django_db
def test_error_summary_lists_every_error_with_a_link_to_its_field(client, brouillon):
    donnees = {**assistant.ETAT_CIVIL, "nom_naissance": "", "sexe": "", "date_naissance": demain()}
    response = assistant.poster(client, brouillon, "etat-civil", donnees)
    page = response.content.decode()
    assert "Le formulaire contient 3 erreurs" in page
    assert 'href="#id_nom_naissance"' in page
    assert 'href="#radio-id_sexe"' in page and 'id="radio-id_sexe"' in page
    assert 'href="#id_date_naissance"' in page
    assert 'aria-invalid="true"' in page
    assert "<title>Erreur : État civil – Étape 2 sur 7 – Permis en ligne</title>" in page
    assert 'id="resume-erreurs" tabindex="-1" autofocus' in page  # focused on arrival


@pytest.mark.parametrize("motif", list(Motif))
def test_the_motif_form_and_the_clearing_read_the_same_fields(motif):
    """A field the motif form does not show is one the wizard clears, and the reverse."""
    demande = Demande(motif=motif, categories=["B"], conduite_accompagnee=True, levee_code_78=True)
    montres = set(MotifForm(instance=demande).fields)
    effaces = set(retirer_reponses_caduques(demande))
    for champ in CHAMPS_DU_MOTIF:
        assert (champ.nom in montres) == (champ.nom not in effaces), (motif, champ.nom)
