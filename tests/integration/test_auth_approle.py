"""The AppRole auth method with hvac against the real server: roles,
role-ids and secret-ids, login into a token that carries the role's
policies, uniform refusals, single-use secret-ids under concurrency, and a
response-wrapped secret-id."""
import threading

import hvac
import pytest

from conftest import client_for

ALLOWED_POLICY = """
path "secret/data/allowed" {
  capabilities = ["read"]
}
"""


def setup_approle(unsealed, **role_options):
    """Enables approle and kv, writes the policy and role "web"; returns
    (server, root client, role_id)."""
    server, client, _ = unsealed
    client.sys.enable_auth_method("approle")
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    client.secrets.kv.v2.create_or_update_secret("allowed", secret={"v": "yes"})
    client.secrets.kv.v2.create_or_update_secret("denied", secret={"v": "no"})
    client.sys.create_or_update_policy("read-allowed", ALLOWED_POLICY)
    client.auth.approle.create_or_update_approle("web", token_policies=["read-allowed"],
                                                 **role_options)
    role_id = client.auth.approle.read_role_id("web")["data"]["role_id"]
    return server, client, role_id


def new_secret_id(client, **params):
    resp = client.adapter.post("/v1/auth/approle/role/web/secret-id", json=params)
    return resp["data"]


def login(server, role_id, secret_id):
    """Logs in with a fresh client; returns it (its token set)."""
    c = client_for(server)
    c.auth.approle.login(role_id, secret_id)
    return c


def test_role_crud_and_secret_id_management(unsealed):
    server, client, role_id = setup_approle(unsealed, secret_id_num_uses=3, secret_id_ttl="1h")
    role = client.auth.approle.read_role("web")["data"]
    assert role["token_policies"] == ["read-allowed"]
    assert role["secret_id_num_uses"] == 3
    assert role["secret_id_ttl"] == 3600
    assert role["bind_secret_id"] is True
    assert client.auth.approle.list_roles()["data"]["keys"] == ["web"]

    issued = client.auth.approle.generate_secret_id("web", metadata={"team": "blue"})["data"]
    assert issued["secret_id_num_uses"] == 3
    assert issued["secret_id_ttl"] == 3600
    accessors = client.auth.approle.list_secret_id_accessors("web")["data"]["keys"]
    assert accessors == [issued["secret_id_accessor"]]
    looked = client.auth.approle.read_secret_id("web", issued["secret_id"])["data"]
    assert "secret_id" not in looked
    assert looked["metadata"] == {"team": "blue"}
    assert looked["secret_id_accessor"] == issued["secret_id_accessor"]
    by_accessor = client.auth.approle.read_secret_id_accessor("web", issued["secret_id_accessor"])
    assert by_accessor["data"] == looked

    custom = client.auth.approle.create_custom_secret_id("web", "my-pushed-secret")["data"]
    assert custom["secret_id"] == "my-pushed-secret"
    login(server, role_id, "my-pushed-secret")

    client.auth.approle.destroy_secret_id_accessor("web", issued["secret_id_accessor"])
    client.auth.approle.destroy_secret_id("web", "my-pushed-secret")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.auth.approle.list_secret_id_accessors("web")

    client.auth.approle.update_role_id("web", "custom-role-id")
    assert client.auth.approle.read_role_id("web")["data"]["role_id"] == "custom-role-id"
    client.auth.approle.delete_role("web")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.auth.approle.read_role("web")


def test_login_token_has_the_roles_policy(unsealed):
    server, client, role_id = setup_approle(unsealed)
    secret_id = new_secret_id(client)["secret_id"]
    app = client_for(server)
    resp = app.auth.approle.login(role_id, secret_id)
    auth = resp["auth"]
    assert auth["client_token"]
    assert "read-allowed" in auth["policies"]
    assert auth["metadata"]["role_name"] == "web"

    assert app.secrets.kv.v2.read_secret_version("allowed")["data"]["data"] == {"v": "yes"}
    with pytest.raises(hvac.exceptions.Forbidden):
        app.secrets.kv.v2.read_secret_version("denied")
    me = app.auth.token.lookup_self()["data"]
    assert me["meta"]["role_name"] == "web"
    assert "read-allowed" in me["policies"]


def test_wrong_credentials_are_400_without_a_token(unsealed):
    server, client, role_id = setup_approle(unsealed)
    secret_id = new_secret_id(client)["secret_id"]
    for rid, sid in ((role_id, "wrong-secret"), ("wrong-role-id", secret_id)):
        c = client_for(server)
        resp = c.adapter.post("/v1/auth/approle/login", json={"role_id": rid, "secret_id": sid},
                              raise_exception=False)
        assert resp.status_code == 400
        body = resp.json()
        assert body.get("auth") is None
        assert "invalid role or secret ID" in body["errors"][0]
        assert c.token is None


def test_single_use_secret_id_cannot_be_replayed(unsealed):
    server, client, role_id = setup_approle(unsealed)
    secret_id = new_secret_id(client, num_uses=1)["secret_id"]
    login(server, role_id, secret_id)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        login(server, role_id, secret_id)


def test_concurrent_logins_with_a_single_use_secret_id_yield_one_token(unsealed):
    server, client, role_id = setup_approle(unsealed)
    for _ in range(3):
        secret_id = new_secret_id(client, num_uses=1)["secret_id"]
        tokens, refusals = [], []
        barrier = threading.Barrier(2)

        def attempt():
            c = client_for(server)
            barrier.wait()
            try:
                c.auth.approle.login(role_id, secret_id)
                tokens.append(c.token)
            except hvac.exceptions.InvalidRequest:
                refusals.append(1)

        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(tokens) == 1
        assert len(refusals) == 1


def test_wrapped_secret_id_unwraps_and_logs_in(unsealed):
    server, client, role_id = setup_approle(unsealed)
    resp = client.adapter.post("/v1/auth/approle/role/web/secret-id", json={}, wrap_ttl="60s")
    wrap = resp["wrap_info"]
    assert wrap["ttl"] == 60
    assert resp.get("data") is None
    unwrapped = client.sys.unwrap(wrap["token"])
    secret_id = unwrapped["data"]["secret_id"]
    app = login(server, role_id, secret_id)
    assert app.secrets.kv.v2.read_secret_version("allowed")["data"]["data"] == {"v": "yes"}
    # A wrapping token unwraps once (the refusal's status is the core's).
    with pytest.raises((hvac.exceptions.InvalidRequest, hvac.exceptions.Forbidden)):
        client.sys.unwrap(wrap["token"])


def test_bad_role_input_is_400(unsealed):
    server, client, _ = setup_approle(unsealed)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.approle.create_or_update_approle("web", secret_id_num_uses=-1)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.approle.create_or_update_approle("bad", bind_secret_id=False)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.approle.generate_secret_id("web", cidr_list=["not-a-cidr"])
    assert client.auth.approle.list_roles()["data"]["keys"] == ["web"]
