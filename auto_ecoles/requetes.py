"""The queries of the school's dashboard and of « mes auto-écoles », compiled once per process
(permis/requetes_compilees.py): their shape never changes, only the account or the school,
and building them through the ORM cost more CPU than PostgreSQL took to answer them.

Each reads only what its page shows, as values, and makes the objects the templates read.
"""

from django.db import DEFAULT_DB_ALIAS

from accounts.enums import Role
from accounts.models import User
from auto_ecoles.models import AutoEcole, Mandat, Membre
from demandes.models import Demande
from permis.requetes_compilees import compilee

_CHAMPS_ECOLE = [f.attname for f in AutoEcole._meta.concrete_fields]


@compilee(user_id=int)
def _membre(user_id):
    return Membre.objects.filter(user_id=user_id).values_list(
        "pk", "gestionnaire", *(f"auto_ecole__{champ}" for champ in _CHAMPS_ECOLE)
    )


def membre_de(user) -> Membre | None:
    """`user`'s membership of a school, its school loaded (None if not a member)."""
    for pk, gestionnaire, *ecole in _membre(user_id=user.pk):
        membre = Membre.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "auto_ecole_id", "user_id", "gestionnaire"],
            [pk, ecole[0], user.pk, gestionnaire],
        )
        membre.auto_ecole = AutoEcole.from_db(DEFAULT_DB_ALIAS, _CHAMPS_ECOLE, ecole)
        membre.user = user
        return membre
    return None


@compilee(ecole_id=int)
def _eleves(ecole_id):
    return (
        Mandat.objects.actifs()
        .filter(auto_ecole_id=ecole_id)
        .order_by("candidat__last_name", "candidat__first_name")
        .values_list(
            "pk",
            "donne_le",
            "candidat_id",
            "candidat__first_name",
            "candidat__last_name",
            "candidat__email",
        )
    )


def _compte_d_ecole(user_id: int) -> User:
    """A stand-in for a member: visibles_par reads only its id, that it is active and its
    roles (membre_requis let in only active accounts with the school's role)."""
    compte = User(pk=user_id, is_active=True)
    compte.__dict__["roles"] = frozenset({Role.AUTO_ECOLE})
    return compte


@compilee(user_id=int, ecole_id=int)
def _demandes_des_eleves(user_id, ecole_id):
    # The students as a subquery: joined through the account, PostgreSQL took four times as
    # long to plan it.
    return (
        Demande.objects.visibles_par(_compte_d_ecole(user_id))
        .filter(
            candidat__in=Mandat.objects.actifs().filter(auto_ecole_id=ecole_id).values("candidat")
        )
        .order_by("-modifie_le")
        .values_list("candidat_id", "numero", "motif", "etat")
    )


def eleves(membre: Membre) -> tuple[tuple, tuple]:
    """The school's students under an active mandate, by name, and the requests `membre` may
    see of them, last modified first: the rows as read, which key the page's kept table."""
    ecole_id = membre.auto_ecole_id
    mandats = tuple(_eleves(ecole_id=ecole_id))
    if not mandats:
        return mandats, ()
    return mandats, tuple(_demandes_des_eleves(user_id=membre.user_id, ecole_id=ecole_id))


def mandats_objets(mandats: tuple, demandes: tuple) -> list[Mandat]:
    """Mandat objects from eleves()'s rows, each with its `candidat` and `demandes` (from_db
    takes the values in the model's order of fields)."""
    par_eleve: dict[int, list[Demande]] = {}
    for candidat_id, *valeurs in demandes:
        demande = Demande.from_db(DEFAULT_DB_ALIAS, ["numero", "motif", "etat"], valeurs)
        demande.candidat_id = candidat_id
        par_eleve.setdefault(candidat_id, []).append(demande)
    objets = []
    for pk, donne_le, candidat_id, prenom, nom, email in mandats:
        mandat = Mandat.from_db(
            DEFAULT_DB_ALIAS, ["id", "candidat_id", "donne_le"], [pk, candidat_id, donne_le]
        )
        mandat.candidat = User.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "first_name", "last_name", "email"],
            [candidat_id, prenom, nom, email],
        )
        mandat.demandes = par_eleve.get(candidat_id, [])
        objets.append(mandat)
    return objets


@compilee(candidat_id=int)
def _mandats_donnes(candidat_id):
    return (
        Mandat.objects.filter(candidat_id=candidat_id)
        .order_by("-donne_le")
        .values_list(
            "pk",
            "donne_le",
            "retire_le",
            "auto_ecole_id",
            "auto_ecole__nom",
            "auto_ecole__numero_agrement",
            "auto_ecole__commune",
        )
    )


def mandats_donnes(user) -> tuple:
    """The mandates `user` gave, active or withdrawn, last given first: the rows as read,
    which key « mes auto-écoles »'s kept table."""
    return tuple(_mandats_donnes(candidat_id=user.pk))


def mandats_donnes_objets(lignes: tuple) -> list[Mandat]:
    """Mandat objects from mandats_donnes()'s rows, each with its `auto_ecole`."""
    objets = []
    for pk, donne_le, retire_le, ecole_id, nom, agrement, commune in lignes:
        mandat = Mandat.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "auto_ecole_id", "donne_le", "retire_le"],
            [pk, ecole_id, donne_le, retire_le],
        )
        mandat.auto_ecole = AutoEcole.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "nom", "numero_agrement", "commune"],
            [ecole_id, nom, agrement, commune],
        )
        objets.append(mandat)
    return objets
