"""What every logged-in request costs before its page: the account and its roles, one query."""

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import compte_avec_roles
from accounts.double_facteur import a_double_facteur
from accounts.enums import Role
from accounts.models import IdentitePivot, User
from tests.factories import CLAIMS_FRANCECONNECT as CLAIMS


def test_a_logged_in_page_loads_the_account_and_its_roles_in_one_query(
    client, agent_ctn, django_assert_num_queries
):
    client.force_login(agent_ctn)
    client.get(reverse("home"))
    # The session comes from the cache; the account and its roles from one query.
    with django_assert_num_queries(1):
        response = client.get(reverse("home"))
    assert response.context["user"].roles == {Role.AGENT_CTN}
    assert "File d'attente" in response.content.decode()  # the menu read the roles


def test_a_role_taken_away_applies_at_the_next_request(client, agent_ctn):
    client.force_login(agent_ctn)
    assert client.get(reverse("instruction:file")).status_code == 200
    agent_ctn.groups.remove(Group.objects.get(name=Role.AGENT_CTN))
    assert client.get(reverse("instruction:file")).status_code == 403


def test_a_deactivated_account_is_logged_out(client, candidat):
    client.force_login(candidat)
    candidat.is_active = False
    candidat.save()
    response = client.get(reverse("demandes:liste"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_account_read_by_its_kept_query_is_the_one_the_orm_reads(agent_ctn):
    user = compte_avec_roles(str(agent_ctn.pk))  # the session keeps the id as text
    assert model_to_dict(user) == model_to_dict(User.objects.get(pk=agent_ctn.pk))
    assert user.roles == {Role.AGENT_CTN}
    assert not user._state.adding
    assert compte_avec_roles(User.objects.order_by("pk").last().pk + 1) is None


def test_the_second_factor_door_asks_no_query_of_its_own(client, agent_ctn):
    client.force_login(agent_ctn)
    client.get(reverse("instruction:pilotage"))
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("instruction:pilotage")).status_code == 200
    assert not [q for q in requetes.captured_queries if "mfa_authenticator" in q["sql"]][1:]
    assert "mfa_authenticator" in requetes.captured_queries[0]["sql"]  # read with the account


def test_an_authenticator_removed_applies_at_the_next_request(client, agent_ctn):
    client.force_login(agent_ctn)
    assert client.get(reverse("instruction:file")).status_code == 200
    Authenticator.objects.filter(user=agent_ctn).delete()
    reponse = client.get(reverse("instruction:file"))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("mfa_activate_totp"))


def test_the_second_factor_read_with_the_account_is_the_one_allauth_reads(agent_ctn, candidat):
    assert compte_avec_roles(agent_ctn.pk).a_totp_au_chargement is True
    assert compte_avec_roles(candidat.pk).a_totp_au_chargement is False
    assert a_double_facteur(User.objects.get(pk=agent_ctn.pk)) is True  # allauth's answer
    Authenticator.objects.filter(user=agent_ctn, type=Authenticator.Type.TOTP).delete()
    assert compte_avec_roles(agent_ctn.pk).a_totp_au_chargement is False
    assert a_double_facteur(User.objects.get(pk=agent_ctn.pk)) is False


def test_the_franceconnect_identity_is_known_absent_with_the_account(
    candidat, django_assert_num_queries
):
    user = compte_avec_roles(candidat.pk)
    with django_assert_num_queries(0):
        assert user.identite_franceconnect is None
    IdentitePivot.objects.enregistrer_franceconnect(candidat, CLAIMS, "https://fc.exemple/api/v2")
    user = compte_avec_roles(candidat.pk)
    with django_assert_num_queries(1):  # an identity there is read when asked for
        assert user.identite_franceconnect.nom_naissance == CLAIMS["family_name"]
    IdentitePivot.objects.filter(user=candidat).delete()
    assert compte_avec_roles(candidat.pk).identite_franceconnect is None
