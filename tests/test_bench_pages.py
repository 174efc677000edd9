"""bench/pages.py's bookkeeping: which bare runs a page is compared with, whose CPU counts."""

import os

from bench import pages


def test_each_page_is_compared_with_the_bare_runs_just_before_and_after_it():
    # Bare runs: 0 first, then after pages 3 and 6, and 2 after the last page (7 pages).
    assert pages.temoins_voisins(7, 3) == [0, 0, 0, 1, 1, 1, 2]
    assert pages.temoins_voisins(2, 1) == [0, 1]


def test_only_the_bench_databases_backends_and_its_redis_count(monkeypatch):
    lignes = {
        10: "postgres: postgres h8_bench_pages 127.0.0.1(5000) idle",
        11: "postgres: postgres h1_bench_pages 127.0.0.1(5001) idle",
        12: "postgres: postgres h8_bench_pages_autre 127.0.0.1(5002) idle",
        20: "redis-server 127.0.0.1:6388",
        21: "redis-server 127.0.0.1:63881",
        22: "redis-server *:6379",
    }
    monkeypatch.setattr(pages, "ligne_de_commande", lignes.get)

    def groupe(pid, nom, parent=1):
        return pages.groupe_du_processus(pid, nom, parent, 99, "h8_bench_pages", 6388)

    assert groupe(10, "postgres") == "postgres"
    assert groupe(11, "postgres") is None
    assert groupe(12, "postgres") is None
    assert groupe(20, "redis-server") == "redis"
    assert groupe(21, "redis-server") is None
    assert groupe(22, "redis-server") is None
    assert groupe(99, "gunicorn") == "serveur"
    assert groupe(30, "python", parent=99) == "serveur"  # a worker of the measured server


def test_a_process_command_line_is_read_and_an_ended_one_is_empty():
    assert "python" in pages.ligne_de_commande(os.getpid())
    assert pages.ligne_de_commande(2**22 + 1) == ""
