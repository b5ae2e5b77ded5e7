"""HTTP edge cases through the real binary: oversize bodies, bad JSON,
unknown prefixes and methods all get Vault-shaped 4xx answers."""
import socket

import requests

from harness import CofferServer


def test_body_over_max_request_size_gets_413_and_changes_nothing(tmp_path):
    s = CofferServer(tmp_path, extra_config="")
    s.start()
    try:
        big = {"secret_shares": 1, "secret_threshold": 1, "padding": "x" * (600 * 1024)}
        r = requests.put(s.url + "/v1/sys/init", json=big, timeout=10)
        assert r.status_code == 413 and r.json()["errors"]
        assert requests.get(s.url + "/v1/sys/init", timeout=10).json()["initialized"] is False
    finally:
        s.stop()


def test_configured_max_request_size_is_enforced(tmp_path):
    s = CofferServer(tmp_path)
    original = s.write_config

    def write():
        original()
        with open(s.config_path) as f:
            text = f.read().replace("tls_disable = true\n", "tls_disable = true\n  max_request_size = 1024\n")
        with open(s.config_path, "w") as f:
            f.write(text)
    s.write_config = write
    s.start()
    try:
        r = requests.put(s.url + "/v1/sys/unseal", json={"key": "a" * 2000}, timeout=10)
        assert r.status_code == 413
        r = requests.put(s.url + "/v1/sys/unseal", json={"key": "a" * 100}, timeout=10)
        assert r.status_code == 400  # small enough to be read; not initialized
    finally:
        s.stop()


def test_malformed_json_gets_400(server):
    r = requests.put(server.url + "/v1/sys/init", data="{not json", timeout=10)
    assert r.status_code == 400 and "errors" in r.json()
    r = requests.put(server.url + "/v1/sys/init", data="[1,2]", timeout=10)
    assert r.status_code == 400
    assert requests.get(server.url + "/v1/sys/init", timeout=10).json()["initialized"] is False


def test_paths_outside_v1_get_404_and_unknown_methods_405(server):
    r = requests.get(server.url + "/v2/sys/health", timeout=10)
    assert r.status_code == 404 and r.json()["errors"]
    r = requests.request("TRACE", server.url + "/v1/sys/health", timeout=10)
    assert r.status_code == 405
    r = requests.post(server.url + "/v1/sys/seal-status", json={}, timeout=10)
    assert r.status_code == 405


def test_garbage_on_the_socket_does_not_hurt_the_server(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"\x16\x03\x01\x00\xffgarbage that is not http\r\n\r\n")
        s.recv(4096)
    assert requests.get(server.url + "/v1/sys/seal-status", timeout=10).status_code == 200
