from datetime import date
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction

from accounts.enums import Role, SourceIdentite
from accounts.identifiants import nouvel_identifiant
from demandes import geographie
from demandes.enums import Sexe


class User(AbstractUser):
    """A portal account. `username` holds the identifiant the portal assigns."""

    email = models.EmailField("adresse électronique", unique=True, null=True, blank=True)
    departement = models.CharField(
        "département",
        max_length=3,
        blank=True,
        choices=geographie.choix_departements,
        help_text="Pour un instructeur DDT : le département dont il instruit les demandes.",
    )
    neph = models.CharField(
        "NEPH",
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text="Numéro attribué à la première inscription acceptée, conservé à vie.",
    )
    identifiant_envoye_le = models.DateTimeField(
        "identifiant envoyé le",
        null=True,
        blank=True,
        help_text="Quand le courriel donnant l'identifiant est parti (il ne part qu'une fois).",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def identite_franceconnect(self) -> "IdentitePivot | None":
        """The identity FranceConnect certified for this account, if it ever logged in so."""
        try:
            return self.identite_pivot
        except ObjectDoesNotExist:
            return None

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and any(role in self.roles for role in roles)

    def save(self, *args, **kwargs):
        if self.email == "":
            self.email = None  # unique, yet several accounts may have none
        if self.username:
            return super().save(*args, **kwargs)
        # Draw identifiants until one is free; a collision is rare but possible.
        for _ in range(5):
            self.username = nouvel_identifiant()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not User.objects.filter(username=self.username).exists():
                    raise
        raise IntegrityError("could not draw a free identifiant")

    def recoit_a(self, email: str) -> bool:
        """Whether this account proved it receives mail at `email`.

        allauth's verified addresses count; an account allauth never saw (made in the admin
        or by charger_demo) counts its own address, which an operator wrote.
        """
        from allauth.account.models import EmailAddress

        email = email.strip().casefold()
        adresses = {a.email.casefold(): a.verified for a in EmailAddress.objects.filter(user=self)}
        if adresses:
            return adresses.get(email, False)
        return bool(self.email) and self.email.casefold() == email

    def ajouter_role(self, role: Role) -> None:
        from django.contrib.auth.models import Group

        group, _ = Group.objects.get_or_create(name=role)
        self.groups.add(group)
        self.__dict__.pop("roles", None)


class IdentitePivotQuerySet(models.QuerySet):
    def enregistrer_franceconnect(self, user: User, claims: dict, emetteur: str) -> "IdentitePivot":
        """Store (or refresh) what FranceConnect's userinfo said about this account's holder."""
        valeurs = {
            "source": SourceIdentite.FRANCECONNECT,
            "emetteur": emetteur,
            "sub": claims.get("sub", ""),
            "prenoms": claims.get("given_name", ""),
            "nom_naissance": claims.get("family_name", ""),
            "nom_usage": claims.get("preferred_username") or "",
            "date_naissance": _date_ou_rien(claims.get("birthdate", "")),
            "sexe": {"female": Sexe.FEMININ, "male": Sexe.MASCULIN}.get(claims.get("gender"), ""),
            "code_commune_naissance": claims.get("birthplace") or "",
            "code_pays_naissance": claims.get("birthcountry") or "",
            "email": claims.get("email") or "",
            "claims": claims,
        }
        identite, _ = self.update_or_create(user=user, defaults=valeurs)
        user.identite_pivot = identite  # the in-memory account sees the fresh identity
        return identite


def _date_ou_rien(valeur: str) -> date | None:
    # FranceConnect writes an unknown day or month as 00: no full date then.
    try:
        return date.fromisoformat(valeur)
    except (TypeError, ValueError):
        return None


class IdentitePivot(models.Model):
    """The "identité pivot" a certified source (FranceConnect) gave for an account's holder.

    Refreshed at each FranceConnect login. Requests pre-fill their état civil from it and
    show those fields locked (`CHAMPS_ETAT_CIVIL`).
    """

    CODE_PAYS_FRANCE = "99100"
    # The request's état civil fields this identity fills, so the wizard shows them locked.
    CHAMPS_ETAT_CIVIL = ("nom_naissance", "nom_usage", "prenoms", "sexe", "date_naissance")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="identite_pivot")
    source = models.CharField(max_length=20, choices=SourceIdentite.choices)
    emetteur = models.URLField("émetteur", max_length=300, help_text="L'issuer OpenID Connect.")
    sub = models.CharField("identifiant chez la source (sub)", max_length=255)
    prenoms = models.CharField("prénoms", max_length=150)
    nom_naissance = models.CharField("nom de naissance", max_length=100)
    nom_usage = models.CharField("nom d'usage", max_length=100, blank=True)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    sexe = models.CharField(max_length=1, choices=Sexe.choices, blank=True)
    code_commune_naissance = models.CharField(
        "code INSEE de la commune de naissance",
        max_length=5,
        blank=True,
        help_text="Vide pour une personne née à l'étranger.",
    )
    code_pays_naissance = models.CharField(
        "code INSEE du pays de naissance", max_length=5, help_text="99100 pour la France."
    )
    email = models.EmailField("adresse électronique", blank=True)
    claims = models.JSONField("données reçues", default=dict)
    recue_le = models.DateTimeField("reçue le", auto_now=True)

    objects = IdentitePivotQuerySet.as_manager()

    class Meta:
        verbose_name = "identité pivot"
        verbose_name_plural = "identités pivot"

    def __str__(self) -> str:
        return f"{self.prenoms} {self.nom_naissance} ({self.get_source_display()})"

    @property
    def ne_en_france(self) -> bool:
        return self.code_pays_naissance == self.CODE_PAYS_FRANCE

    def etat_civil(self) -> dict:
        """The request fields this identity fills (those of CHAMPS_ETAT_CIVIL), ready to copy."""
        return {champ: getattr(self, champ) for champ in self.CHAMPS_ETAT_CIVIL}
