"""FranceConnect login end to end: the portal, its allauth client, the simulator, over HTTP."""

from datetime import date

from allauth.socialaccount.models import SocialAccount

from accounts.enums import Role, SourceIdentite
from accounts.models import IdentitePivot, User
from tests.accounts import franceconnect
from tests.accounts.navigateur import texte
from tests.factories import MOT_DE_PASSE


def test_first_login_creates_a_candidate_account_linked_with_the_pivot_identity(
    navigateur, simulateur
):
    reponse = franceconnect.se_connecter(navigateur, "avant-1988")

    assert reponse.status_code == 200
    assert reponse.url.endswith("/demandes/")
    user = User.objects.get()
    assert user.email == "angela.dubois@fc-demo.exemple.fr"
    assert user.has_usable_password() is False
    assert user.roles == {Role.CANDIDAT}
    assert user.emailaddress_set.get().verified
    compte = SocialAccount.objects.get(user=user)
    assert compte.provider == "franceconnect"
    assert compte.uid.endswith("v1") and len(compte.uid) == 66
    identite = user.identite_franceconnect
    assert identite.source == SourceIdentite.FRANCECONNECT
    assert identite.emetteur == f"{simulateur}{franceconnect.EMETTEUR}"
    assert identite.sub == compte.uid
    assert identite.etat_civil() == {
        "nom_naissance": "DUBOIS",
        "nom_usage": "MARCHAND",
        "prenoms": "Angela Claire Louise",
        "sexe": "F",
        "date_naissance": date(1962, 8, 24),
    }
    assert identite.code_commune_naissance == "75107"
    assert identite.ne_en_france


def test_second_login_finds_the_same_account(navigateur, simulateur, live_server):
    franceconnect.se_connecter(navigateur, "adulte")
    navigateur.soumettre(navigateur.get("/compte/logout/"), action_contient="logout")

    with franceconnect.Navigateur(live_server.url) as autre_navigateur:
        reponse = franceconnect.se_connecter(autre_navigateur, "adulte")

    assert reponse.url.endswith("/demandes/")
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1
    assert IdentitePivot.objects.count() == 1


def test_person_born_abroad_has_no_birthplace_and_a_foreign_country(navigateur, simulateur):
    franceconnect.se_connecter(navigateur, "ne-a-l-etranger")

    identite = IdentitePivot.objects.get()
    assert identite.code_commune_naissance == ""
    assert identite.code_pays_naissance == "99350"
    assert not identite.ne_en_france


def test_a_minor_keeps_a_birth_date_under_eighteen(navigateur, simulateur):
    franceconnect.se_connecter(navigateur, "mineur")

    naissance = IdentitePivot.objects.get().date_naissance
    aujourdhui = date.today()
    age = (
        aujourdhui.year
        - naissance.year
        - ((aujourdhui.month, aujourdhui.day) < (naissance.month, naissance.day))
    )
    assert age < 18


def test_logout_also_ends_the_franceconnect_session(navigateur, simulateur):
    franceconnect.se_connecter(navigateur, "adulte")

    depart = navigateur.soumettre(
        navigateur.get("/compte/logout/"), action_contient="logout", allow_redirects=False
    )

    fin_de_session = depart.headers["Location"]
    assert fin_de_session.startswith(f"{simulateur}{franceconnect.EMETTEUR}/session/end?")
    assert len(franceconnect.parametre(fin_de_session, "state")) >= 32
    assert franceconnect.parametre(fin_de_session, "post_logout_redirect_uri") == (
        f"{simulateur}{franceconnect.RETOUR_DECONNEXION}"
    )
    id_token_hint = franceconnect.parametre(fin_de_session, "id_token_hint")
    assert id_token_hint.count(".") == 2
    arrivee = navigateur.get(fin_de_session)
    assert arrivee.url == f"{simulateur}/"
    assert "Vous êtes également déconnecté de FranceConnect." in texte(arrivee)
    assert "Se déconnecter" not in texte(arrivee)
    # The simulator's session is over: its cookie is gone.
    assert "fc_simulateur_session" not in navigateur.cookies


def test_logout_of_an_email_account_does_not_go_through_franceconnect(
    navigateur, simulateur, candidat_actif
):
    page = navigateur.get("/compte/login/")
    navigateur.soumettre(
        page,
        {"login": candidat_actif.email, "password": MOT_DE_PASSE},
        action_contient="/compte/login/",
    )
    depart = navigateur.soumettre(
        navigateur.get("/compte/logout/"), action_contient="logout", allow_redirects=False
    )

    assert depart.headers["Location"] == "/"


def test_an_address_already_used_by_an_account_does_not_log_into_it(
    navigateur, simulateur, candidat_actif, mailoutbox
):
    candidat_actif.email = "lucas.bernard@fc-demo.exemple.fr"
    candidat_actif.save()
    candidat_actif.emailaddress_set.update(email=candidat_actif.email)

    reponse = franceconnect.se_connecter(navigateur, "adulte")

    # As for any sign-up with a known address: nothing to probe, the owner gets a mail.
    assert "Un courriel d'activation vous a été envoyé" in texte(reponse)
    assert "Se déconnecter" not in texte(reponse)
    assert SocialAccount.objects.count() == 0
    assert User.objects.count() == 1
    assert mailoutbox[-1].to == ["lucas.bernard@fc-demo.exemple.fr"]
    assert "Vous avez déjà un compte" in mailoutbox[-1].subject


def test_an_account_logged_in_by_password_can_link_franceconnect(
    navigateur, simulateur, candidat_actif
):
    page = navigateur.get("/compte/login/")
    navigateur.soumettre(
        page,
        {"login": candidat_actif.username, "password": MOT_DE_PASSE},
        action_contient="/compte/login/",
    )
    connexions = navigateur.get("/compte/3rdparty/")
    depart = navigateur.soumettre(
        connexions, action_contient="/compte/franceconnect/login/", allow_redirects=False
    )
    callback = franceconnect.choisir_identite(navigateur, depart.headers["Location"], "mineur")

    navigateur.get(callback)

    compte = SocialAccount.objects.get()
    assert compte.user == candidat_actif
    assert candidat_actif.identite_franceconnect.prenoms == "Léa Sophie"
    assert User.objects.count() == 1
