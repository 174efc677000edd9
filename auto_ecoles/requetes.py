"""The queries of the school's dashboard and of « mes auto-écoles », compiled once per process
(permis/requetes_compilees.py): their shape never changes, only the account or the school,
and building them through the ORM cost more CPU than PostgreSQL took to answer them.

Each reads only what its page shows, as values, and makes the objects the templates read.
"""

import json
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS
from django.db.models import OuterRef

from accounts.enums import Role
from accounts.models import User
from auto_ecoles.models import AutoEcole, Mandat, Membre
from demandes.models import Demande
from demandes.requetes_du_candidat import _EnJson, _ObjetJson
from permis.requetes_compilees import compilee

_CHAMPS_ECOLE = [f.attname for f in AutoEcole._meta.concrete_fields]


def _compte_d_ecole(user_id: int) -> User:
    """A stand-in for a member: visibles_par reads only its id, that it is active and its
    roles (membre_requis let in only active accounts with the school's role)."""
    compte = User(pk=user_id, is_active=True)
    compte.__dict__["roles"] = frozenset({Role.AUTO_ECOLE})
    return compte


@compilee(user_id=int)
def _membre(avec_eleves: bool, user_id):
    membres = Membre.objects.filter(user_id=user_id).values_list(
        "pk", "gestionnaire", *(f"auto_ecole__{champ}" for champ in _CHAMPS_ECOLE)
    )
    if not avec_eleves:
        return membres
    # The dashboard's rows read with the membership (a round trip each cost more than their
    # rows), each list as one JSON text: the table's key as read, decoded only when the table
    # is rendered anew. The students under an active mandate, by name, and the requests the
    # member may see of them, last modified first; the students as a subquery (joined
    # through the account, PostgreSQL took four times as long to plan it).
    sous_mandat = Mandat.objects.actifs().filter(auto_ecole_id=OuterRef("auto_ecole_id"))
    return membres.annotate(
        mandats_lus=_EnJson(
            sous_mandat.order_by("candidat__last_name", "candidat__first_name").values(
                j=_ObjetJson(
                    pk="pk",
                    donne_le="donne_le",
                    candidat_id="candidat_id",
                    prenom="candidat__first_name",
                    nom="candidat__last_name",
                    email="candidat__email",
                )
            )
        ),
        demandes_lues=_EnJson(
            Demande.objects.visibles_par(_compte_d_ecole(user_id))
            .filter(
                candidat__in=Mandat.objects.actifs()
                .filter(auto_ecole_id=OuterRef(OuterRef("auto_ecole_id")))
                .values("candidat")
            )
            .order_by("-modifie_le")
            .values(
                j=_ObjetJson(candidat_id="candidat_id", numero="numero", motif="motif", etat="etat")
            )
        ),
    )


def membre_de(user, avec_eleves: bool = False) -> Membre | None:
    """`user`'s membership of a school, its school loaded (None if not a member); with
    `avec_eleves`, its `eleves` too: the school's students under an active mandate, by name,
    and the requests `user` may see of them, last modified first, as two JSON texts
    (mandats_objets makes the objects; the texts key the dashboard's kept table)."""
    for pk, gestionnaire, *ecole in _membre(avec_eleves, user_id=user.pk):
        if avec_eleves:
            *ecole, mandats, demandes = ecole
        membre = Membre.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "auto_ecole_id", "user_id", "gestionnaire"],
            [pk, ecole[0], user.pk, gestionnaire],
        )
        membre.auto_ecole = AutoEcole.from_db(DEFAULT_DB_ALIAS, _CHAMPS_ECOLE, ecole)
        membre.user = user
        if avec_eleves:
            membre.eleves = (mandats, demandes)
        return membre
    return None


def mandats_objets(mandats: str, demandes: str) -> list[Mandat]:
    """Mandat objects from a membership's `eleves` texts (membre_de), each with its `candidat`
    and `demandes` (from_db takes the values in the model's order of fields)."""
    par_eleve: dict[int, list[Demande]] = {}
    for d in json.loads(demandes):
        demande = Demande.from_db(
            DEFAULT_DB_ALIAS, ["numero", "motif", "etat"], [d["numero"], d["motif"], d["etat"]]
        )
        demande.candidat_id = d["candidat_id"]
        par_eleve.setdefault(demande.candidat_id, []).append(demande)
    objets = []
    for m in json.loads(mandats):
        candidat_id = m["candidat_id"]
        mandat = Mandat.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "candidat_id", "donne_le"],
            [m["pk"], candidat_id, datetime.fromisoformat(m["donne_le"])],
        )
        mandat.candidat = User.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "first_name", "last_name", "email"],
            [candidat_id, m["prenom"], m["nom"], m["email"]],
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
