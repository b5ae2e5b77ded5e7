"""The userpass auth method with hvac against the real server: users with
policies, login into a token that carries them, one refusal for a wrong
password and an unknown user, and user management."""
import hvac
import pytest

from conftest import client_for

ALLOWED_POLICY = """
path "secret/data/allowed" {
  capabilities = ["read"]
}
"""


def setup_userpass(unsealed, **user_options):
    """Enables userpass and kv, writes the policy and user "alice"; returns
    (server, root client)."""
    server, client, _ = unsealed
    client.sys.enable_auth_method("userpass")
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    client.secrets.kv.v2.create_or_update_secret("allowed", secret={"v": "yes"})
    client.secrets.kv.v2.create_or_update_secret("denied", secret={"v": "no"})
    client.sys.create_or_update_policy("read-allowed", ALLOWED_POLICY)
    client.auth.userpass.create_or_update_user("alice", password="correct horse",
                                               policies="read-allowed", **user_options)
    return server, client


def test_login_yields_token_with_the_users_policies(unsealed):
    server, _ = setup_userpass(unsealed, token_ttl="1h")
    user = client_for(server)
    resp = user.auth.userpass.login("alice", "correct horse")
    auth = resp["auth"]
    assert auth["client_token"]
    assert user.token == auth["client_token"]
    assert "read-allowed" in auth["policies"]
    assert "default" in auth["policies"]
    assert auth["metadata"] == {"username": "alice"}
    assert auth["lease_duration"] == 3600
    assert auth["renewable"] is True

    assert user.secrets.kv.v2.read_secret_version("allowed")["data"]["data"] == {"v": "yes"}
    with pytest.raises(hvac.exceptions.Forbidden):
        user.secrets.kv.v2.read_secret_version("denied")

    me = user.auth.token.lookup_self()["data"]
    assert me["meta"] == {"username": "alice"}
    assert me["path"] == "auth/userpass/login/alice"
    assert "read-allowed" in me["policies"]
    assert me["display_name"] == "userpass-alice"


def test_login_name_is_case_insensitive(unsealed):
    server, _ = setup_userpass(unsealed)
    user = client_for(server)
    resp = user.auth.userpass.login("ALICE", "correct horse")
    assert resp["auth"]["metadata"] == {"username": "alice"}


def test_wrong_password_and_unknown_user_are_the_same_400(unsealed):
    server, _ = setup_userpass(unsealed)
    messages = []
    for username, password in (("alice", "wrong"), ("mallory", "correct horse")):
        c = client_for(server)
        with pytest.raises(hvac.exceptions.InvalidRequest) as err:
            c.auth.userpass.login(username, password)
        assert c.token is None
        messages.append(err.value.errors)
    assert messages[0] == messages[1]
    assert "invalid username or password" in str(messages[0])


def test_user_management(unsealed):
    server, client = setup_userpass(unsealed, token_ttl="30m")
    client.auth.userpass.create_or_update_user("bob", password="pw-bob",
                                               token_policies=["a", "b"])
    assert client.auth.userpass.list_user()["data"]["keys"] == ["alice", "bob"]

    alice = client.auth.userpass.read_user("alice")["data"]
    assert alice["token_policies"] == ["read-allowed"]
    assert alice["token_ttl"] == 1800
    assert "password" not in alice
    assert "correct horse" not in str(alice)

    # Updating without a password keeps it; the password path replaces it.
    client.auth.userpass.create_or_update_user("alice", token_ttl="2h")
    assert client.auth.userpass.read_user("alice")["data"]["token_ttl"] == 7200
    client_for(server).auth.userpass.login("alice", "correct horse")
    client.auth.userpass.update_password_on_user("alice", "battery staple")
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client_for(server).auth.userpass.login("alice", "correct horse")
    client_for(server).auth.userpass.login("alice", "battery staple")

    client.adapter.post("/v1/auth/userpass/users/bob/policies", json={"token_policies": "c"})
    assert client.auth.userpass.read_user("bob")["data"]["token_policies"] == ["c"]

    client.auth.userpass.delete_user("bob")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.auth.userpass.read_user("bob")
    assert client.auth.userpass.list_user()["data"]["keys"] == ["alice"]
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client_for(server).auth.userpass.login("bob", "pw-bob")


def test_bad_input_is_400_and_changes_nothing(unsealed):
    _, client = setup_userpass(unsealed)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.userpass.create_or_update_user("carol", token_policies=["x"])
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.auth.userpass.read_user("carol")
    before = client.auth.userpass.read_user("alice")["data"]
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.userpass.create_or_update_user("alice", token_type="bogus")
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.userpass.create_or_update_user("alice", token_ttl=-5)
    assert client.auth.userpass.read_user("alice")["data"] == before


def test_bound_cidrs_refuse_a_login_from_elsewhere(unsealed):
    server, client = setup_userpass(unsealed)
    client.auth.userpass.create_or_update_user("remote", password="pw",
                                               token_bound_cidrs=["10.0.0.0/8"])
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server).auth.userpass.login("remote", "pw")
    client.auth.userpass.create_or_update_user("local", password="pw",
                                               token_bound_cidrs=["127.0.0.0/8", "::1/128"])
    client_for(server).auth.userpass.login("local", "pw")


def test_login_needs_no_token_and_user_paths_need_one(unsealed):
    server, _ = setup_userpass(unsealed)
    anonymous = client_for(server)
    with pytest.raises(hvac.exceptions.Forbidden):
        anonymous.auth.userpass.list_user()
    with pytest.raises(hvac.exceptions.Forbidden):
        anonymous.auth.userpass.create_or_update_user("eve", password="pw", policies="root")
