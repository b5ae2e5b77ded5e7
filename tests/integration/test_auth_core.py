"""What every auth method shares, driven through userpass with hvac: the
sys/auth mount table, tokens minted from a login within the mount's TTL
limits, login lockout with sys/locked-users, and logins on the audit log."""
import json

import hvac
import pytest

from conftest import client_for


def enable_userpass(client, path="userpass"):
    client.sys.enable_auth_method("userpass", path=path)


def test_sys_auth_lists_enables_tunes_and_disables(unsealed):
    server, client, _ = unsealed
    methods = client.sys.list_auth_methods()
    listed = methods.get("data", methods)
    assert listed["token/"]["type"] == "token"
    client.sys.enable_auth_method("userpass", path="people", description="humans")
    listed = client.sys.list_auth_methods()
    listed = listed.get("data", listed)
    assert listed["people/"]["type"] == "userpass"
    assert listed["people/"]["description"] == "humans"
    assert listed["people/"]["accessor"].startswith("auth_userpass_")
    client.sys.tune_auth_method("people", default_lease_ttl="30m", max_lease_ttl="1h")
    tuned = client.sys.read_auth_method_tuning("people")
    tuned = tuned.get("data", tuned)
    assert tuned["default_lease_ttl"] == 1800 and tuned["max_lease_ttl"] == 3600
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_auth_method("no-such-method", path="x")
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_auth_method("userpass", path="people")  # taken
    client.sys.disable_auth_method("people")
    listed = client.sys.list_auth_methods()
    assert "people/" not in listed.get("data", listed)


def test_login_token_follows_the_user_and_the_mount_limits(unsealed):
    server, client, _ = unsealed
    enable_userpass(client)
    client.sys.tune_auth_method("userpass", max_lease_ttl="2h")
    client.write("auth/userpass/users/alice", password="pw-alice-1", token_policies="app,ops",
                 token_ttl="5h", token_num_uses=7)
    login = client_for(server).auth.userpass.login("alice", "pw-alice-1")
    auth = login["auth"]
    assert auth["policies"] == ["app", "default", "ops"]
    assert auth["metadata"] == {"username": "alice"}
    assert auth["lease_duration"] == 7200  # the mount's max wins over token_ttl
    assert auth["num_uses"] == 7
    me = client_for(server, auth["client_token"]).auth.token.lookup_self()["data"]
    assert me["path"] == "auth/userpass/login/alice"
    assert me["display_name"] == "userpass-alice"
    assert me["meta"] == {"username": "alice"}
    assert me["num_uses"] == 6  # the lookup spent one
    renewed = client_for(server, auth["client_token"]).auth.token.renew_self()["auth"]
    assert renewed["metadata"] == {"username": "alice"}
    assert renewed["policies"] == ["app", "default", "ops"]


def test_token_bound_cidrs_and_no_default_policy(unsealed):
    server, client, _ = unsealed
    enable_userpass(client)
    client.sys.create_or_update_policy(
        "lookup", 'path "auth/token/lookup-self" { capabilities = ["read"] }')
    client.write("auth/userpass/users/bob", password="pw-bob-123", token_policies="lookup",
                 token_no_default_policy=True, token_bound_cidrs="127.0.0.1/32")
    auth = client_for(server).auth.userpass.login("bob", "pw-bob-123")["auth"]
    assert auth["policies"] == ["lookup"]
    # Bound to 127.0.0.1, where the test runs: usable.
    me = client_for(server, auth["client_token"]).auth.token.lookup_self()["data"]
    assert me["policies"] == ["lookup"]
    # Without the default policy, what default grants is not granted.
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server, auth["client_token"]).auth.token.renew_self()
    client.write("auth/userpass/users/carol", password="pw-carol-12", token_bound_cidrs="10.0.0.0/8")
    with pytest.raises(hvac.exceptions.VaultError):
        client_for(server).auth.userpass.login("carol", "pw-carol-12")


def test_repeated_failures_lock_the_user_until_unlocked(unsealed, tmp_path):
    server, client, _ = unsealed
    log = tmp_path / "audit.log"
    client.sys.enable_audit_device("file", options={"file_path": str(log)})
    enable_userpass(client)
    client.sys.tune_auth_method("userpass", user_lockout_config={
        "lockout_threshold": 3, "lockout_duration": "10m", "lockout_counter_reset": "10m"})
    client.write("auth/userpass/users/dave", password="right-password", token_policies="app")
    anon = client_for(server)
    for _ in range(3):
        with pytest.raises(hvac.exceptions.InvalidRequest):
            anon.auth.userpass.login("dave", "wrong-password")
    # Locked: the right password no longer works, and no token is issued.
    with pytest.raises(hvac.exceptions.Forbidden):
        anon.auth.userpass.login("dave", "right-password")
    accessor = client.sys.list_auth_methods()
    accessor = accessor.get("data", accessor)["userpass/"]["accessor"]
    locked = client.read("sys/locked-users")["data"]
    assert locked["total"] == 1
    entry = locked["by_namespace"][0]["mount_accessors"][0]
    assert entry["mount_accessor"] == accessor and entry["alias_identifiers"] == ["dave"]
    # Another user is not affected.
    client.write("auth/userpass/users/erin", password="erins-password")
    assert anon.auth.userpass.login("erin", "erins-password")["auth"]["client_token"]
    client.write(f"sys/locked-users/{accessor}/unlock/dave")
    assert client.read("sys/locked-users")["data"]["total"] == 0
    assert anon.auth.userpass.login("dave", "right-password")["auth"]["client_token"]

    # Every failed login is on the audit log, with its error, password hashed.
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    logins = [e for e in entries if e.get("type") == "response"
              and e["request"]["path"] == "auth/userpass/login/dave"]
    failed = [e for e in logins if e.get("error")]
    assert len(failed) == 4  # three wrong passwords and the locked attempt
    assert "right-password" not in log.read_text() and "wrong-password" not in log.read_text()
    issued = [e for e in logins if not e.get("error")]
    assert issued and issued[-1]["response"]["auth"]["client_token"].startswith("hmac-sha256:")


def test_a_token_bound_elsewhere_is_refused_here(unsealed):
    """AppRole binds only the token to token_bound_cidrs (not the login), so
    the token is issued and then refused on use from 127.0.0.1."""
    server, client, _ = unsealed
    client.sys.enable_auth_method("approle")
    client.write("auth/approle/role/far", token_policies="default",
                 token_bound_cidrs="10.0.0.0/8")
    role_id = client.read("auth/approle/role/far/role-id")["data"]["role_id"]
    secret_id = client.write("auth/approle/role/far/secret-id")["data"]["secret_id"]
    auth = client_for(server).auth.approle.login(role_id, secret_id)["auth"]
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server, auth["client_token"]).auth.token.lookup_self()
    # The root token can still look it up: it is there, just bound.
    looked = client.auth.token.lookup(auth["client_token"])["data"]
    assert looked["meta"]["role_name"] == "far"
    assert looked["bound_cidrs"] == ["10.0.0.0/8"]


def test_batch_tokens_work_without_being_stored(unsealed):
    server, client, init = unsealed
    enable_userpass(client)
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    client.secrets.kv.v2.create_or_update_secret("allowed", secret={"v": "yes"})
    client.sys.create_or_update_policy(
        "read-allowed", 'path "secret/data/allowed" { capabilities = ["read"] }')
    client.write("auth/userpass/users/batcher", password="batch-pass-1",
                 token_policies="read-allowed", token_type="batch", token_ttl="10m")
    auth = client_for(server).auth.userpass.login("batcher", "batch-pass-1")["auth"]
    token = auth["client_token"]
    assert token.startswith("hvb.")
    assert auth["token_type"] == "batch" and auth["accessor"] == "" and not auth["renewable"]
    user = client_for(server, token)
    assert user.secrets.kv.v2.read_secret_version("allowed")["data"]["data"] == {"v": "yes"}
    me = user.auth.token.lookup_self()["data"]
    assert me["type"] == "batch" and me["meta"] == {"username": "batcher"}
    with pytest.raises(hvac.exceptions.InvalidRequest):
        user.auth.token.renew_self()
    with pytest.raises(hvac.exceptions.InvalidRequest):
        user.write("cubbyhole/x", v="1")
    # Nothing stored, yet it survives a restart: the token is its own entry,
    # sealed with a key derived from the master key.
    server.restart()
    client.sys.submit_unseal_keys(init["keys"][:3])
    assert client_for(server, token).secrets.kv.v2.read_secret_version("allowed")
    # A forged one is refused.
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server, forged).auth.token.lookup_self()
    # Batch tokens cannot have uses.
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.write("auth/userpass/users/batcher", token_type="batch", token_num_uses=3)
