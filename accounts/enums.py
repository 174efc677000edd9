from django.db import models


class Role(models.TextChoices):
    """Roles are Django groups of these names; a new account is a candidat."""

    CANDIDAT = "candidat", "Candidat"
    AUTO_ECOLE = "auto_ecole", "Auto-école"
    AGENT_CTN = "agent_ctn", "Agent CTN"
    INSTRUCTEUR_DDT = "instructeur_ddt", "Instructeur DDT"


ROLES_AGENTS = frozenset({Role.AGENT_CTN, Role.INSTRUCTEUR_DDT})


class SourceIdentite(models.TextChoices):
    """Where a certified identity (the "identité pivot") came from."""

    FRANCECONNECT = "franceconnect", "FranceConnect"
