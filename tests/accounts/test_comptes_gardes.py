"""The logged-in account kept per process (accounts/comptes_gardes.py): read once, then from
memory while the shared cache's generation holds; every write that changes it applies at the
next request."""

import ast
import io
import re
import sysconfig
import tokenize
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings as reglages
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from accounts import backends, comptes_gardes
from accounts.enums import Role
from accounts.models import IdentitePivot, User
from tests.double_facteur import activer_double_facteur
from tests.factories import CLAIMS_FRANCECONNECT as CLAIMS
from tests.factories import AgentCTNFactory


@pytest.fixture(autouse=True)
def gardes(settings):
    settings.PERMIS_COMPTES_GARDES = True
    comptes_gardes._lignes.clear()
    yield
    comptes_gardes._lignes.clear()


def _comptes_lus(requetes) -> int:
    return sum('FROM "accounts_user"' in q["sql"] for q in requetes.captured_queries)


@pytest.fixture
def agent(client, agent_ctn, django_assert_num_queries):
    """An agent whose account this process keeps: its second request reads none."""
    client.force_login(agent_ctn)
    assert client.get(reverse("instruction:file")).status_code == 200
    client.get(reverse("home"))
    with django_assert_num_queries(0):
        assert client.get(reverse("home")).status_code == 200
    return agent_ctn


def test_a_logged_in_page_reads_its_account_once_then_from_the_process(
    client, agent_ctn, django_assert_num_queries
):
    client.force_login(agent_ctn)  # logging in writes last_login: a new generation
    with django_assert_num_queries(1):
        client.get(reverse("home"))
    with django_assert_num_queries(0):
        response = client.get(reverse("home"))
    assert response.context["user"].roles == {Role.AGENT_CTN}
    assert "File d'attente" in response.content.decode()  # the menu read the roles
    assert response.context["user"].a_totp_au_chargement is True


def test_the_kept_account_is_the_one_the_database_holds_in_a_new_instance_each_time(agent_ctn):
    jeton = ("jeton-de-test", "jeton-du-compte", comptes_gardes.cle_du_compte(agent_ctn.pk))
    comptes_gardes.jeton_lu_avec_la_session(jeton)
    lu = backends.compte_de_la_session(str(agent_ctn.pk))  # the session keeps the id as text
    comptes_gardes.jeton_lu_avec_la_session(jeton)
    garde = backends.compte_de_la_session(str(agent_ctn.pk))
    assert garde is not lu
    assert model_to_dict(garde) == model_to_dict(User.objects.get(pk=agent_ctn.pk))
    assert garde.roles == lu.roles == {Role.AGENT_CTN}
    assert garde.a_totp_au_chargement is True
    assert not garde._state.adding


def test_the_session_and_the_generation_come_in_one_cache_round_trip(client, candidat, monkeypatch):
    client.force_login(candidat)
    client.get(reverse("home"))
    lectures = []
    client_du_cache = type(cache._cache)
    for nom in ("get", "get_many"):
        origine = getattr(client_du_cache, nom)
        monkeypatch.setattr(
            client_du_cache,
            nom,
            lambda self, *a, _nom=nom, _origine=origine: (
                lectures.append(_nom) or _origine(self, *a)
            ),
        )
    client.get(reverse("home"))
    assert lectures == ["get_many"]


@pytest.mark.parametrize(
    "retirer",
    [
        lambda agent, groupe: agent.groups.remove(groupe),
        lambda agent, groupe: groupe.user_set.remove(agent),
        lambda agent, groupe: agent.groups.clear(),
        lambda agent, groupe: groupe.user_set.clear(),
        lambda agent, groupe: agent.groups.set([]),
        lambda agent, groupe: groupe.delete(),
    ],
    ids=["remove", "reverse-remove", "clear", "reverse-clear", "set", "group-deleted"],
)
def test_a_role_taken_away_applies_at_the_next_request(client, agent, retirer):
    retirer(agent, Group.objects.get(name=Role.AGENT_CTN))
    assert client.get(reverse("instruction:file")).status_code == 403


def test_a_group_renamed_takes_its_role_away_at_the_next_request(client, agent):
    groupe = Group.objects.get(name=Role.AGENT_CTN)
    groupe.name = "Ancien nom"
    groupe.save()
    assert client.get(reverse("instruction:file")).status_code == 403


def test_a_role_given_applies_at_the_next_request(client, candidat):
    client.force_login(candidat)
    client.get(reverse("home"))
    assert client.get(reverse("home")).context["user"].roles == {Role.CANDIDAT}
    User.objects.get(pk=candidat.pk).ajouter_role(Role.AGENT_CTN)
    assert client.get(reverse("home")).context["user"].roles == {Role.CANDIDAT, Role.AGENT_CTN}


def test_a_deactivated_account_is_logged_out_at_the_next_request(client, agent):
    agent.is_active = False
    agent.save()
    response = client.get(reverse("instruction:file"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_password_changed_elsewhere_logs_the_session_out(client, agent):
    agent.set_password("Un-autre-mot-de-passe-2026")
    agent.save()
    response = client.get(reverse("instruction:file"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_deleted_account_is_logged_out_at_the_next_request(client, agent):
    agent.delete()
    response = client.get(reverse("instruction:file"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_account_changed_shows_at_the_next_request(client, agent):
    compte = User.objects.get(pk=agent.pk)
    compte.first_name, compte.departement = "Renommée", "34"
    compte.save()
    user = client.get(reverse("home")).context["user"]
    assert (user.first_name, user.departement) == ("Renommée", "34")


def test_an_authenticator_removed_applies_at_the_next_request(client, agent):
    Authenticator.objects.filter(user=agent).delete()
    response = client.get(reverse("instruction:file"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_authenticator_added_applies_at_the_next_request(client, db):
    agent = AgentCTNFactory(double_facteur=False)
    client.force_login(agent)
    client.get(reverse("instruction:file"))
    assert client.get(reverse("instruction:file"))["Location"].startswith(
        reverse("mfa_activate_totp")
    )
    activer_double_facteur(agent)
    assert client.get(reverse("instruction:file")).status_code == 200


def test_a_franceconnect_identity_applies_at_the_next_request(client, candidat):
    client.force_login(candidat)
    client.get(reverse("home"))
    assert client.get(reverse("home")).context["user"].identite_franceconnect is None
    IdentitePivot.objects.enregistrer_franceconnect(candidat, CLAIMS, "https://fc.exemple/api/v2")
    identite = client.get(reverse("home")).context["user"].identite_franceconnect
    assert identite.nom_naissance == CLAIMS["family_name"]
    IdentitePivot.objects.filter(user=candidat).delete()
    assert client.get(reverse("home")).context["user"].identite_franceconnect is None


def test_a_write_replaces_the_generation_at_once_and_after_its_commit(
    agent_ctn, django_capture_on_commit_callbacks
):
    cle = comptes_gardes.cle_du_compte(agent_ctn.pk)
    avant = cache.get(cle)
    with django_capture_on_commit_callbacks(execute=True):
        agent_ctn.groups.clear()
        pendant = cache.get(cle)
    apres = cache.get(cle)
    assert len({avant, pendant, apres}) == 3
    assert None not in {pendant, apres}


def test_another_account_written_keeps_this_one_kept(
    client, candidat, agent, django_assert_num_queries
):
    """The candidate (and its role's group) made before the agent's account is kept."""
    general = cache.get(comptes_gardes.CLE)
    Client().force_login(candidat)  # writes the candidate's last_login
    candidat.first_name = "Autre"
    candidat.save()
    assert cache.get(comptes_gardes.CLE) == general
    with django_assert_num_queries(0):
        assert client.get(reverse("home")).context["user"] == agent
    groupe = Group.objects.get(name=Role.AGENT_CTN)
    groupe.user_set.add(candidat)  # from the group's side: the candidate's token
    with django_assert_num_queries(0):
        client.get(reverse("home"))
    agent.first_name = "Changé"
    agent.save()
    with django_assert_num_queries(1):
        assert client.get(reverse("home")).context["user"].first_name == "Changé"


def test_a_kept_account_is_read_again_after_its_maximum_age(
    client, agent, django_assert_num_queries, monkeypatch
):
    maintenant = comptes_gardes.time.monotonic()
    monkeypatch.setattr(
        comptes_gardes.time, "monotonic", lambda: maintenant + comptes_gardes.AGE_MAX + 1
    )
    with django_assert_num_queries(1):
        client.get(reverse("home"))


def test_without_a_generation_in_the_cache_the_account_is_read_and_one_is_set(
    client, agent, django_assert_num_queries
):
    cache.delete(comptes_gardes.CLE)  # a flushed cache
    with django_assert_num_queries(1):
        client.get(reverse("home"))
    assert cache.get(comptes_gardes.CLE) is not None
    with django_assert_num_queries(1):  # read under the new generation, then kept
        client.get(reverse("home"))
    with django_assert_num_queries(0):
        client.get(reverse("home"))


def test_off_every_request_reads_its_account(client, agent, settings, django_assert_num_queries):
    settings.PERMIS_COMPTES_GARDES = False
    for _ in range(2):
        with django_assert_num_queries(1):
            client.get(reverse("home"))


def _apps_du_portail() -> list[str]:
    """The top folders of every installed app that is the portal's own (the simulators' too:
    they share the database and its accounts), not a library's."""
    racine = Path(reglages.BASE_DIR)
    # A virtualenv inside the checkout (CI's clone, make install) holds the libraries' apps.
    bibliotheques = Path(sysconfig.get_paths()["purelib"]).resolve()
    return sorted(
        {
            Path(config.path).relative_to(racine).parts[0]
            for config in apps.get_app_configs()
            if Path(config.path).is_relative_to(racine)
            and not Path(config.path).resolve().is_relative_to(bibliotheques)
        }
    )


def _lignes_de_code(fichier: Path) -> list[str]:
    """The file's lines, its docstrings and comments blanked (prose may name a table; SQL by
    hand is in other strings, which stay)."""
    texte = fichier.read_text()
    lignes = texte.splitlines()
    for noeud in ast.walk(ast.parse(texte)):
        if isinstance(noeud, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            premier = noeud.body[0] if noeud.body else None
            if isinstance(premier, ast.Expr) and isinstance(premier.value, ast.Constant):
                for i in range(premier.lineno - 1, premier.end_lineno):
                    lignes[i] = ""
    for jeton in tokenize.generate_tokens(io.StringIO(texte).readline):
        if jeton.type == tokenize.COMMENT:
            ligne, colonne = jeton.start
            lignes[ligne - 1] = lignes[ligne - 1][:colonne]
    return lignes


def test_the_guard_reads_code_not_prose(tmp_path):
    fichier = tmp_path / "m.py"
    fichier.write_text(
        '"""A trigger on accounts_user."""\n'
        "def f():\n"
        '    """accounts_user again."""\n'
        '    curseur.execute("UPDATE accounts_user SET x = 1")  # accounts_user\n'
    )
    assert _lignes_de_code(fichier) == [
        "",
        "def f():",
        "",
        '    curseur.execute("UPDATE accounts_user SET x = 1")  ',
    ]


def test_the_portal_writes_the_kept_tables_through_the_orm_s_signals_only():
    """QuerySet.update, bulk_create, bulk_update and SQL by hand send no signal: a write so
    would leave the kept accounts as they were (up to AGE_MAX)."""
    modeles = r"(User|Group|Authenticator|IdentitePivot|get_user_model\(\))"
    contournements = re.compile(
        rf"\b{modeles}\.objects\b[^\n]*\.(update|bulk_create|bulk_update|raw)\(|"
        r"\b(accounts_user|auth_group|auth_user_groups|mfa_authenticator|accounts_identitepivot)\b"
    )
    racine = Path(reglages.BASE_DIR)
    assert {"simulateurs", "fc_simulateur", "accounts", "permis"} <= set(_apps_du_portail())
    fautes = [
        f"{fichier.relative_to(racine)}:{numero}"
        for app in _apps_du_portail()
        for fichier in sorted((racine / app).rglob("*.py"))
        if "migrations" not in fichier.parts
        for numero, ligne in enumerate(_lignes_de_code(fichier), 1)
        if contournements.search(ligne)
    ]
    assert fautes == []


def test_the_session_hash_is_computed_once_per_password_and_secret(
    client, agent, monkeypatch, settings
):
    backends._HASHES_DE_SESSION.clear()
    calculs = []
    django = User.get_session_auth_hash
    monkeypatch.setattr(User, "get_session_auth_hash", lambda u: calculs.append(1) or django(u))
    for _ in range(3):
        assert client.get(reverse("home")).context["user"].is_authenticated
    assert len(calculs) == 1
    # Under a new secret key (the old one a fallback), Django's check runs again: one more.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "une-autre-cle-secrete-" + "x" * 40
    assert client.get(reverse("home")).context["user"].is_authenticated
    assert client.get(reverse("home")).context["user"].is_authenticated
    assert len(calculs) == 2
