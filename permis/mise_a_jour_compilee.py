"""A model whose UPDATE on save is written once per process for each set of columns.

Model.save() builds an UpdateQuery, resolves the primary key's filter and compiles both at
each call (~0.2 ms of CPU here), for an SQL text that depends only on the table, the columns
written and which of them are NULL. The wizard saves its draft at every step. With
`MiseAJourCompilee` as a base, the values are prepared as Django's compiler prepares them
(`get_db_prep_save`) and the kept text is run; anything that SQL could not hold as a plain
parameter (an expression such as F(), a model instance, a field with its own placeholder,
select_on_save, a filtered base manager) goes through Django's own path.
"""

from django.db import connections, models

_SQL: dict[tuple, str] = {}


def _sql(connexion, table: str, colonne_pk: str, colonnes: tuple[tuple[str, bool], ...]) -> str:
    qn = connexion.ops.quote_name
    ensembles = ", ".join(
        f"{qn(colonne)} = NULL" if nulle else f"{qn(colonne)} = %s" for colonne, nulle in colonnes
    )
    # Names from the model's own metadata, quoted; every value is a parameter.
    return f"UPDATE {qn(table)} SET {ensembles} WHERE {qn(table)}.{qn(colonne_pk)} = %s"  # noqa: S608


class MiseAJourCompilee(models.Model):
    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        meta = base_qs.model._meta
        if not values or meta.select_on_save or base_qs.query.where:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        connexion = connections[using]
        colonnes, parametres = [], []
        for champ, _modele, valeur in values:
            if (
                hasattr(valeur, "resolve_expression")
                or hasattr(valeur, "prepare_database_save")
                or hasattr(champ, "get_placeholder")
            ):
                return super()._do_update(
                    base_qs, using, pk_val, values, update_fields, forced_update
                )
            valeur = champ.get_db_prep_save(valeur, connection=connexion)
            if hasattr(valeur, "as_sql"):
                return super()._do_update(
                    base_qs, using, pk_val, values, update_fields, forced_update
                )
            colonnes.append((champ.column, valeur is None))
            if valeur is not None:
                parametres.append(valeur)
        cle = (connexion.alias, meta.db_table, tuple(colonnes))
        sql = _SQL.get(cle)
        if sql is None:
            sql = _SQL[cle] = _sql(connexion, meta.db_table, meta.pk.column, cle[2])
        parametres.append(meta.pk.get_db_prep_value(pk_val, connexion))
        with connexion.cursor() as curseur:
            curseur.execute(sql, parametres)
            return curseur.rowcount > 0
