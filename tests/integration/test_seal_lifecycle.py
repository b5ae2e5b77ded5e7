"""Init, unseal, seal and restart through hvac's sys methods, unchanged."""
import base64
import os

import hvac
import pytest
import requests

from conftest import client_for


def test_init_five_three_then_unseal_and_seal(server):
    client = client_for(server)
    assert client.sys.is_initialized() is False
    status = client.sys.read_seal_status()
    assert status["initialized"] is False and status["sealed"] is True
    assert status["t"] == 0 and status["n"] == 0

    init = client.sys.initialize(secret_shares=5, secret_threshold=3)
    assert len(init["keys"]) == 5 and len(init["keys_base64"]) == 5
    assert init["root_token"].startswith("hvs.")
    assert client.sys.is_initialized() is True

    status = client.sys.read_seal_status()
    assert status["sealed"] is True and status["t"] == 3 and status["n"] == 5
    assert status["progress"] == 0 and status["type"] == "shamir"

    first = client.sys.submit_unseal_key(init["keys"][0])
    assert first["sealed"] is True and first["progress"] == 1 and first["nonce"]
    second = client.sys.submit_unseal_key(init["keys_base64"][1])
    assert second["progress"] == 2 and second["nonce"] == first["nonce"]
    third = client.sys.submit_unseal_key(init["keys"][2])
    assert third["sealed"] is False and third["progress"] == 0
    assert client.sys.is_sealed() is False
    assert third["cluster_name"] and third["cluster_id"]

    client.token = init["root_token"]
    client.sys.seal()
    assert client.sys.is_sealed() is True


def test_second_init_is_rejected(server):
    client = client_for(server)
    client.sys.initialize(secret_shares=1, secret_threshold=1)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="already initialized"):
        client.sys.initialize(secret_shares=1, secret_threshold=1)


@pytest.mark.parametrize("shares,threshold,message", [
    (3, 4, "secret_threshold cannot be larger"),
    (0, 0, "secret_shares must be at least one"),
    (3, 1, "greater than one for multiple shares"),
    (300, 3, "at most 255"),
])
def test_invalid_init_parameters_get_400_and_change_nothing(server, shares, threshold, message):
    client = client_for(server)
    with pytest.raises(hvac.exceptions.InvalidRequest, match=message):
        client.sys.initialize(secret_shares=shares, secret_threshold=threshold)
    assert client.sys.is_initialized() is False


def test_pgp_keys_are_refused_with_a_clear_message(server):
    r = requests.put(server.url + "/v1/sys/init", json={
        "secret_shares": 1, "secret_threshold": 1, "pgp_keys": ["abc"]}, timeout=10)
    assert r.status_code == 400
    assert "pgp_keys" in r.json()["errors"][0]
    assert client_for(server).sys.is_initialized() is False


def test_restart_comes_back_initialized_and_sealed_and_any_three_shares_unseal(server):
    client = client_for(server)
    init = client.sys.initialize(secret_shares=5, secret_threshold=3)
    client.sys.submit_unseal_keys(init["keys"][:3])
    assert client.sys.is_sealed() is False

    server.restart()
    status = client.sys.read_seal_status()
    assert status["initialized"] is True and status["sealed"] is True
    assert status["t"] == 3 and status["n"] == 5

    result = client.sys.submit_unseal_keys([init["keys"][4], init["keys"][1], init["keys"][3]])
    assert result["sealed"] is False

    client.token = init["root_token"]
    client.sys.seal()
    result = client.sys.submit_unseal_keys([init["keys_base64"][2], init["keys"][0],
                                            init["keys_base64"][4]])
    assert result["sealed"] is False


def test_init_acknowledged_survives_kill_9(server):
    client = client_for(server)
    init = client.sys.initialize(secret_shares=3, secret_threshold=2)
    server.kill9()
    server.start()
    assert client.sys.is_initialized() is True
    assert client.sys.submit_unseal_keys(init["keys"][1:3])["sealed"] is False


def _unseal_error(server, key):
    r = requests.put(server.url + "/v1/sys/unseal", json={"key": key}, timeout=10)
    return r.status_code, r.json()


def test_duplicate_share_gets_400_and_does_not_count(server):
    client = client_for(server)
    init = client.sys.initialize(secret_shares=5, secret_threshold=3)
    client.sys.submit_unseal_key(init["keys"][0])
    code, body = _unseal_error(server, init["keys"][0])
    assert code == 400 and "already provided" in body["errors"][0]
    code, body = _unseal_error(server, init["keys_base64"][0])
    assert code == 400 and "already provided" in body["errors"][0]
    status = client.sys.read_seal_status()
    assert status["progress"] == 1 and status["sealed"] is True


@pytest.mark.parametrize("bad_key", ["not hex or base64!", "zz", "abcd", "AAAA"])
def test_malformed_share_gets_400_with_a_clear_message(server, bad_key):
    client = client_for(server)
    client.sys.initialize(secret_shares=3, secret_threshold=2)
    code, body = _unseal_error(server, bad_key)
    assert code == 400
    assert body["errors"] and ("hex or base64" in body["errors"][0]
                               or "invalid key share" in body["errors"][0])
    assert client.sys.read_seal_status()["progress"] == 0


def test_wrong_shares_never_unseal(server):
    client = client_for(server)
    init = client.sys.initialize(secret_shares=5, secret_threshold=3)
    # A well-formed share of the right length that belongs to no split.
    forged = base64.b64encode(os.urandom(32) + bytes([7])).decode()
    client.sys.submit_unseal_key(init["keys"][0])
    client.sys.submit_unseal_key(init["keys"][1])
    code, body = _unseal_error(server, forged)
    assert code == 400 and body["errors"]
    status = client.sys.read_seal_status()
    assert status["sealed"] is True and status["progress"] == 0
    # The real shares still work afterwards.
    assert client.sys.submit_unseal_keys(init["keys"][2:5])["sealed"] is False


def test_progress_can_be_reset(server):
    client = client_for(server)
    init = client.sys.initialize(secret_shares=5, secret_threshold=3)
    client.sys.submit_unseal_key(init["keys"][0])
    client.sys.submit_unseal_key(init["keys"][1])
    status = client.sys.submit_unseal_key(reset=True)
    assert status["progress"] == 0 and status["nonce"] == "" and status["sealed"] is True
    # After a reset, two old shares plus one more is only progress 1 + 2.
    client.sys.submit_unseal_key(init["keys"][0])
    client.sys.submit_unseal_key(init["keys"][1])
    assert client.sys.is_sealed() is True
    assert client.sys.submit_unseal_key(init["keys"][2])["sealed"] is False


def test_unseal_without_key_or_before_init_is_400(server):
    r = requests.put(server.url + "/v1/sys/unseal", json={}, timeout=10)
    assert r.status_code == 400
    r = requests.put(server.url + "/v1/sys/unseal", json={"key": "ab" * 33}, timeout=10)
    assert r.status_code == 400 and "not initialized" in r.json()["errors"][0]


def test_requests_before_init_get_501_and_while_sealed_503(server):
    r = requests.get(server.url + "/v1/secret/data/x", timeout=10)
    assert r.status_code == 501 and r.json()["errors"]
    client = client_for(server)
    init = client.sys.initialize(secret_shares=1, secret_threshold=1)
    r = requests.get(server.url + "/v1/secret/data/x",
                     headers={"X-Vault-Token": init["root_token"]}, timeout=10)
    assert r.status_code == 503 and r.json()["errors"] == ["Vault is sealed"]
    r = requests.put(server.url + "/v1/sys/seal",
                     headers={"X-Vault-Token": init["root_token"]}, timeout=10)
    assert r.status_code == 503


def test_seal_needs_the_root_token(unsealed):
    server, client, _ = unsealed
    r = requests.put(server.url + "/v1/sys/seal", headers={"X-Vault-Token": "hvs.wrong"},
                     timeout=10)
    assert r.status_code == 403 and r.json()["errors"] == ["permission denied"]
    r = requests.put(server.url + "/v1/sys/seal", timeout=10)
    assert r.status_code == 403
    assert client.sys.is_sealed() is False


def test_leader_reports_a_single_node(unsealed):
    _, client, _ = unsealed
    leader = client.sys.read_leader_status()
    assert leader["ha_enabled"] is False
    assert leader["leader_address"] == ""
    assert "performance_standby" in leader
