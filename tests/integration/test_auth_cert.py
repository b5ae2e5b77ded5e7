"""The cert auth method with hvac against the real server over TLS: a role
trusting a client CA, login by presenting a client certificate into a
token that carries the role's policies, refusal of a certificate from an
unrelated CA, and the same login whether or not the listener itself
requires and verifies client certificates."""
import hvac
import pytest
import requests

from harness import CofferServer
from tls_certs import make_pki

ALLOWED_POLICY = """
path "secret/data/allowed" {
  capabilities = ["read"]
}
"""


@pytest.fixture
def pki(tmp_path):
    """Three unrelated PKIs: the server's, the client CA's and another."""
    return {who: make_pki(tmp_path / f"pki-{who}") for who in ("server", "client", "other")}


def _cert(p):
    return (p["client.pem"], p["client.key"])


def _start(workdir, pki, require_client_cert=False):
    workdir.mkdir(parents=True, exist_ok=True)
    tls = {"tls_cert_file": pki["server"]["server.pem"],
           "tls_key_file": pki["server"]["server.key"]}
    client_cert = None
    if require_client_cert:
        tls["tls_client_ca_file"] = pki["client"]["ca.pem"]
        tls["tls_require_and_verify_client_cert"] = True
        client_cert = _cert(pki["client"])
    return CofferServer(workdir, tls=tls, ca=pki["server"]["ca.pem"],
                        client_cert=client_cert).start()


def _setup(server, pki, admin_cert=None):
    """Initializes, unseals and configures cert auth with role "web"
    trusting the client CA; returns the root client."""
    root = hvac.Client(url=server.url, verify=pki["server"]["ca.pem"], cert=admin_cert)
    init = root.sys.initialize(secret_shares=1, secret_threshold=1)
    root.sys.submit_unseal_key(init["keys"][0])
    root.token = init["root_token"]
    root.sys.enable_auth_method("cert")
    root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    root.secrets.kv.v2.create_or_update_secret("allowed", secret={"v": "yes"})
    root.secrets.kv.v2.create_or_update_secret("denied", secret={"v": "no"})
    root.sys.create_or_update_policy("read-allowed", ALLOWED_POLICY)
    root.auth.cert.create_ca_certificate_role(
        "web", pki["client"]["ca.pem"], token_policies=["read-allowed"], token_ttl="1h",
        token_type="default")
    return root


def _login_and_read(server, pki):
    user = hvac.Client(url=server.url, verify=pki["server"]["ca.pem"],
                       cert=_cert(pki["client"]))
    resp = user.auth.cert.login(name="web")
    auth = resp["auth"]
    assert auth["client_token"]
    assert user.token == auth["client_token"]
    assert "read-allowed" in auth["policies"]
    assert auth["lease_duration"] == 3600
    meta = auth["metadata"]
    assert meta["cert_name"] == "web"
    assert meta["common_name"] == "client"
    assert meta["serial_number"].isdigit()
    assert len(meta["subject_key_id"].split(":")) == 20
    assert len(meta["authority_key_id"].split(":")) == 20

    assert user.secrets.kv.v2.read_secret_version("allowed")["data"]["data"] == {"v": "yes"}
    with pytest.raises(hvac.exceptions.Forbidden):
        user.secrets.kv.v2.read_secret_version("denied")

    me = user.auth.token.lookup_self()["data"]
    assert me["display_name"] == "cert-web"
    assert me["path"] == "auth/cert/login"
    return user


def test_login_with_client_cert_when_listener_does_not_verify(tmp_path, pki):
    server = _start(tmp_path / "s", pki)
    try:
        root = _setup(server, pki)
        role = root.auth.cert.read_ca_certificate_role("web")["data"]
        assert role["token_policies"] == ["read-allowed"]
        assert "BEGIN CERTIFICATE" in role["certificate"]
        assert root.auth.cert.list_certificate_roles()["data"]["keys"] == ["web"]

        _login_and_read(server, pki)

        # Without a role name the first matching role is used.
        user = hvac.Client(url=server.url, verify=pki["server"]["ca.pem"],
                           cert=_cert(pki["client"]))
        assert user.auth.cert.login()["auth"]["metadata"]["cert_name"] == "web"

        # A certificate from an unrelated CA gets a 400 and no token.
        other = hvac.Client(url=server.url, verify=pki["server"]["ca.pem"],
                            cert=_cert(pki["other"]))
        with pytest.raises(hvac.exceptions.InvalidRequest) as err:
            other.auth.cert.login(name="web")
        assert other.token is None
        assert "invalid certificate or no client certificate supplied" in str(err.value)

        # No certificate at all: a 400 as well.
        resp = requests.post(server.url + "/v1/auth/cert/login", json={"name": "web"},
                             verify=pki["server"]["ca.pem"], timeout=10)
        assert resp.status_code == 400
        assert "auth" not in resp.json() or not resp.json()["auth"]
    finally:
        server.stop()


def test_role_constraints_and_invalid_certificate(tmp_path, pki):
    server = _start(tmp_path / "s", pki)
    try:
        root = _setup(server, pki)
        with pytest.raises(hvac.exceptions.InvalidRequest):
            root.auth.cert.create_ca_certificate_role("bad", "not a pem", token_type="default")
        root.auth.cert.create_ca_certificate_role(
            "web", pki["client"]["ca.pem"], allowed_common_names="someone-else",
            token_policies=["read-allowed"], token_type="default")
        user = hvac.Client(url=server.url, verify=pki["server"]["ca.pem"],
                           cert=_cert(pki["client"]))
        with pytest.raises(hvac.exceptions.InvalidRequest) as err:
            user.auth.cert.login(name="web")
        assert "no chain matching all constraints" in str(err.value)
        assert user.token is None
    finally:
        server.stop()


def test_login_when_listener_requires_and_verifies_client_certs(tmp_path, pki):
    server = _start(tmp_path / "mtls", pki, require_client_cert=True)
    try:
        _setup(server, pki, admin_cert=_cert(pki["client"]))
        _login_and_read(server, pki)
        # The listener itself refuses the other CA's certificate.
        other = hvac.Client(url=server.url, verify=pki["server"]["ca.pem"],
                            cert=_cert(pki["other"]))
        with pytest.raises((requests.exceptions.RequestException, hvac.exceptions.VaultError)):
            other.auth.cert.login(name="web")
        assert other.token is None
    finally:
        server.stop()
