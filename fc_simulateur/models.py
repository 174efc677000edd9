"""What the simulated FranceConnect remembers: one row per authorization request.

A row follows one login from ``/authorize`` to its end: the interaction pages, the
authorization code (single-use, short-lived), the access token, and the browser session it
belongs to (ended by ``/session/end``). Codes and tokens are stored as SHA-256 digests.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

DUREE_CODE = timedelta(seconds=60)
DUREE_JETON = timedelta(seconds=60)
DUREE_INTERACTION = timedelta(minutes=30)


def empreinte(valeur: str) -> str:
    return hashlib.sha256(valeur.encode()).hexdigest()


def aleatoire() -> str:
    return secrets.token_urlsafe(32)


class CodeInvalide(Exception):
    """The code is unknown, expired, already used, or was issued to someone else."""


class AutorisationQuerySet(models.QuerySet):
    def en_cours(self, uid: str, session: str) -> "Autorisation | None":
        """The interaction this browser started and has not finished, if still fresh."""
        return self.filter(
            uid=uid,
            session=session,
            code__isnull=True,
            cree_le__gte=timezone.now() - DUREE_INTERACTION,
        ).first()

    def echanger_code(self, code: str, client_id: str, redirect_uri: str) -> "Autorisation":
        """Consume a code once: a replay also revokes the token the first use obtained."""
        with transaction.atomic():
            autorisation = self.select_for_update().filter(code=empreinte(code or "")).first()
            if autorisation is None or autorisation.client_id != client_id:
                raise CodeInvalide("code inconnu")
            rejoue = autorisation.code_utilise_le is not None
            if rejoue:
                autorisation.jeton_expire_le = None
                autorisation.save(update_fields=["jeton_expire_le"])
            else:
                autorisation.code_utilise_le = timezone.now()
                autorisation.save(update_fields=["code_utilise_le"])
        if rejoue:
            raise CodeInvalide("code déjà utilisé")
        if autorisation.code_emis_le < timezone.now() - DUREE_CODE:
            raise CodeInvalide("code expiré")
        if autorisation.redirect_uri != redirect_uri:
            raise CodeInvalide("redirect_uri différente de celle de l'autorisation")
        return autorisation

    def par_jeton(self, jeton: str) -> "Autorisation | None":
        return self.filter(
            jeton_acces=empreinte(jeton or ""),
            jeton_expire_le__gt=timezone.now(),
            session_terminee_le__isnull=True,
        ).first()

    def terminer_session(self, session: str) -> int:
        return self.filter(session=session, session_terminee_le__isnull=True).update(
            session_terminee_le=timezone.now(), jeton_expire_le=None
        )

    def anciennes(self) -> "AutorisationQuerySet":
        return self.filter(cree_le__lt=timezone.now() - timedelta(days=1))


class Autorisation(models.Model):
    uid = models.CharField(max_length=64, unique=True, default=aleatoire)
    session = models.CharField(max_length=64, db_index=True)
    client_id = models.CharField(max_length=200)
    redirect_uri = models.URLField(max_length=500)
    scope = models.CharField(max_length=500)
    state = models.CharField(max_length=500)
    nonce = models.CharField(max_length=500)
    acr = models.CharField(max_length=20)
    identite = models.CharField(max_length=40, blank=True)
    code = models.CharField(max_length=64, unique=True, null=True)
    code_emis_le = models.DateTimeField(null=True)
    code_utilise_le = models.DateTimeField(null=True)
    jeton_acces = models.CharField(max_length=64, unique=True, null=True)
    jeton_expire_le = models.DateTimeField(null=True)
    session_terminee_le = models.DateTimeField(null=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    objects = AutorisationQuerySet.as_manager()

    class Meta:
        verbose_name = "autorisation FranceConnect simulée"

    def __str__(self) -> str:
        return f"{self.client_id} — {self.identite or 'en cours'}"

    @property
    def scopes(self) -> list[str]:
        return self.scope.split()

    def emettre_code(self, identite: str) -> str:
        code = aleatoire()
        self.identite = identite
        self.code = empreinte(code)
        self.code_emis_le = timezone.now()
        self.save(update_fields=["identite", "code", "code_emis_le"])
        return code

    def emettre_jeton(self) -> str:
        jeton = aleatoire()
        self.jeton_acces = empreinte(jeton)
        self.jeton_expire_le = timezone.now() + DUREE_JETON
        self.save(update_fields=["jeton_acces", "jeton_expire_le"])
        return jeton
