"""A QuerySet's SQL built once per process, then run again with other values: `RequeteCompilee`.

Building a query through the ORM's compiler cost ~1 ms of CPU on this machine, running it
~0.1 ms: the candidate's pages ran four or five such queries whose shape never changes, only
the account, the request number or the request's id. The QuerySet is built once, with stand-in
values no real query holds (`fictifs`), and compiled; each use puts the real values at the
places the stand-ins took in its parameters and runs the same SQL, then reads the rows as the
ORM would (its converters applied).

`construire(*forme, **valeurs)` returns the QuerySet; `forme` is what changes its shape (a
role that adds a subquery, say), kept apart: one compiled query per shape and database.
Only `values_list()` rows (`lignes`) and a model's own columns (`objets`, no select_related)
are read; a list whose length varies (`__in`) cannot be a stand-in.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet


class RequeteCompilee:
    def __init__(self, construire: Callable[..., QuerySet], **fictifs):
        self.construire = construire
        self.fictifs = fictifs
        self._compilees: dict[tuple, tuple] = {}

    def _compilee(self, alias: str, forme: tuple) -> tuple:
        try:
            return self._compilees[alias, forme]
        except KeyError:
            pass
        requete = self.construire(*forme, **self.fictifs)
        compilateur = requete.query.get_compiler(using=alias)
        sql, parametres = compilateur.as_sql()
        places = {}
        for nom, fictif in self.fictifs.items():
            places[nom] = [i for i, p in enumerate(parametres) if p == fictif]
            if not places[nom]:
                raise ValueError(f"{nom!r} does not reach the query's parameters")
        colonnes = [s[0] for s in compilateur.select[: compilateur.col_count]]
        convertisseurs = compilateur.get_converters(colonnes)
        modele = attributs = None
        if compilateur.klass_info is not None:
            if compilateur.klass_info.get("related_klass_infos"):
                raise ValueError("select_related is not read back")
            modele = compilateur.klass_info["model"]
            champs = compilateur.klass_info["select_fields"]
            attributs = [colonnes[i].target.attname for i in champs]
        compilee = (sql, list(parametres), places, compilateur, convertisseurs, modele, attributs)
        self._compilees[alias, forme] = compilee
        return compilee

    def _executer(self, alias: str, forme: tuple, valeurs: dict) -> tuple[list, tuple]:
        compilee = self._compilee(alias, forme)
        sql, parametres, places, compilateur, convertisseurs = compilee[:5]
        parametres = parametres.copy()
        for nom, indices in places.items():
            for i in indices:
                parametres[i] = valeurs[nom]
        with connections[alias].cursor() as curseur:
            curseur.execute(sql, parametres)
            lignes = curseur.fetchall()
        if convertisseurs:
            lignes = [
                tuple(ligne) for ligne in compilateur.apply_converters(lignes, convertisseurs)
            ]
        return lignes, compilee

    def lignes(self, *forme, using: str = "default", **valeurs) -> list[tuple]:
        """The rows, as values_list() gives them."""
        return self._executer(using, forme, valeurs)[0]

    def objets(self, *forme, using: str = "default", **valeurs) -> list:
        """The rows as instances of the query's model (its selected columns loaded)."""
        lignes, compilee = self._executer(using, forme, valeurs)
        modele, attributs = compilee[5], compilee[6]
        return [modele.from_db(using, attributs, ligne[: len(attributs)]) for ligne in lignes]
