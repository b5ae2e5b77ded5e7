"""sys/health: Vault's status codes and query options, through hvac."""
import requests

from conftest import client_for


class _Answer:
    """hvac returns the parsed body for a 200 and the Response otherwise."""

    def __init__(self, result):
        self.status_code = 200 if isinstance(result, dict) else result.status_code
        self.body = result if isinstance(result, dict) else (result.json() if result.content else None)

    def json(self):
        return self.body


def _health(client, **kwargs):
    return _Answer(client.sys.read_health_status(method="GET", **kwargs))


def test_health_codes_follow_the_lifecycle(server):
    client = client_for(server)
    r = _health(client)
    assert r.status_code == 501
    assert r.json()["initialized"] is False and r.json()["sealed"] is True
    assert _health(client, uninit_code=200).status_code == 200

    init = client.sys.initialize(secret_shares=1, secret_threshold=1)
    r = _health(client)
    assert r.status_code == 503 and r.json()["sealed"] is True
    assert _health(client, sealed_code=299).status_code == 299

    client.sys.submit_unseal_key(init["keys"][0])
    r = _health(client)
    body = r.json()
    assert r.status_code == 200
    assert body["initialized"] is True and body["sealed"] is False and body["standby"] is False
    assert body["performance_standby"] is False
    assert isinstance(body["server_time_utc"], int)
    assert body["version"] and body["cluster_id"] and body["cluster_name"]
    assert _health(client, active_code=204).status_code == 204
    assert _health(client, standby_ok=True, standby_code=200).status_code == 200


def test_health_head_returns_the_code_without_a_body(server):
    client = client_for(server)
    r = client.sys.read_health_status(method="HEAD")
    assert r.status_code == 501 and r.content == b""
    r = requests.head(server.url + "/v1/sys/health?uninitcode=418", timeout=10)
    assert r.status_code == 418 and r.content == b""


def test_malformed_health_option_is_400(server):
    r = requests.get(server.url + "/v1/sys/health?activecode=abc", timeout=10)
    assert r.status_code == 400 and "activecode" in r.json()["errors"][0]
    r = requests.get(server.url + "/v1/sys/health?standbyok=perhaps", timeout=10)
    assert r.status_code == 400
