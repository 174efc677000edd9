"""Staff enrol a second factor (TOTP + recovery codes) before the back-office or the admin,
and the admin's login is allauth's (its rate limits, its second-factor step)."""

import html
import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.accounts.conftest import email_verifie
from tests.double_facteur import activer_double_facteur, code_totp, connecter_avec_totp, totp
from tests.factories import (
    MOT_DE_PASSE,
    AdminFactory,
    AgentCTNFactory,
    AutoEcoleStaffFactory,
    CandidatFactory,
    InstructeurFactory,
)

ACTIVATION = "/compte/2fa/totp/activate/"


def se_connecter(client, user, mot_de_passe=MOT_DE_PASSE):
    return client.post("/compte/login/", {"login": user.email, "password": mot_de_passe})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fabrique", "espace"),
    [
        (AgentCTNFactory, "/instruction/"),
        (InstructeurFactory, "/instruction/pilotage/"),
        (AdminFactory, "/admin/"),
    ],
    ids=["agent CTN", "instructeur DDT", "administrateur"],
)
def test_staff_without_a_second_factor_are_sent_to_enrol_first(client, fabrique, espace):
    client.force_login(fabrique(double_facteur=False))
    reponse = client.get(espace)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(ACTIVATION)
    page = html.unescape(client.get(reponse["Location"], follow=True).content.decode())
    assert "activez la double authentification avant d'y accéder" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/instruction/", "/instruction/pilotage/", "/admin/", "/admin/demandes/demande/"]
)
def test_enrolled_staff_reach_the_back_office_and_the_admin(client, url):
    client.force_login(
        AdminFactory(departement="69") if url.startswith("/admin/") else AgentCTNFactory()
    )
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_candidates_and_school_staff_are_not_asked_for_a_second_factor(client):
    client.force_login(CandidatFactory())
    assert client.get("/demandes/").status_code == 200
    client.force_login(AutoEcoleStaffFactory())
    assert client.get("/espace/").status_code == 302  # their landing page, no enrolment
    assert ACTIVATION not in client.get("/espace/")["Location"]


# Real commits: allauth announces the new authenticator on commit, which proves the second
# factor for the session that enrolled (accounts/receivers.py).
@pytest.mark.django_db(transaction=True)
def test_an_agent_enrols_then_logs_in_with_a_computed_totp(client, mailoutbox):
    agent = email_verifie(AgentCTNFactory(double_facteur=False))
    debut = time.time()

    # Password login, then the back-office sends to the enrolment page with the secret.
    se_connecter(client, agent)
    assert client.get("/instruction/")["Location"].startswith(ACTIVATION)
    # allauth asks for the password again before a new authenticator is added.
    assert client.get(ACTIVATION)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": MOT_DE_PASSE})
    page = client.get(ACTIVATION)
    assert page.status_code == 200
    secret = re.search(r'value="([A-Z2-7]{32})"', page.content.decode()).group(1)

    # A wrong code is refused next to the field; the code of the app is accepted.
    faux = client.post(ACTIVATION, {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert faux.status_code == 200 and not Authenticator.objects.filter(user=agent).exists()
    reponse = client.post(ACTIVATION, {"code": totp(secret)})
    assert reponse.status_code == 302
    types = set(Authenticator.objects.filter(user=agent).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    codes_secours = client.get(reponse["Location"]).content.decode()
    assert (
        "Codes de récupération" in html.unescape(codes_secours) or "récupération" in codes_secours
    )
    assert client.get("/instruction/").status_code == 200  # the code proved it in this session
    client.post("/compte/logout/")

    # Next login, in the next period: password, then the code the app shows now.
    with time_machine.travel(debut + 31, tick=False):
        reponse = se_connecter(client, agent)
        assert reponse["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session  # not logged in on the password alone
        assert client.get("/instruction/").status_code == 302
        erreur = client.post(reverse("mfa_authenticate"), {"code": "12345"})
        assert erreur.status_code == 200 and "_auth_user_id" not in client.session
        reponse = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
        assert reponse.status_code == 302
        assert client.session["_auth_user_id"] == str(agent.pk)
        assert client.get("/instruction/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_stands_in_for_a_lost_phone(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    instructeur = email_verifie(InstructeurFactory())
    codes = RecoveryCodes(Authenticator.objects.get(user=instructeur, type="recovery_codes"))
    se_connecter(client, instructeur)
    client.post(reverse("mfa_authenticate"), {"code": codes.get_unused_codes()[0]})
    assert client.session["_auth_user_id"] == str(instructeur.pk)
    assert client.get("/instruction/").status_code == 200


@pytest.mark.django_db
def test_a_session_opened_before_enrolment_confirms_a_code_first(client):
    agent = email_verifie(AgentCTNFactory(double_facteur=False))
    se_connecter(client, agent)
    activer_double_facteur(agent)  # enrolled meanwhile, from another browser
    reponse = client.get("/instruction/")
    assert reponse["Location"].startswith(reverse("mfa_reauthenticate"))
    client.post(reverse("mfa_reauthenticate"), {"code": code_totp(agent)})
    assert client.get("/instruction/").status_code == 200


@pytest.mark.django_db
def test_the_admin_login_is_allauths(client):
    admin = email_verifie(AdminFactory())
    reponse = client.get("/admin/login/?next=/admin/")
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("account_login"))
    # Django's own form no longer logs anyone in: no rate limit or second factor to bypass.
    # Nor is its page ever shown (so the project no longer overrides admin/login.html).
    envoi = client.post("/admin/login/", {"username": admin.username, "password": MOT_DE_PASSE})
    assert envoi.status_code == 302 and envoi["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    # allauth's does, after the second factor.
    reponse = connecter_avec_totp(client, admin)
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_failed_admin_logins_are_rate_limited(client):
    admin = email_verifie(AdminFactory())
    for _ in range(5):
        se_connecter(client, admin, "mauvais-mot-de-passe")
    page = se_connecter(client, admin).content.decode()
    assert "Trop de tentatives de connexion ont échoué" in html.unescape(page)
    assert "_auth_user_id" not in client.session
