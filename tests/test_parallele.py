"""Each pytest-xdist worker gets its own Redis database and its own slice of the test ports."""

import pytest
from django.conf import settings

from tests.parallele import (
    base_redis_du_worker,
    numero_du_worker,
    ports_du_worker,
    redis_du_worker_joignable,
)


def test_each_worker_takes_the_next_redis_database():
    assert base_redis_du_worker("redis://127.0.0.1:6379/9", 0) == "redis://127.0.0.1:6379/9"
    assert base_redis_du_worker("redis://127.0.0.1:6379/9", 1) == "redis://127.0.0.1:6379/10"
    assert base_redis_du_worker("redis://127.0.0.1:6379", 2) == "redis://127.0.0.1:6379/2"


def test_the_port_range_is_split_without_overlap():
    tranches = [ports_du_worker("18800-18999", n, 2) for n in range(2)]
    assert tranches == ["18800-18899", "18900-18999"]
    assert ports_du_worker("18800-18999", 2, 3) == "18932-18997"


def test_the_worker_number_comes_from_xdist(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    assert numero_du_worker() == (1, 2)
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert numero_du_worker() == (0, 1)


def test_a_worker_s_redis_database_beyond_the_server_s_is_refused_with_what_to_change():
    serveur = settings.REDIS_URL.rsplit("/", 1)[0]
    assert redis_du_worker_joignable(f"{serveur}/14", 1) == f"{serveur}/15"
    with pytest.raises(pytest.UsageError, match="TEST_WORKERS"):
        redis_du_worker_joignable(f"{serveur}/15", 1)  # database 16 of a 16-database server
