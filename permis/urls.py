from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import pages_vierges
from demandes.releve import releve_information
from demandes.suivi import ou_en_est_mon_permis
from demandes.views import verifier
from permis import csp, pages, views

# French pages on the DSFR layout instead of Django's bare English ones.
handler400 = "permis.erreurs.requete_incorrecte"
handler403 = "permis.erreurs.acces_refuse"
handler404 = "permis.erreurs.page_non_trouvee"
handler500 = "permis.erreurs.erreur_serveur"

# The admin's login is allauth's: its rate limits and the second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Permis en ligne — administration"
admin.site.site_title = "Permis en ligne"

urlpatterns = [
    path("", views.home, name="home"),
    path("ou-en-est-mon-permis/", ou_en_est_mon_permis, name="suivi"),
    path("releve-d-information/", releve_information, name="releve"),
    path("verifier/", verifier, name="verifier"),
    path("verifier/<str:code>/", verifier, name="verifier_code"),
    # allauth's generic OpenID Connect routes: FranceConnect has its own, with its checks.
    path("compte/oidc/<path:reste>", views.introuvable),
    # The blank pages kept whole; allauth's views answer everything else (accounts/pages_vierges.py).
    path("compte/login/", pages_vierges.connexion, name="account_login"),
    path("compte/signup/", pages_vierges.inscription, name="account_signup"),
    path(
        "compte/password/reset/", pages_vierges.mot_de_passe_oublie, name="account_reset_password"
    ),
    path("compte/", include("allauth.urls")),
    path("espace/", include("accounts.urls")),
    path("demandes/", include("demandes.urls")),
    path("demandes/", include("echanges.urls")),
    path("instruction/", include("instruction.urls")),
    path("auto-ecoles/", include("auto_ecoles.urls")),
    path("simulateurs/", include("simulateurs.urls")),
    path("admin/", admin.site.urls),
    path("csp/rapport/", csp.rapport, name="csp_rapport"),
    # The mandatory pages, linked from every page's footer.
    path("accessibilite/", pages.accessibilite, name="accessibilite"),
    path("mentions-legales/", pages.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", pages.donnees_personnelles, name="donnees_personnelles"),
    path("plan-du-site/", pages.plan_du_site, name="plan_du_site"),
    path("gestion-des-cookies/", pages.cookies, name="cookies"),
    # The simulated FranceConnect (404 everywhere when FRANCECONNECT_SIMULATEUR is off).
    path("franceconnect-simulateur/api/v2/", include("fc_simulateur.urls")),
]
