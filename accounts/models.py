from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import IntegrityError, models, transaction

from accounts.enums import Role
from accounts.identifiants import nouvel_identifiant


class User(AbstractUser):
    """A portal account. `username` holds the identifiant the portal assigns."""

    email = models.EmailField("adresse électronique", unique=True, null=True, blank=True)
    departement = models.CharField(
        "département",
        max_length=3,
        blank=True,
        help_text="Pour un instructeur DDT : le département dont il instruit les demandes.",
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

    def ajouter_role(self, role: Role) -> None:
        from django.contrib.auth.models import Group

        group, _ = Group.objects.get_or_create(name=role)
        self.groups.add(group)
        self.__dict__.pop("roles", None)
