"""Administrators assign roles in the Django admin and see the certified identity."""

import pytest
from django.contrib.auth.models import Group

from accounts.enums import Role
from accounts.models import IdentitePivot
from tests.accounts.test_identite_pivot import CLAIMS


@pytest.mark.django_db
def test_the_user_page_shows_the_franceconnect_identity_read_only(admin_client, candidat):
    IdentitePivot.objects.enregistrer_franceconnect(candidat, CLAIMS, "https://fc.exemple/api/v2")

    page = admin_client.get(f"/admin/accounts/user/{candidat.pk}/change/").content.decode()

    assert "Identité certifiée par FranceConnect" in page
    assert "Angela Claire Louise" in page
    assert 'name="identite_pivot-0-prenoms"' not in page  # not editable


@pytest.mark.django_db
@pytest.mark.parametrize("departement", ["69", "2A", "974", "977"])
def test_an_administrator_makes_an_account_an_instructeur_of_a_departement(
    admin_client, candidat, departement
):
    page = admin_client.get(f"/admin/accounts/user/{candidat.pk}/change/")
    donnees = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    groupe = Group.objects.get_or_create(name=Role.INSTRUCTEUR_DDT)[0]
    donnees.update(
        {
            "username": candidat.username,
            "email": candidat.email,
            "groups": [groupe.pk],
            "departement": departement,
            "is_active": "on",
            "date_joined_0": candidat.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": candidat.date_joined.strftime("%H:%M:%S"),
            "identite_pivot-TOTAL_FORMS": "0",
            "identite_pivot-INITIAL_FORMS": "0",
            "identite_pivot-MIN_NUM_FORMS": "0",
            "identite_pivot-MAX_NUM_FORMS": "0",
        }
    )
    donnees.pop("user_permissions", None)
    donnees.pop("last_login", None)
    donnees.pop("password", None)

    reponse = admin_client.post(f"/admin/accounts/user/{candidat.pk}/change/", donnees)

    assert reponse.status_code == 302, reponse.context["adminform"].form.errors
    candidat.refresh_from_db()
    assert candidat.has_role(Role.INSTRUCTEUR_DDT)
    assert candidat.departement == departement


@pytest.mark.django_db
@pytest.mark.parametrize("saisi", ["690", "6 9", "20", "975", "988"])
def test_an_instructor_departement_outside_the_official_list_is_refused(
    admin_client, candidat, saisi
):
    """A typo used to give an empty queue silently: the admin offers the official list."""
    page = admin_client.get(f"/admin/accounts/user/{candidat.pk}/change/")
    assert '<option value="69">69 — Rhône</option>' in page.content.decode()
    donnees = {"username": candidat.username, "departement": saisi}
    reponse = admin_client.post(f"/admin/accounts/user/{candidat.pk}/change/", donnees)
    erreurs = reponse.context["adminform"].form.errors
    assert "departement" in erreurs
    candidat.refresh_from_db()
    assert candidat.departement == ""
