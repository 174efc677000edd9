"""Queries prepared by PostgreSQL (permis/settings.py, DATABASE_PREPARED): parameters bound by
the server, a repeated query parsed once and, where that costs no more, planned once.

A plan made once for any values cannot use a partial index whose condition names given
values (the CTN queue's `demande_file_ctn`: `etat IN ('deposee', 'controle_forme')`), since
the values are parameters then. PostgreSQL plans such a query for its values again at each
run when that plan costs less than the generic one (plan_cache_mode = auto): this checks it
does so for the CTN queue, and that the generic plan would indeed have missed the index.
(At 100,000 requests the DDT queue's generic plan reads `demande_dep_etat_depot` instead of
`demande_file_ddt`, as fast; the backlog's `IS NOT NULL` partial indexes take no parameter.)
"""

import re

import pytest
from django.db import connection

from instruction import queries
from instruction.pagination import PaginateurPlafonne
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db

REPETITIONS = 12  # past psycopg's prepare threshold (5) and PostgreSQL's five custom plans


def _preparee(*morceaux: str) -> dict:
    """The one statement prepared on this connection whose text holds every `morceaux`."""
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements"
        )
        lignes = [
            dict(zip(("nom", "sql", "generiques", "sur_mesure"), ligne, strict=True))
            for ligne in curseur.fetchall()
            if all(m in ligne[1] for m in morceaux)
        ]
    assert len(lignes) == 1, lignes
    return lignes[0]


def _sans_parcours_sequentiel(curseur) -> None:
    """Seq scans priced out for this test's transaction: on a table of a few rows they cost
    as little as any index whatever the values, whereas the queues read tables of hundreds of
    thousands of rows, where PostgreSQL weighs the index against the generic plan."""
    curseur.execute("SET LOCAL enable_seqscan = off")


def _quatre_etats_analyses(**champs) -> None:
    """Two requests in each of four states (two queues', two others'), the table analysed and
    sequential scans priced out for the test's transaction."""
    for etat in ("deposee", "en_controle", "en_instruction", "acceptee"):
        DemandeFactory.create_batch(2, **{etat: True}, **champs)
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE demandes_demande")
        _sans_parcours_sequentiel(curseur)


def _plan(preparee: dict, parametres, *, generique=False) -> str:
    with connection.cursor() as curseur:
        if generique:
            curseur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        espaces = ", ".join(["%s"] * len(parametres))
        nom = connection.ops.quote_name(preparee["nom"])
        sql = f"EXPLAIN EXECUTE {nom}({espaces})" if parametres else f"EXPLAIN EXECUTE {nom}"
        curseur.execute(connection.ops.compose_sql(sql, list(parametres)))
        plan = "\n".join(ligne for (ligne,) in curseur.fetchall())
        curseur.execute("RESET plan_cache_mode")
        return plan


def test_queries_are_bound_by_the_server_and_prepared():
    assert connection.features.uses_server_side_binding
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5


def test_the_ctn_queue_prepared_is_still_planned_on_its_partial_index(agent_ctn):
    _quatre_etats_analyses()
    file = queries.file_filtree(agent_ctn, {})[:50]
    lignes = [list(file.all()) for _ in range(REPETITIONS)][-1]
    assert len(lignes) == 4  # the queue holds its requests, deposited or in control

    preparee = _preparee(
        '"demandes_demande"."etat" IN ($4, $5)', 'ORDER BY "demandes_demande"."deposee_le" ASC'
    )
    # Prepared after psycopg's five runs, then planned for its values at each run.
    assert preparee["sur_mesure"] == REPETITIONS - 5
    assert preparee["generiques"] == 0
    parametres = file.query.sql_with_params()[1]
    assert "demande_file_ctn" in _plan(preparee, parametres)
    # What a plan for any values would have done: no partial index (so the check above can fail).
    assert "demande_file_ctn" not in _plan(preparee, parametres, generique=True)


@pytest.mark.parametrize("agent", ["agent_ctn", "instructeur"])
def test_the_queue_count_prepared_reads_an_index_of_its_states_even_in_a_generic_plan(
    request, agent
):
    """The bounded count of a queue (instruction/pagination.py) counts ids in no order: a plan
    for any values reads an index on the states, and sorts nothing. (Counted in the page's order, the DDT
    count's generic plan sorted the département's whole queue: 3.9 ms against 0.05 at
    100,000 requests.)"""
    agent = request.getfixturevalue(agent)
    _quatre_etats_analyses(departement="69")
    with connection.cursor() as curseur:
        curseur.execute("SET LOCAL enable_bitmapscan = off")
    file = queries.file_filtree(agent, {})
    parametres = []

    def noter(execute, sql, params, many, context):
        if sql.startswith("SELECT COUNT(*)"):
            parametres[:] = [params]
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noter):
        comptes = {PaginateurPlafonne(file, 25).count for _ in range(REPETITIONS)}
    assert comptes == {4 if agent.departement == "" else 2}

    preparee = _preparee("SELECT COUNT(*)", '"demandes_demande"."etat" IN ($')
    plan = _plan(preparee, parametres[0], generique=True)
    assert "Index" in plan and "Seq Scan" not in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    ("agent", "index"), [("agent_ctn", "demande_file_ctn"), ("instructeur", "demande_file_ddt")]
)
def test_the_compiled_queue_page_is_planned_once_on_the_partial_indexes(request, agent, index):
    """The unfiltered queue's page (queries.FileEntiere) holds its states and the unread
    messages' side as literals: PostgreSQL plans it once for every run (the CTN's has no
    parameter left, the DDT's only its département), and that plan reads the queue's partial
    index and the unread messages' one, without sorting the queue."""
    agent = request.getfixturevalue(agent)
    _quatre_etats_analyses(departement="69")
    pages = [queries.file_a_paginer(agent, {})[0:25] for _ in range(REPETITIONS)]
    assert len(pages[-1]) == (
        2 if agent.departement else 4
    )  # in instruction; deposited, in control
    assert [d.numero for d in pages[-1]] == [d.numero for d in pages[0]]

    preparee = _preparee('AS "taille_de_la_file"', "LIMIT 25")
    # The département, its only parameter, twice: the rows' and their counters' (their size).
    sans_departement = re.sub(r'departement" = \$[12]\b', "", preparee["sql"])
    assert "$" not in sans_departement, preparee["sql"]
    if agent.departement:
        # A département's queue: PostgreSQL's five plans for the value, then the generic one.
        assert preparee["sur_mesure"] == 5
        assert preparee["generiques"] == REPETITIONS - 10
    else:
        assert preparee["sur_mesure"] == 0
        assert preparee["generiques"] == REPETITIONS - 5
    plan = _plan(preparee, [agent.departement] * preparee["sql"].count("$"), generique=True)
    assert index in plan, plan
    assert "message_non_lu_du_demandeur" in plan, plan
    assert "Sort" not in plan, plan
