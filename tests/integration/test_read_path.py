"""The non-blocking read path: KV reads are served on the server's IO
threads and, with an audit device, their request and response entries are
written together before the response is released. These tests drive it
with hvac against the real binary and check what must not change: every
read is on record (request before response), a revoked token is refused
on its very next read, and tokens with limited uses still spend them."""
import threading

import hvac
import pytest

from conftest import client_for
from test_audit import audited, enable_file, kv_client, read_entries, verify


def test_concurrent_audited_reads_are_each_on_record_request_first(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    client.sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    client.secrets.kv.v2.create_or_update_secret("app/cfg", secret={"password": "pw-value-1"})
    client.secrets.kv.v1.create_or_update_secret("app/v1", secret={"k": "v1-value"},
                                                 mount_point="kv1")
    client.sys.create_or_update_policy(
        "reader", 'path "secret/data/app/*" { capabilities = ["read"] }\n'
                  'path "kv1/app/*" { capabilities = ["read"] }\n')
    token = client.auth.token.create(policies=["reader"])["auth"]["client_token"]

    errors = []
    per_thread = 25

    def reader():
        c = client_for(server, token)
        try:
            for _ in range(per_thread):
                assert c.secrets.kv.v2.read_secret_version("app/cfg")["data"]["data"] == {
                    "password": "pw-value-1"}
                assert c.secrets.kv.v1.read_secret("app/v1", mount_point="kv1")["data"] == {
                    "k": "v1-value"}
        except Exception as e:  # reported below, with the thread's error
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors

    # The reader's entries (hvac's KV v1 write reads first, as root).
    hashed = client.sys.calculate_hash("file", token)["data"]["hash"]
    entries = [e for e in audited(read_entries(log)) if e["auth"]["client_token"] == hashed]
    order = {}
    for n, e in enumerate(entries):
        if e["request"]["path"] in ("secret/data/app/cfg", "kv1/app/v1") and \
                e["request"]["operation"] == "read":
            order.setdefault(e["request"]["id"], []).append((n, e["type"]))
    reads = [v for v in order.values()]
    assert len(reads) == 8 * per_thread * 2
    for pair in reads:
        # One request entry, then one response entry, for every read.
        assert [t for _, t in sorted(pair)] == ["request", "response"], pair
    text = log.read_text()
    assert "pw-value-1" not in text and "v1-value" not in text and token not in text
    r = verify(str(log))
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_revoked_token_is_refused_on_its_next_read(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    enable_file(client, "file", tmp_path / "audit.log")
    client.secrets.kv.v2.create_or_update_secret("app/cfg", secret={"v": "1"})
    parent = client.auth.token.create(policies=["root"])["auth"]["client_token"]
    child = client_for(server, parent).auth.token.create(policies=["root"])["auth"]["client_token"]
    for tok in (parent, child):
        assert client_for(server, tok).secrets.kv.v2.read_secret_version("app/cfg")["data"][
            "data"] == {"v": "1"}
    client.auth.token.revoke(parent)
    for tok in (parent, child):
        with pytest.raises(hvac.exceptions.Forbidden):
            client_for(server, tok).secrets.kv.v2.read_secret_version("app/cfg")


def test_limited_use_tokens_still_spend_a_use_per_read(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    enable_file(client, "file", tmp_path / "audit.log")
    client.secrets.kv.v2.create_or_update_secret("app/cfg", secret={"v": "1"})
    token = client.auth.token.create(policies=["root"], num_uses=2)["auth"]["client_token"]
    limited = client_for(server, token)
    assert limited.secrets.kv.v2.read_secret_version("app/cfg")["data"]["data"] == {"v": "1"}
    assert limited.secrets.kv.v2.read_secret_version("app/cfg")["data"]["data"] == {"v": "1"}
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.secrets.kv.v2.read_secret_version("app/cfg")


def test_a_denied_read_is_on_record_with_its_refusal(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    client.secrets.kv.v2.create_or_update_secret("app/cfg", secret={"v": "1"})
    token = client.auth.token.create(policies=["default"])["auth"]["client_token"]
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server, token).secrets.kv.v2.read_secret_version("app/cfg")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.secrets.kv.v2.read_secret_version("app/missing")
    entries = [e for e in audited(read_entries(log))
               if e["request"]["path"] in ("secret/data/app/cfg", "secret/data/app/missing")
               and e["request"]["operation"] == "read"]
    denied = [e for e in entries if "permission denied" in e.get("error", "")]
    assert sorted(e["type"] for e in denied) == ["request", "response"]
    missing = [e for e in entries if e["request"]["path"] == "secret/data/app/missing"]
    assert sorted(e["type"] for e in missing) == ["request", "response"]
