import os
import sys

import hvac
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import CofferServer  # noqa: E402


@pytest.fixture
def server(tmp_path):
    """A started, uninitialized coffer on LMDB; stopped after the test."""
    s = CofferServer(tmp_path).start()
    yield s
    s.stop()


@pytest.fixture
def make_server(tmp_path):
    """Factory for servers with custom settings; all are stopped afterwards."""
    started = []

    def make(**kwargs):
        workdir = kwargs.pop("workdir", tmp_path)
        s = CofferServer(workdir, **kwargs)
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()


def client_for(server, token=None, **kwargs):
    return hvac.Client(url=server.url, token=token, **kwargs)


@pytest.fixture
def unsealed(server):
    """An initialized (5 shares, threshold 3) and unsealed server."""
    client = client_for(server)
    init = client.sys.initialize(secret_shares=5, secret_threshold=3)
    client.sys.submit_unseal_keys(init["keys"][:3])
    client.token = init["root_token"]
    return server, client, init


# -- Real database servers for the database secrets engine (databases.py) --

from databases import MariaDBServer, PostgresServer  # noqa: E402


def _started(server):
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise


@pytest.fixture
def postgres(tmp_path):
    """A started PostgreSQL with superuser coffer_admin; stopped after the test."""
    s = PostgresServer(tmp_path / "pg")
    yield _started(s)
    s.stop()


@pytest.fixture
def mariadb(tmp_path):
    """A started MariaDB with coffer_admin@'%' (all privileges); stopped after the test."""
    s = MariaDBServer(tmp_path / "mariadb")
    yield _started(s)
    s.stop()
