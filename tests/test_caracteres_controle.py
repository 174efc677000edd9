"""NUL and other control characters in a URL never reach PostgreSQL (which refuses NUL).

The sweep walks the whole URLconf: for every pattern, every path segment in turn gets a
%00, by GET and POST, anonymous and as a user holding every role (staff and superuser
included, so the admin is reached too). Then the admin's filters and search get a %00,
and other query strings and cookies.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.enums import Role
from auto_ecoles.models import Invitation
from simulateurs.cabine import emettre_code
from simulateurs.timbres import acheter_timbre
from tests.auto_ecoles.factories import MembreFactory
from tests.double_facteur import activer_double_facteur
from tests.factories import DemandeFactory, UserFactory
from tests.urlconf import motifs


@pytest.fixture
def tous_les_roles(db):
    """One account that every guard lets in: all roles, staff, superuser, school manager."""
    user = UserFactory(is_staff=True, is_superuser=True, departement="69")
    for role in Role:
        user.ajouter_role(role)
    MembreFactory(user=user, gestionnaire=True)
    activer_double_facteur(user)  # so that it reaches the back-office and the admin
    return user


@pytest.fixture
def valeurs(tous_les_roles):
    """A real value for each URL parameter, so that the segments before the NUL match."""
    demande = DemandeFactory(candidat=tous_les_roles, deposee=True)
    invitation = Invitation.objects.create(
        auto_ecole=tous_les_roles.membre_auto_ecole.auto_ecole, type="eleve", email="x@exemple.fr"
    )
    return {
        "numero": demande.numero,
        "pk": str(demande.pieces.first().pk),
        "piece_id": str(demande.pieces.first().pk),
        "document_id": "1",
        "message_id": "1",
        "slug": "motif",
        "action": "accepter",
        "extension": "csv",
        "code": emettre_code("Martin", "Léa").code,
        "jeton": invitation.jeton,
        "type": "eleve",
        "uid": "a" * 32,
        "key": "cle",
        "uidb36": "1",
        "provider_id": "franceconnect",
        "app_label": "demandes",
        "object_id": str(demande.pk),
        "content_type_id": "1",
        "id": str(tous_les_roles.pk),
        "url": "inconnu/",
        "reste": "franceconnect/login/",
    }


def chemins_avec_nul(valeurs: dict[str, str]):
    """(pattern name, path) for each pattern with a NUL in each of its segments in turn."""
    for motif in motifs():
        for i, parametre in enumerate(motif.parametres):
            # A parameter: its real value followed by a NUL, the other ones real.
            avec_nul = {**valeurs, parametre: quote(valeurs[parametre]) + "%00"}
            yield motif.nom or motif.gabarit, motif.chemin(avec_nul)
            if i == 0:
                yield motif.nom or motif.gabarit, motif.chemin({**valeurs, parametre: "%00"})
        # Each fixed segment: a NUL inside it.
        segments = motif.chemin({p: quote(valeurs[p]) for p in motif.parametres}).split("/")
        for i, segment in enumerate(segments):
            if segment:
                yield (
                    motif.nom or motif.gabarit,
                    "/".join(
                        [*segments[:i], segment[:1] + "%00" + segment[1:], *segments[i + 1 :]]
                    ),
                )


def erreurs_serveur(client: Client, requetes) -> list[str]:
    echecs = []
    for methode, nom, chemin in requetes:
        reponse = getattr(client, methode)(chemin)
        if reponse.status_code >= 500:
            echecs.append(f"{methode.upper()} {chemin} ({nom}) → {reponse.status_code}")
    return echecs


@pytest.mark.django_db
def test_a_nul_in_any_segment_of_any_pattern_never_answers_5xx(tous_les_roles, valeurs):
    chemins = list(chemins_avec_nul(valeurs))
    assert len({nom for nom, _ in chemins}) >= 150  # the whole URLconf, admin included
    requetes = [(m, nom, chemin) for nom, chemin in chemins for m in ("get", "post")]

    anonyme = Client(raise_request_exception=False)
    connecte = Client(raise_request_exception=False)
    connecte.force_login(tous_les_roles)
    echecs = erreurs_serveur(anonyme, requetes) + erreurs_serveur(connecte, requetes)
    assert echecs == [], "\n".join(echecs)


@pytest.mark.django_db
def test_the_nul_is_refused_before_any_query(
    client, tous_les_roles, valeurs, django_assert_num_queries
):
    client.force_login(tous_les_roles)
    with django_assert_num_queries(0):
        reponse = client.get(f"/demandes/{valeurs['numero']}%00/")
    assert reponse.status_code == 400
    timbre = acheter_timbre(25)
    with django_assert_num_queries(0):
        assert client.get(f"/simulateurs/timbres-fiscaux/{timbre.numero}%00/").status_code == 400
    # Other control characters too.
    for caractere in ("%01", "%0A", "%0D", "%1F", "%7F"):
        assert (
            client.get(f"/auto-ecoles/invitation/{valeurs['jeton']}{caractere}/").status_code == 400
        )


def parametres_des_filtres(model_admin) -> list[str]:
    """The query parameters of a ModelAdmin's filters, as its changelist links write them."""
    noms = []
    for filtre in model_admin.list_filter:
        champ = filtre[0] if isinstance(filtre, tuple) else filtre
        if isinstance(champ, str):
            noms += [f"{champ}__exact", f"{champ}__id__exact", f"{champ}__isnull", champ]
        else:
            noms.append(getattr(champ, "parameter_name", "x"))
    return noms


@pytest.mark.django_db
def test_the_admin_filters_and_search_refuse_a_nul(tous_les_roles, valeurs):
    client = Client(raise_request_exception=False)
    client.force_login(tous_les_roles)
    requetes = []
    for model, model_admin in admin.site._registry.items():
        liste = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for parametre in [*parametres_des_filtres(model_admin), "q", "o", "p", "_to_field"]:
            requetes.append(("get", model.__name__, f"{liste}?{parametre}=%00"))
            requetes.append(("get", model.__name__, f"{liste}?{parametre}=a%00b"))
    assert any("etat__exact" in chemin for *_, chemin in requetes)
    assert erreurs_serveur(client, requetes) == []
    reponse = client.get(reverse("admin:demandes_demande_changelist") + "?etat__exact=%00")
    assert reponse.status_code == 400


@pytest.mark.django_db
def test_query_strings_and_cookies_with_a_nul_are_refused(client, tous_les_roles, valeurs):
    client.force_login(tous_les_roles)
    assert client.get("/instruction/?q=%00").status_code == 400
    assert client.get("/instruction/?q%00=1").status_code == 400
    # A session cookie holding a NUL would be looked up in the sessions table.
    # (an octal escape in a quoted cookie value is decoded to the byte it stands for).
    assert client.get("/", HTTP_COOKIE='sessionid="abcdefgh\\000ijkl"').status_code == 400


@pytest.mark.django_db
def test_malformed_values_do_not_match_the_converters(client, tous_les_roles, valeurs):
    client.force_login(tous_les_roles)
    assert client.get(f"/demandes/{valeurs['numero']}/").status_code == 200
    for mauvais in ("abcd-efgh-ijkl", "ABCD-EFGH-IJK", "ABCD'EFGH-IJKL", "ABCD-EFGH-IJKL-"):
        assert client.get(f"/demandes/{quote(mauvais)}/").status_code == 404
    assert client.get("/auto-ecoles/invitation/x%22y/").status_code == 404
    assert client.get("/auto-ecoles/invitation/" + "a" * 65 + "/").status_code == 404


@pytest.mark.django_db
def test_a_nul_in_the_fields_posted_to_any_pattern_never_answers_5xx(tous_les_roles, valeurs):
    """Form fields keep what was typed and say so next to the field (Django's CharField
    refuses NUL); no view may pass a posted value to a query unchecked."""
    noms = "login password email code code_photo numero numero_agrement q motif identite action"
    noms += " retour confirmation grant_type client_id client_secret redirect_uri nom_naissance"
    noms += " date_naissance message motifs categories telephone commune code_postal"
    champs = dict.fromkeys(noms.split(), "a\x00b")
    echecs = []
    for connecte in (False, True):
        client = Client(raise_request_exception=False)
        if connecte:
            client.force_login(tous_les_roles)
        for motif in motifs():
            chemin = motif.chemin({p: quote(valeurs[p]) for p in motif.parametres})
            reponse = client.post(chemin, champs)
            if reponse.status_code >= 500:
                echecs.append(f"POST {chemin} ({motif.nom}) → {reponse.status_code}")
    assert echecs == [], "\n".join(echecs)
