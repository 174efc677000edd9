import logging

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from accounts.enums import Role
from accounts.franceconnect import deconnexion, erreurs
from accounts.franceconnect.receivers import enregistrer_identite

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": "L'identifiant ou le mot de passe est incorrect.",
        "email_password_mismatch": "L'adresse électronique ou le mot de passe est incorrect.",
        "too_many_login_attempts": (
            "Trop de tentatives de connexion ont échoué : par sécurité, la connexion à ce compte "
            "est bloquée pendant quelques minutes. Réessayez plus tard, ou réinitialisez votre "
            "mot de passe avec « Mot de passe oublié ? »."
        ),
        "email_taken": "Un compte existe déjà avec cette adresse électronique.",
    }

    def send_mail(self, template_prefix, email, context):
        context = {
            "service": settings.PERMIS_SERVICE_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        super().send_mail(template_prefix, email, context)

    def populate_username(self, request, user):
        # The identifiant is drawn by User.save(); people never choose it.
        user.username = ""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.ajouter_role(Role.CANDIDAT)
        return user

    def get_logout_redirect_url(self, request):
        # Called before the session is flushed: a FranceConnect session is ended there too.
        return deconnexion.url_fin_de_session(request) or super().get_logout_redirect_url(request)

    def logout(self, request):
        super().logout(request)
        deconnexion.apres_deconnexion(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Only the apps of SOCIALACCOUNT_PROVIDERS: FranceConnect is configured in the settings,
        never in the database, so allauth's query of its SocialApp table (on every page that
        shows the FranceConnect button: login, sign-up) is skipped."""
        from allauth.socialaccount.adapter import _build_apps_from_settings

        par_fournisseur = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for apps in par_fournisseur.values() for app in apps]

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        user.ajouter_role(Role.CANDIDAT)
        enregistrer_identite(sociallogin)
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Say in French why the login was refused; log the technical reason."""
        super().on_authentication_error(request, provider, error, exception, extra_context)
        if extra_context is None:
            return
        if isinstance(exception, erreurs.FranceConnectError):
            message = exception.message_usager
        elif isinstance(exception, requests.RequestException):
            message = erreurs.INDISPONIBLE
        elif "state" not in extra_context:
            message = erreurs.ETAT_INCONNU
        elif request.GET.get("error"):
            message = erreurs.REFUS_FRANCECONNECT
        else:
            message = erreurs.INCONNUE
        logger.warning(
            "%s login refused (%s): %s — %s",
            getattr(provider, "id", provider),
            error,
            exception,
            request.GET.get("error_description", ""),
        )
        extra_context["message_usager"] = message
