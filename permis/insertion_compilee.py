"""A model whose INSERT on save is written once per process for each set of columns.

Model.save() of a new row builds an InsertQuery and compiles it at each call (its SQL text,
its RETURNING clause) for a text that depends only on the table and the columns written.
With `InsertionCompilee` as a base (beside permis.mise_a_jour_compilee's update), the values
are prepared as Django's compiler prepares them (the field's pre_save, then
get_db_prep_save) and the kept text is run; save() itself, its signals and the instance's
state stay Django's. Anything that SQL could not hold as a plain parameter (an expression,
a database default, a field with its own placeholder), a row returning more than its
automatic primary key, a raw save or a database that cannot return the key go through
Django's own path.
"""

from django.db import connections, models

_SQL: dict[tuple, str] = {}


def _sql(connexion, table: str, colonnes: tuple[str, ...], retour: str) -> str:
    qn = connexion.ops.quote_name
    noms = ", ".join(qn(colonne) for colonne in colonnes)
    valeurs = ", ".join(["%s"] * len(colonnes))
    # Names from the model's own metadata, quoted; every value is a parameter.
    return f"INSERT INTO {qn(table)} ({noms}) VALUES ({valeurs}) {retour}"  # noqa: S608


class InsertionCompilee(models.Model):
    class Meta:
        abstract = True

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        meta = self._meta
        connexion = connections[using]
        if (
            raw
            or not fields
            or list(returning_fields or ()) != [meta.auto_field]
            or not connexion.features.can_return_columns_from_insert
            or any(hasattr(champ, "get_placeholder") for champ in fields)
        ):
            return super()._do_insert(manager, using, fields, returning_fields, raw)
        valeurs = []
        for champ in fields:
            # As SQLInsertCompiler.pre_save_val: an auto_now_add date is set on the instance
            # here, a file committed; a second pre_save (Django's path below) does the same.
            valeur = champ.pre_save(self, True)
            if hasattr(valeur, "resolve_expression"):
                return super()._do_insert(manager, using, fields, returning_fields, raw)
            valeur = champ.get_db_prep_save(valeur, connection=connexion)
            if hasattr(valeur, "as_sql"):
                return super()._do_insert(manager, using, fields, returning_fields, raw)
            valeurs.append(valeur)
        cle = (connexion.alias, meta.db_table, tuple(champ.column for champ in fields))
        sql = _SQL.get(cle)
        if sql is None:
            retour, _ = connexion.ops.return_insert_columns(returning_fields)
            sql = _SQL[cle] = _sql(connexion, meta.db_table, cle[2], retour)
        with connexion.cursor() as curseur:
            curseur.execute(sql, valeurs)
            return [tuple(curseur.fetchone())]
