import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from demandes.enums import Etat
from demandes.models import Demande
from permis.management.commands.charger_demo import COMPTES


@pytest.mark.django_db
def test_demo_loads_one_account_per_role_and_requests_in_various_states(settings, client):
    settings.PERMIS_DEMO = True
    call_command("charger_demo")
    call_command("charger_demo")  # running it twice changes nothing

    assert User.objects.filter(email__endswith="@demo.permis.fr").count() == len(COMPTES)
    etats = set(Demande.objects.values_list("etat", flat=True))
    assert {Etat.BROUILLON, Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.ACCEPTEE, Etat.EXPEDIE} <= etats
    assert Demande.objects.count() == 5
    for email, password, *_ in COMPTES:
        user = User.objects.get(email=email)
        assert client.login(username=user.username, password=password), email
        client.logout()


@pytest.mark.django_db
def test_demo_staff_log_in_with_the_printed_key_and_reach_their_spaces(settings, client):
    """The demo agents and administrator have a second factor, usable from the printed key."""
    from io import StringIO

    from permis.management.commands.charger_demo import secret_demo
    from tests.double_facteur import totp

    settings.PERMIS_DEMO = True
    sortie = StringIO()
    call_command("charger_demo", stdout=sortie)
    # One TOTP period for the whole loop: under load, the command's code and the one computed
    # here, or the one posted, could otherwise fall on both sides of a 30-second boundary.
    with time_machine.travel(timezone.now(), tick=False):
        for email, password, role, *_ in COMPTES:
            if role in {"agent_ctn", "instructeur_ddt", None}:
                assert secret_demo(email) in sortie.getvalue()
                code = StringIO()
                call_command("code_totp", email, stdout=code)
                assert code.getvalue().strip() == totp(secret_demo(email))
                client.post("/compte/login/", {"login": email, "password": password})
                client.post("/compte/2fa/authenticate/", {"code": totp(secret_demo(email))})
                espace = "/admin/" if role is None else "/instruction/"
                assert client.get(espace).status_code == 200, email
                client.post("/compte/logout/")


@pytest.mark.django_db
def test_demo_is_refused_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.PERMIS_DEMO = False
    with pytest.raises(CommandError):
        call_command("charger_demo")


@pytest.mark.django_db
def test_the_demo_candidate_holding_a_posted_title_has_a_neph_and_its_categories(settings):
    """Their relevé d'information says what a real holder's would: NEPH and categories."""
    from demandes.releve import releve_de

    settings.PERMIS_DEMO = True
    call_command("charger_demo")
    candidat = User.objects.get(email=COMPTES[0][0])
    assert Demande.objects.filter(candidat=candidat, etat=Etat.EXPEDIE).exists()
    releve = releve_de(candidat)
    assert releve.neph and len(releve.neph) == 12
    assert [t.categories for t in releve.titres] == [["B"]]
