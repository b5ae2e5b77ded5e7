"""The kubernetes auth method with hvac against the real server and a fake
Kubernetes API server: a local HTTPS server (its CA given as
kubernetes_ca_cert) that answers TokenReviews for a table of known
service account tokens. Logins get the role's policies; tokens the review
rejects, accounts outside the role's bindings, a wrong audience and an
unreachable API server are refused without a token, and quickly."""
import base64
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import hvac
import pytest

from conftest import client_for
from harness import free_port
from tls_certs import make_pki

REVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews"
REVIEWER_JWT = "reviewer-jwt-7f3c1e"

ALLOWED_POLICY = """
path "secret/data/allowed" {
  capabilities = ["read"]
}
"""


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(ns, name, uid):
    """An unsigned service account JWT with projected claims (the fake API
    server, like a real one, is what vouches for it)."""
    header = b64url(json.dumps({"alg": "RS256", "kid": "test"}).encode())
    payload = b64url(json.dumps({
        "iss": "https://kubernetes.default.svc",
        "sub": f"system:serviceaccount:{ns}:{name}",
        "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": name, "uid": uid}},
    }).encode())
    return f"{header}.{payload}.c2lnbmF0dXJl"


APP_JWT = make_jwt("prod", "app", "uid-app")
OTHER_NS_JWT = make_jwt("dev", "app", "uid-dev-app")
OTHER_NAME_JWT = make_jwt("prod", "db", "uid-db")
API_AUDIENCE_JWT = make_jwt("prod", "app", "uid-app-2")
UNKNOWN_JWT = make_jwt("prod", "app", "uid-forged")

# token -> (namespace, name, uid, audiences) the fake API server vouches for.
KNOWN_TOKENS = {
    APP_JWT: ("prod", "app", "uid-app", ["https://kubernetes.default.svc", "vault"]),
    OTHER_NS_JWT: ("dev", "app", "uid-dev-app", ["https://kubernetes.default.svc"]),
    OTHER_NAME_JWT: ("prod", "db", "uid-db", ["https://kubernetes.default.svc"]),
    API_AUDIENCE_JWT: ("prod", "app", "uid-app-2", ["api"]),
}


class FakeApiServer:
    """Serves TokenReviews over HTTPS on 127.0.0.1 in a thread."""

    def __init__(self, pki):
        self.reviews = []  # (authorization header, request body) per review
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                auth = self.headers.get("Authorization", "")
                outer.reviews.append((auth, body))
                if self.path != REVIEW_PATH:
                    self.reply(404, {"kind": "Status", "message": "not found"})
                    return
                if auth != f"Bearer {REVIEWER_JWT}":
                    self.reply(401, {"kind": "Status", "message": "Unauthorized", "code": 401})
                    return
                token = body.get("spec", {}).get("token")
                known = KNOWN_TOKENS.get(token)
                status = {"authenticated": False}
                if known:
                    ns, name, uid, audiences = known
                    status = {
                        "authenticated": True,
                        "user": {"username": f"system:serviceaccount:{ns}:{name}", "uid": uid,
                                 "groups": ["system:serviceaccounts"]},
                        "audiences": audiences,
                    }
                self.reply(201, {"apiVersion": "authentication.k8s.io/v1",
                                 "kind": "TokenReview", "status": status})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(pki["server.pem"], pki["server.key"])
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def api_server(tmp_path):
    pki = make_pki(tmp_path / "k8s-pki")
    server = FakeApiServer(pki)
    with open(pki["ca.pem"]) as f:
        server.ca_pem = f.read()
    yield server
    server.stop()


def setup_kubernetes(unsealed, api_server, **role_options):
    """Enables kubernetes and kv, writes the config, the policy and role
    "web" (name "app" in namespace "prod"); returns (server, root client)."""
    server, client, _ = unsealed
    client.sys.enable_auth_method("kubernetes")
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    client.secrets.kv.v2.create_or_update_secret("allowed", secret={"v": "yes"})
    client.secrets.kv.v2.create_or_update_secret("denied", secret={"v": "no"})
    client.sys.create_or_update_policy("read-allowed", ALLOWED_POLICY)
    client.auth.kubernetes.configure(api_server.url, kubernetes_ca_cert=api_server.ca_pem,
                                     token_reviewer_jwt=REVIEWER_JWT)
    role = {"bound_service_account_names": ["app"],
            "bound_service_account_namespaces": ["prod"],
            "token_policies": ["read-allowed"]}
    role.update(role_options)
    client.adapter.post("/v1/auth/kubernetes/role/web", json=role)
    return server, client


def raw_login(server, role, jwt):
    c = client_for(server)
    resp = c.adapter.post("/v1/auth/kubernetes/login", json={"role": role, "jwt": jwt},
                          raise_exception=False)
    return c, resp


def assert_refused(server, role, jwt, status, message):
    c, resp = raw_login(server, role, jwt)
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body.get("auth") is None
    assert any(message in e for e in body["errors"]), body
    assert c.token is None


def test_config_and_role_crud(unsealed, api_server):
    server, client = setup_kubernetes(unsealed, api_server, audience="vault")
    config = client.auth.kubernetes.read_config()
    assert config["kubernetes_host"] == api_server.url
    assert config["kubernetes_ca_cert"] == api_server.ca_pem
    assert config["disable_local_ca_jwt"] is False
    assert "token_reviewer_jwt" not in config
    assert REVIEWER_JWT not in json.dumps(config)

    role = client.auth.kubernetes.read_role("web")
    assert role["bound_service_account_names"] == ["app"]
    assert role["bound_service_account_namespaces"] == ["prod"]
    assert role["audience"] == "vault"
    assert role["token_policies"] == ["read-allowed"]
    client.auth.kubernetes.create_role("ops", "*", "team-*", policies=["p"])
    assert client.auth.kubernetes.list_roles()["keys"] == ["ops", "web"]
    client.auth.kubernetes.delete_role("ops")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.auth.kubernetes.read_role("ops")


def test_bad_config_and_roles_are_400(unsealed, api_server):
    server, client = setup_kubernetes(unsealed, api_server)
    for body in ({}, {"kubernetes_host": "https://h:1", "kubernetes_ca_cert": "not a pem"}):
        resp = client.adapter.post("/v1/auth/kubernetes/config", json=body,
                                   raise_exception=False)
        assert resp.status_code == 400, resp.text
    resp = client.adapter.post("/v1/auth/kubernetes/role/bad",
                               json={"bound_service_account_namespaces": ["prod"]},
                               raise_exception=False)
    assert resp.status_code == 400
    assert "bound_service_account_names" in resp.json()["errors"][0]


def test_login_token_has_the_roles_policy(unsealed, api_server):
    server, client = setup_kubernetes(unsealed, api_server)
    app = client_for(server)
    auth = app.auth.kubernetes.login("web", APP_JWT)["auth"]
    assert auth["client_token"]
    assert "read-allowed" in auth["policies"]
    assert auth["metadata"]["service_account_name"] == "app"
    assert auth["metadata"]["service_account_namespace"] == "prod"
    assert auth["metadata"]["service_account_uid"] == "uid-app"
    assert auth["metadata"]["role"] == "web"

    assert app.secrets.kv.v2.read_secret_version("allowed")["data"]["data"] == {"v": "yes"}
    with pytest.raises(hvac.exceptions.Forbidden):
        app.secrets.kv.v2.read_secret_version("denied")
    me = app.auth.token.lookup_self()["data"]
    assert me["meta"]["service_account_name"] == "app"
    assert me["meta"]["service_account_namespace"] == "prod"
    assert "prod-app" in me["display_name"]

    auth_header, body = api_server.reviews[-1]
    assert auth_header == f"Bearer {REVIEWER_JWT}"
    assert body["apiVersion"] == "authentication.k8s.io/v1"
    assert body["kind"] == "TokenReview"
    assert body["spec"]["token"] == APP_JWT
    assert "audiences" not in body["spec"]
    # Neither JWT reaches the server log.
    log = server.log()
    assert REVIEWER_JWT not in log
    assert APP_JWT not in log


def test_audience_is_sent_and_checked(unsealed, api_server):
    server, client = setup_kubernetes(unsealed, api_server, audience="vault")
    c = client_for(server)
    c.auth.kubernetes.login("web", APP_JWT)
    assert api_server.reviews[-1][1]["spec"]["audiences"] == ["vault"]
    assert_refused(server, "web", API_AUDIENCE_JWT, 403, "invalid audience")


def test_refused_logins_get_no_token(unsealed, api_server):
    server, client = setup_kubernetes(unsealed, api_server)
    assert_refused(server, "web", UNKNOWN_JWT, 403, "permission denied")
    assert_refused(server, "web", OTHER_NS_JWT, 403, "namespace not authorized")
    assert_refused(server, "web", OTHER_NAME_JWT, 403, "service account name not authorized")
    assert_refused(server, "nope", APP_JWT, 400, 'invalid role name "nope"')
    assert_refused(server, "web", "not-a-jwt", 400, "failed to parse JWT")
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server).auth.kubernetes.login("web", UNKNOWN_JWT)


def test_a_rejected_reviewer_jwt_is_refused(unsealed, api_server):
    server, client = setup_kubernetes(unsealed, api_server)
    client.auth.kubernetes.configure(api_server.url, kubernetes_ca_cert=api_server.ca_pem,
                                     token_reviewer_jwt="wrong-reviewer")
    assert_refused(server, "web", APP_JWT, 403, "lookup failed")


def test_unreachable_api_server_fails_fast(unsealed, api_server):
    server, client = setup_kubernetes(unsealed, api_server)
    closed = free_port()
    client.auth.kubernetes.configure(f"https://127.0.0.1:{closed}",
                                     kubernetes_ca_cert=api_server.ca_pem,
                                     token_reviewer_jwt=REVIEWER_JWT)
    start = time.monotonic()
    c, resp = raw_login(server, "web", APP_JWT)
    assert time.monotonic() - start < 15
    assert 400 <= resp.status_code < 600 and resp.status_code != 500, resp.text
    assert resp.json().get("auth") is None
    assert "could not be reached" in resp.json()["errors"][0]
    assert c.token is None


def test_untrusted_api_server_certificate_is_refused(unsealed, api_server, tmp_path):
    server, client = setup_kubernetes(unsealed, api_server)
    other_ca = make_pki(tmp_path / "other-pki")
    with open(other_ca["ca.pem"]) as f:
        client.auth.kubernetes.configure(api_server.url, kubernetes_ca_cert=f.read(),
                                         token_reviewer_jwt=REVIEWER_JWT)
    reviews_before = len(api_server.reviews)
    c, resp = raw_login(server, "web", APP_JWT)
    assert resp.status_code >= 400
    assert resp.json().get("auth") is None
    assert len(api_server.reviews) == reviews_before
