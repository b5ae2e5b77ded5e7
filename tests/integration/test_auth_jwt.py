"""The jwt auth method with hvac against the real server: keys from a
JWKS URL (plain HTTP and HTTPS with an inline CA), from OIDC discovery and
from static PEM keys; login into a token that carries the role's policies;
and each kind of bad JWT refused with a 400 and no token."""
import base64
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import hvac
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conftest import client_for
from tls_certs import make_pki

ALLOWED_POLICY = """
path "secret/data/allowed" {
  capabilities = ["read"]
}
"""
ISSUER = "https://issuer.example"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_bytes(n, size=None):
    return n.to_bytes(size or (n.bit_length() + 7) // 8, "big")


class Signer:
    """A signing key of one JWS algorithm, its JWK and its PEM."""

    def __init__(self, alg, kid):
        self.alg, self.kid = alg, kid
        if alg == "RS256":
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif alg == "ES256":
            self.key = ec.generate_private_key(ec.SECP256R1())
        else:
            self.key = ed25519.Ed25519PrivateKey.generate()

    def pem(self):
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def jwk(self):
        pub = self.key.public_key()
        if self.alg == "RS256":
            n = pub.public_numbers()
            return {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                    "n": b64url(int_bytes(n.n)), "e": b64url(int_bytes(n.e))}
        if self.alg == "ES256":
            n = pub.public_numbers()
            return {"kty": "EC", "kid": self.kid, "crv": "P-256",
                    "x": b64url(int_bytes(n.x, 32)), "y": b64url(int_bytes(n.y, 32))}
        raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "kid": self.kid, "crv": "Ed25519", "x": b64url(raw)}

    def sign(self, data):
        if self.alg == "RS256":
            return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        if self.alg == "ES256":
            r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(hashes.SHA256())))
            return int_bytes(r, 32) + int_bytes(s, 32)
        return self.key.sign(data)

    def token(self, **overrides):
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": "ci-job-7", "aud": "coffer", "iat": now, "nbf": now,
                  "exp": now + 300, "project": "payments", "ref": "refs/heads/main"}
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        header = {"alg": self.alg, "typ": "JWT", "kid": self.kid}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode()))
        return signing_input + "." + b64url(self.sign(signing_input.encode()))


class KeyServer:
    """Serves /jwks and /.well-known/openid-configuration on 127.0.0.1."""

    def __init__(self, signers, tls_files=None):
        self.signers = signers
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/jwks":
                    body = {"keys": [s.jwk() for s in outer.signers]}
                elif self.path == "/.well-known/openid-configuration":
                    body = {"issuer": outer.url, "jwks_uri": outer.url + "/jwks"}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls_files:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls_files["server.pem"], tls_files["server.key"])
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def signers():
    return {"rsa": Signer("RS256", "rsa-1"), "ec": Signer("ES256", "ec-1"),
            "ed": Signer("EdDSA", "ed-1")}


@pytest.fixture
def key_server(signers):
    s = KeyServer(list(signers.values()))
    yield s
    s.stop()


def prepare(client):
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    client.secrets.kv.v2.create_or_update_secret("allowed", secret={"v": "yes"})
    client.secrets.kv.v2.create_or_update_secret("denied", secret={"v": "no"})
    client.sys.create_or_update_policy("read-allowed", ALLOWED_POLICY)


def make_role(client, path, **extra):
    options = dict(bound_audiences=["coffer"], bound_claims={"project": "payments"},
                   token_policies=["read-allowed"], claim_mappings={"ref": "git_ref"})
    options.update(extra)
    client.auth.jwt.create_role("ci", user_claim="sub", allowed_redirect_uris=[], path=path,
                                **options)


def login_and_check(server, path, jwt):
    c = client_for(server)
    auth = c.auth.jwt.jwt_login("ci", jwt, path=path)["auth"]
    assert c.token == auth["client_token"]
    assert sorted(auth["policies"]) == ["default", "read-allowed"]
    assert auth["metadata"] == {"role": "ci", "git_ref": "refs/heads/main"}
    assert c.secrets.kv.v2.read_secret_version("allowed")["data"]["data"] == {"v": "yes"}
    with pytest.raises(hvac.exceptions.Forbidden):
        c.secrets.kv.v2.read_secret_version("denied")
    return auth


def test_jwks_discovery_and_pem_sources_log_in(unsealed, signers, key_server):
    server, client, _ = unsealed
    prepare(client)

    client.sys.enable_auth_method("jwt", path="jwt")
    client.auth.jwt.configure(jwks_url=key_server.url + "/jwks", bound_issuer=ISSUER, path="jwt")
    config = client.auth.jwt.read_config(path="jwt")["data"]
    assert config["jwks_url"] == key_server.url + "/jwks"
    assert config["bound_issuer"] == ISSUER
    make_role(client, "jwt")
    role = client.auth.jwt.read_role("ci", path="jwt")["data"]
    assert role["bound_audiences"] == ["coffer"]
    assert role["bound_claims"] == {"project": "payments"}
    assert role["user_claim"] == "sub"
    assert client.auth.jwt.list_roles(path="jwt")["data"]["keys"] == ["ci"]
    auth = login_and_check(server, "jwt", signers["rsa"].token())
    lookup = client.auth.token.lookup(auth["client_token"])["data"]
    assert lookup["display_name"] == "jwt-ci-job-7"
    # Any key of the set verifies its own tokens.
    login_and_check(server, "jwt", signers["ec"].token())

    client.sys.enable_auth_method("oidc", path="oidc")
    client.auth.jwt.configure(oidc_discovery_url=key_server.url, path="oidc")
    make_role(client, "oidc")
    login_and_check(server, "oidc", signers["ed"].token())

    client.sys.enable_auth_method("jwt", path="pem")
    client.auth.jwt.configure(jwt_validation_pubkeys=[signers["ec"].pem()], path="pem")
    make_role(client, "pem")
    login_and_check(server, "pem", signers["ec"].token())


def test_jwks_over_https_with_an_inline_ca(unsealed, signers, tmp_path):
    server, client, _ = unsealed
    prepare(client)
    pki = make_pki(tmp_path / "pki")
    tls_server = KeyServer([signers["rsa"]], tls_files=pki)
    try:
        client.sys.enable_auth_method("jwt")
        with pytest.raises(hvac.exceptions.InvalidRequest, match="jwks"):
            # Without the CA the server's certificate is not trusted.
            client.auth.jwt.configure(jwks_url=tls_server.url + "/jwks")
        with open(pki["ca.pem"]) as f:
            ca_pem = f.read()
        client.auth.jwt.configure(jwks_url=tls_server.url + "/jwks", jwks_ca_pem=ca_pem)
        make_role(client, "jwt")
        login_and_check(server, "jwt", signers["rsa"].token())
    finally:
        tls_server.stop()

    # A certificate stands for its public key in jwt_validation_pubkeys.
    cert_signer = Signer("ES256", "cert")
    with open(pki["server.key"], "rb") as f:
        cert_signer.key = serialization.load_pem_private_key(f.read(), password=None)
    with open(pki["server.pem"]) as f:
        cert_pem = f.read()
    client.sys.enable_auth_method("jwt", path="cert-keys")
    client.auth.jwt.configure(jwt_validation_pubkeys=[cert_pem], path="cert-keys")
    make_role(client, "cert-keys")
    login_and_check(server, "cert-keys", cert_signer.token())


def test_bad_jwts_are_400_without_a_token(unsealed, signers, key_server):
    server, client, _ = unsealed
    prepare(client)
    client.sys.enable_auth_method("jwt")
    # Failed logins count against the role for lockout (default threshold
    # 5); this test fails more often than that on purpose.
    client.sys.tune_auth_method("jwt", user_lockout_config={
        "lockout_threshold": 50, "lockout_duration": "10m", "lockout_counter_reset": "10m"})
    client.auth.jwt.configure(jwks_url=key_server.url + "/jwks", bound_issuer=ISSUER)
    make_role(client, "jwt")
    rsa_signer = signers["rsa"]
    stranger = Signer("RS256", "rsa-1")  # same kid, key not in the JWKS
    good = rsa_signer.token()
    head, body, _ = good.split(".")
    other_sig = rsa_signer.token(sub="someone-else").split(".")[2]
    now = int(time.time())
    cases = {
        "expired": (rsa_signer.token(exp=now - 3600, iat=now - 7200, nbf=now - 7200),
                    "token is expired"),
        "audience": (rsa_signer.token(aud="someone-else"),
                     "audience claim does not match any expected audience"),
        "issuer": (rsa_signer.token(iss="https://evil.example"), "issuer"),
        "signature": (stranger.token(), "signature verification failed"),
        "spliced signature": (f"{head}.{body}.{other_sig}", "signature verification failed"),
        "bound claim": (rsa_signer.token(project="marketing"),
                        'claim "project" does not match any associated bound claim values'),
        "alg none": (b64url(b'{"alg":"none"}') + "." + body + ".", "none"),
    }
    for name, (jwt, message) in cases.items():
        c = client_for(server)
        with pytest.raises(hvac.exceptions.InvalidRequest, match=message):
            c.auth.jwt.jwt_login("ci", jwt)
        assert not c.token, name
    # The good token still works after all of that.
    login_and_check(server, "jwt", good)


def test_config_and_role_validation_are_400(unsealed, signers, key_server):
    _, client, _ = unsealed
    client.sys.enable_auth_method("jwt")
    with pytest.raises(hvac.exceptions.InvalidRequest, match="exactly one of"):
        client.auth.jwt.configure(bound_issuer=ISSUER)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="exactly one of"):
        client.auth.jwt.configure(jwks_url=key_server.url + "/jwks",
                                  jwt_validation_pubkeys=[signers["rsa"].pem()])
    with pytest.raises(hvac.exceptions.InvalidRequest, match="public key"):
        client.auth.jwt.configure(jwt_validation_pubkeys=["not a key"])
    with pytest.raises(hvac.exceptions.InvalidRequest, match="jwks"):
        client.auth.jwt.configure(jwks_url=key_server.url + "/missing")
    client.auth.jwt.configure(jwks_url=key_server.url + "/jwks")
    with pytest.raises(hvac.exceptions.InvalidRequest, match="jwt"):
        client.auth.jwt.create_role("web", user_claim="sub", allowed_redirect_uris=["http://x"],
                                    role_type="oidc", bound_audiences=["coffer"])
    with pytest.raises(hvac.exceptions.InvalidRequest, match="bound constraint"):
        client.auth.jwt.create_role("web", user_claim="sub", allowed_redirect_uris=[])
    client.auth.jwt.create_role("web", user_claim="sub", allowed_redirect_uris=[],
                                bound_subject="x")
    client.auth.jwt.delete_role("web")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.auth.jwt.read_role("web")


def test_failed_logins_lock_out_the_role(unsealed, signers, key_server):
    server, client, _ = unsealed
    prepare(client)
    client.sys.enable_auth_method("jwt")
    client.sys.tune_auth_method("jwt", user_lockout_config={
        "lockout_threshold": 2, "lockout_duration": "10m", "lockout_counter_reset": "10m"})
    client.auth.jwt.configure(jwks_url=key_server.url + "/jwks", bound_issuer=ISSUER)
    make_role(client, "jwt")
    anon = client_for(server)
    for _ in range(2):
        with pytest.raises(hvac.exceptions.InvalidRequest):
            anon.auth.jwt.jwt_login("ci", signers["rsa"].token(aud="wrong"))
    with pytest.raises(hvac.exceptions.Forbidden):
        anon.auth.jwt.jwt_login("ci", signers["rsa"].token())
    assert not anon.token
