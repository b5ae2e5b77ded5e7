"""Tokens, ACL policies, mounts, KV v1/v2, cubbyhole and response wrapping
through hvac's own methods against the real binary."""
import time

import hvac
import pytest
import requests

from conftest import client_for


@pytest.fixture
def root(unsealed):
    server, client, _ = unsealed
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    client.sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    return server, client


CHILD_MAKER = 'path "auth/token/create" { capabilities = ["create", "update"] }'


def _token(server, client, policies, **kwargs):
    auth = client.auth.token.create(policies=policies, **kwargs)["auth"]
    return client_for(server, token=auth["client_token"]), auth


def test_denied_path_is_forbidden(root):
    server, client = root
    client.sys.create_or_update_policy("reader", 'path "secret/data/app/*" { capabilities = ["read"] }')
    client.secrets.kv.v2.create_or_update_secret("app/db", secret={"pw": "s3cret"})
    client.secrets.kv.v2.create_or_update_secret("other/db", secret={"pw": "x"})
    reader, _ = _token(server, client, ["reader"])
    assert reader.secrets.kv.v2.read_secret_version("app/db")[
        "data"]["data"] == {"pw": "s3cret"}
    with pytest.raises(hvac.exceptions.Forbidden):
        reader.secrets.kv.v2.read_secret_version("other/db")
    with pytest.raises(hvac.exceptions.Forbidden):
        reader.secrets.kv.v2.create_or_update_secret("app/db", secret={"pw": "mine"})


def test_explicit_deny_beats_a_glob(root):
    server, client = root
    client.sys.create_or_update_policy("broad", 'path "secret/data/*" { capabilities = ["read"] }')
    client.sys.create_or_update_policy("deny", 'path "secret/data/vault" { capabilities = ["deny"] }')
    client.secrets.kv.v2.create_or_update_secret("vault", secret={"k": "v"})
    client.secrets.kv.v2.create_or_update_secret("open", secret={"k": "v"})
    t, _ = _token(server, client, ["broad", "deny"])
    assert t.secrets.kv.v2.read_secret_version("open")
    with pytest.raises(hvac.exceptions.Forbidden):
        t.secrets.kv.v2.read_secret_version("vault")


def test_plus_and_star_precedence_from_vaults_docs(root):
    server, client = root
    # "secret/+/teamb" is more specific than "secret/*" (its wildcard is later
    # and it does not end in a glob), so it wins for secret/x/teamb.
    client.sys.create_or_update_policy("p", """
path "kv1/*" { capabilities = ["read"] }
path "kv1/+/teamb" { capabilities = ["deny"] }
path "kv1/team*" { capabilities = ["create", "update", "read"] }
""")
    client.write("kv1/a/teamb", value="1")
    client.write("kv1/a/teamc", value="1")
    t, _ = _token(server, client, ["p"])
    assert t.read("kv1/a/teamc")["data"] == {"value": "1"}
    with pytest.raises(hvac.exceptions.Forbidden):
        t.read("kv1/a/teamb")
    t.write("kv1/teamx", value="2")  # kv1/team* beats kv1/* (longer prefix)
    caps = client.sys.get_capabilities(paths=["kv1/a/teamb", "kv1/teamx", "kv1/z"],
                                       token=t.token)
    caps = caps.get("data", caps)
    assert caps["kv1/a/teamb"] == ["deny"]
    assert sorted(caps["kv1/teamx"]) == ["create", "read", "update"]
    assert caps["kv1/z"] == ["read"]


def test_policy_update_takes_effect_on_the_next_request(root):
    server, client = root
    client.sys.create_or_update_policy("p", 'path "kv1/x" { capabilities = ["read"] }')
    client.write("kv1/x", value="1")
    t, _ = _token(server, client, ["p"])
    assert t.read("kv1/x")
    client.sys.create_or_update_policy("p", 'path "kv1/y" { capabilities = ["read"] }')
    with pytest.raises(hvac.exceptions.Forbidden):
        t.read("kv1/x")


def test_policy_crud_and_bad_policy(root):
    _, client = root
    client.sys.create_or_update_policy("ops", 'path "sys/*" { capabilities = ["sudo", "read"] }')
    assert "ops" in client.sys.list_policies()["data"]["policies"]
    assert "sudo" in client.sys.read_policy("ops")["data"]["rules"]
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.create_or_update_policy("bad", 'path "x" { capabilities = ["fly"] }')
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.delete_policy("root")
    client.sys.delete_policy("ops")
    assert "ops" not in client.sys.list_policies()["data"]["policies"]
    acl = client.read("sys/policies/acl/default")["data"]
    assert acl["name"] == "default" and "cubbyhole" in acl["policy"]


def test_expired_two_second_token_is_rejected(root):
    server, client = root
    t, _ = _token(server, client, ["default"], ttl="2s")
    assert t.auth.token.lookup_self()["data"]["ttl"] <= 2
    time.sleep(2.2)
    with pytest.raises(hvac.exceptions.Forbidden):
        t.auth.token.lookup_self()


def test_revoked_parent_takes_its_children(root):
    server, client = root
    client.sys.create_or_update_policy("maker", CHILD_MAKER)
    parent, _ = _token(server, client, ["default", "maker"])
    child_auth = parent.auth.token.create(policies=["default"])["auth"]
    orphan_auth = client.auth.token.create(policies=["default"], no_parent=True)["auth"]
    child = client_for(server, token=child_auth["client_token"])
    assert child.auth.token.lookup_self()["data"]["policies"] == ["default"]
    client.auth.token.revoke(parent.token)
    for gone in (parent, child):
        with pytest.raises(hvac.exceptions.Forbidden):
            gone.auth.token.lookup_self()
    assert client_for(server, token=orphan_auth["client_token"]).auth.token.lookup_self()


def test_token_lookup_renew_revoke_by_accessor_and_uses(root):
    server, client = root
    t, auth = _token(server, client, ["default"], ttl="1h", explicit_max_ttl="90m")
    info = client.auth.token.lookup_accessor(auth["accessor"])["data"]
    assert info["id"] == "" and info["policies"] == ["default"]
    renewed = t.auth.token.renew_self(increment="10h")["auth"]
    assert renewed["lease_duration"] <= 90 * 60
    client.auth.token.revoke_accessor(auth["accessor"])
    with pytest.raises(hvac.exceptions.Forbidden):
        t.auth.token.lookup_self()
    limited, _ = _token(server, client, ["default"], num_uses=2)
    limited.auth.token.lookup_self()
    limited.auth.token.lookup_self()
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.auth.token.lookup_self()


def test_child_policies_must_be_a_subset(root):
    server, client = root
    client.sys.create_or_update_policy("a", 'path "kv1/a" { capabilities = ["read"] }\n' + CHILD_MAKER)
    t, _ = _token(server, client, ["a"])
    with pytest.raises(hvac.exceptions.InvalidRequest, match="subset"):
        t.auth.token.create(policies=["b"])


def test_kv_v2_cas_failure_changes_nothing(root):
    _, client = root
    kv = client.secrets.kv.v2
    kv.create_or_update_secret("cas", secret={"v": "1"})
    with pytest.raises(hvac.exceptions.InvalidRequest, match="check-and-set"):
        kv.create_or_update_secret("cas", secret={"v": "2"}, cas=0)
    kv.create_or_update_secret("cas", secret={"v": "2"}, cas=1)
    assert kv.read_secret_version("cas")["data"]["data"] == {"v": "2"}


def test_kv_v2_destroyed_version_is_unreadable_and_deleted_can_come_back(root):
    server, client = root
    kv = client.secrets.kv.v2
    for i in range(3):
        kv.create_or_update_secret("ver", secret={"i": i})
    kv.destroy_secret_versions("ver", versions=[1])
    kv.delete_secret_versions("ver", versions=[2])
    r = requests.get(server.url + "/v1/secret/data/ver?version=1",
                     headers={"X-Vault-Token": client.token}, timeout=10)
    assert r.status_code == 404 and r.json()["data"]["metadata"]["destroyed"] is True
    assert r.json()["data"]["data"] is None
    r = requests.get(server.url + "/v1/secret/data/ver?version=2",
                     headers={"X-Vault-Token": client.token}, timeout=10)
    assert r.status_code == 404
    kv.undelete_secret_versions("ver", versions=[2])
    assert kv.read_secret_version("ver", version=2)[
        "data"]["data"] == {"i": 1}
    kv.undelete_secret_versions("ver", versions=[1])
    r = requests.get(server.url + "/v1/secret/data/ver?version=1",
                     headers={"X-Vault-Token": client.token}, timeout=10)
    assert r.status_code == 404


def test_kv_v2_max_versions_trims_the_oldest(root):
    _, client = root
    kv = client.secrets.kv.v2
    kv.update_metadata("trim", max_versions=2)
    for i in range(4):
        kv.create_or_update_secret("trim", secret={"i": i})
    meta = kv.read_secret_metadata("trim")["data"]
    assert sorted(meta["versions"].keys(), key=int) == ["3", "4"]
    assert meta["current_version"] == 4 and meta["oldest_version"] == 3


def test_kv_v2_patch_and_metadata_and_list(root):
    server, client = root
    kv = client.secrets.kv.v2
    kv.create_or_update_secret("app/one", secret={"a": "1", "b": "2"})
    # JSON merge patch (RFC 7386): null removes a key.
    r = requests.patch(server.url + "/v1/secret/data/app/one",
                       json={"data": {"b": None, "c": "3"}},
                       headers={"X-Vault-Token": client.token,
                                "Content-Type": "application/merge-patch+json"}, timeout=10)
    assert r.status_code == 200, r.text
    assert kv.read_secret_version("app/one")["data"]["data"] == {
        "a": "1", "c": "3"}
    kv.create_or_update_secret("app/two", secret={"x": "y"})
    assert kv.list_secrets("app")["data"]["keys"] == ["one", "two"]
    client.write("secret/metadata/app/one", custom_metadata={"owner": "team-a"})
    assert kv.read_secret_metadata("app/one")["data"]["custom_metadata"] == {"owner": "team-a"}
    kv.delete_metadata_and_all_versions("app/one")
    with pytest.raises(hvac.exceptions.InvalidPath):
        kv.read_secret_metadata("app/one")


def test_kv_v1_crud(root):
    _, client = root
    kv = client.secrets.kv.v1
    kv.create_or_update_secret("db", secret={"pw": "x"}, mount_point="kv1")
    assert kv.read_secret("db", mount_point="kv1")["data"] == {"pw": "x"}
    assert kv.list_secrets("", mount_point="kv1")["data"]["keys"] == ["db"]
    kv.delete_secret("db", mount_point="kv1")
    with pytest.raises(hvac.exceptions.InvalidPath):
        kv.read_secret("db", mount_point="kv1")


def test_mounts_enable_tune_move_disable(root):
    _, client = root
    client.sys.enable_secrets_engine("kv", path="team", description="team kv",
                                     options={"version": "1"})
    client.write("team/k", value="v")
    mounts = client.sys.list_mounted_secrets_engines()["data"]
    assert mounts["team/"]["type"] == "kv" and mounts["team/"]["description"] == "team kv"
    client.sys.tune_mount_configuration("team", default_lease_ttl="1h", max_lease_ttl="2h")
    tune = client.sys.read_mount_configuration("team")["data"]
    assert tune["default_lease_ttl"] == 3600 and tune["max_lease_ttl"] == 7200
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_secrets_engine("kv", path="team")
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_secrets_engine("nosuchengine", path="x")
    client.sys.move_backend("team", "moved")
    assert client.read("moved/k")["data"] == {"value": "v"}
    client.sys.disable_secrets_engine("moved")
    assert "moved/" not in client.sys.list_mounted_secrets_engines()["data"]
    # Re-enabling at the same path starts empty: disable deleted the data.
    client.sys.enable_secrets_engine("kv", path="moved", options={"version": "1"})
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.read("moved/k") or (_ for _ in ()).throw(hvac.exceptions.InvalidPath())
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.disable_secrets_engine("sys")


def test_cubbyhole_is_private_to_each_token(root):
    server, client = root
    a, _ = _token(server, client, ["default"])
    b, _ = _token(server, client, ["default"])
    a.write("cubbyhole/note", text="mine")
    assert a.read("cubbyhole/note")["data"] == {"text": "mine"}
    assert b.read("cubbyhole/note") is None


def test_paginated_and_recursive_kv_listing(root):
    server, client = root
    kv = client.secrets.kv.v2
    for path in ["apps/a", "apps/b", "apps/c/d", "apps/c/e/f", "apps/z"]:
        kv.create_or_update_secret(path, secret={"v": "1"})
    h = {"X-Vault-Token": client.token}
    page = requests.request("LIST", server.url + "/v1/secret/metadata/apps/?limit=2",
                            headers=h, timeout=10).json()["data"]["keys"]
    assert page == ["a", "b"]
    page = requests.request("LIST", server.url + "/v1/secret/metadata/apps/?limit=2&after=b",
                            headers=h, timeout=10).json()["data"]["keys"]
    assert page == ["c/", "z"]
    everything = requests.request("LIST", server.url + "/v1/secret/metadata/apps/?recursive=true",
                                  headers=h, timeout=10).json()["data"]["keys"]
    assert everything == ["a", "b", "c/d", "c/e/f", "z"]


def test_wrapped_response_unwraps_once(root):
    server, client = root
    client.secrets.kv.v2.create_or_update_secret("wrapped", secret={"k": "v"})
    r = requests.get(server.url + "/v1/secret/data/wrapped",
                     headers={"X-Vault-Token": client.token, "X-Vault-Wrap-TTL": "60s"}, timeout=10)
    assert r.status_code == 200
    wrap = r.json()["wrap_info"]
    assert r.json()["data"] is None and wrap["ttl"] == 60 and wrap["creation_path"]
    info = client.sys.wrapping.lookup(wrap["token"]) if hasattr(client.sys, "wrapping") else None
    unwrapper = client_for(server, token=wrap["token"])
    data = unwrapper.sys.unwrap()
    assert data["data"]["data"] == {"k": "v"}
    with pytest.raises((hvac.exceptions.Forbidden, hvac.exceptions.InvalidRequest)):
        unwrapper.sys.unwrap()
    del info


def test_sys_wrapping_wrap_lookup_and_rewrap(root):
    server, client = root
    r = requests.post(server.url + "/v1/sys/wrapping/wrap", json={"a": "b"},
                      headers={"X-Vault-Token": client.token, "X-Vault-Wrap-TTL": "120"}, timeout=10)
    token = r.json()["wrap_info"]["token"]
    look = requests.post(server.url + "/v1/sys/wrapping/lookup", json={"token": token}, timeout=10)
    assert look.status_code == 200 and look.json()["data"]["creation_ttl"] == 120
    rewrap = requests.post(server.url + "/v1/sys/wrapping/rewrap", json={"token": token},
                           headers={"X-Vault-Token": client.token}, timeout=10)
    new_token = rewrap.json()["wrap_info"]["token"]
    assert new_token != token
    assert client.sys.unwrap(new_token)["data"] == {"a": "b"}
    r = requests.post(server.url + "/v1/sys/wrapping/wrap", json={"a": "b"},
                      headers={"X-Vault-Token": client.token}, timeout=10)
    assert r.status_code == 400


def test_tools_random_and_hash(root):
    _, client = root
    r = client.write("sys/tools/random", bytes=16, format="hex")
    assert len(r["data"]["random_bytes"]) == 32
    r = client.write("sys/tools/hash", input="aGVsbG8=", algorithm="sha2-256")
    assert r["data"]["sum"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.write("sys/tools/hash", input="aGVsbG8=", algorithm="md5")


def test_list_verb_and_query_list_both_work(root):
    server, client = root
    client.write("kv1/a/b", value="1")
    h = {"X-Vault-Token": client.token}
    r1 = requests.request("LIST", server.url + "/v1/kv1/a", headers=h, timeout=10)
    r2 = requests.get(server.url + "/v1/kv1/a/?list=true", headers=h, timeout=10)
    assert r1.json()["data"]["keys"] == ["b"] == r2.json()["data"]["keys"]
    r = requests.request("PATCH", server.url + "/v1/sys/tools/random", headers=h, json={}, timeout=10)
    assert r.status_code == 405


def test_capabilities_self_and_accessor(root):
    server, client = root
    client.sys.create_or_update_policy("p", 'path "kv1/x" { capabilities = ["read", "list"] }')
    t, auth = _token(server, client, ["p"])
    h = {"X-Vault-Token": t.token}
    r = requests.post(server.url + "/v1/sys/capabilities-self", json={"paths": ["kv1/x", "kv1/y"]},
                      headers=h, timeout=10).json()["data"]
    assert r["kv1/x"] == ["list", "read"] and r["kv1/y"] == ["deny"]
    r = client.write("sys/capabilities-accessor", accessor=auth["accessor"], paths=["kv1/x"])["data"]
    assert r["capabilities"] == ["list", "read"]
    r = client.write("sys/capabilities-self", paths=["anything/at/all"])["data"]
    assert r["capabilities"] == ["root"]


def test_token_roles_shape_the_tokens_they_create(root):
    server, client = root
    client.sys.create_or_update_policy("app", 'path "kv1/app" { capabilities = ["read"] }')
    client.auth.token.create_or_update_role("app-role", allowed_policies=["app"], orphan=True)
    client.write("auth/token/roles/app-role", allowed_policies="app", orphan=True,
                 token_explicit_max_ttl="1h")
    assert client.auth.token.read_role("app-role")["data"]["allowed_policies"] == ["app"]
    assert "app-role" in client.auth.token.list_roles()["data"]["keys"]
    auth = client.auth.token.create(role_name="app-role", policies=["app"])["auth"]
    assert auth["orphan"] is True and sorted(auth["policies"]) == ["app", "default"]
    assert auth["lease_duration"] <= 3600
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.token.create(role_name="app-role", policies=["root"])
    client.auth.token.delete_role("app-role")
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.token.create(role_name="app-role")


def test_kv_v2_config_cas_required(root):
    _, client = root
    kv = client.secrets.kv.v2
    kv.configure(max_versions=5, cas_required=True)
    cfg = kv.read_configuration()["data"]
    assert cfg["max_versions"] == 5 and cfg["cas_required"] is True
    with pytest.raises(hvac.exceptions.InvalidRequest):
        kv.create_or_update_secret("needs-cas", secret={"a": "b"})
    kv.create_or_update_secret("needs-cas", secret={"a": "b"}, cas=0)
