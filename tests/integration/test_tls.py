"""A TLS listener with a CA made by the test: hvac verifies the server,
TLS 1.3 is the default, and client certificates can be required."""
import socket
import ssl

import hvac
import pytest
import requests

from harness import CofferServer
from tls_certs import make_pki


@pytest.fixture
def pki(tmp_path):
    return make_pki(tmp_path / "pki")


def _tls_server(workdir, pki, client_cert=None, **extra):
    workdir.mkdir(parents=True, exist_ok=True)
    tls = {"tls_cert_file": pki["server.pem"], "tls_key_file": pki["server.key"]}
    tls.update(extra)
    return CofferServer(workdir, tls=tls, ca=pki["ca.pem"], client_cert=client_cert)


def _handshake(port, ca, max_version=None):
    ctx = ssl.create_default_context(cafile=ca)
    if max_version:
        ctx.maximum_version = max_version
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return tls.version()


def test_hvac_talks_to_a_tls_listener_verified_by_the_test_ca(tmp_path, pki):
    s = _tls_server(tmp_path / "s", pki).start()
    try:
        client = hvac.Client(url=s.url, verify=pki["ca.pem"])
        init = client.sys.initialize(secret_shares=1, secret_threshold=1)
        assert client.sys.submit_unseal_key(init["keys"][0])["sealed"] is False
        assert _handshake(s.port, pki["ca.pem"]) == "TLSv1.3"
        # A client that does not trust the CA is refused.
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(s.url + "/v1/sys/health", timeout=10)
    finally:
        s.stop()


def test_tls12_is_refused_by_default_and_allowed_by_tls_min_version(tmp_path, pki):
    s = _tls_server(tmp_path / "v13", pki).start()
    try:
        with pytest.raises(ssl.SSLError):
            _handshake(s.port, pki["ca.pem"], ssl.TLSVersion.TLSv1_2)
    finally:
        s.stop()

    s12 = _tls_server(tmp_path / "v12", pki, tls_min_version="tls12").start()
    try:
        assert _handshake(s12.port, pki["ca.pem"], ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
        assert _handshake(s12.port, pki["ca.pem"]) == "TLSv1.3"
    finally:
        s12.stop()


def test_required_client_certificate_rejects_clients_without_one(tmp_path, pki):
    cert = (pki["client.pem"], pki["client.key"])
    s = _tls_server(tmp_path / "mtls", pki, client_cert=cert, tls_client_ca_file=pki["ca.pem"],
                    tls_require_and_verify_client_cert=True).start()
    try:
        client = hvac.Client(url=s.url, verify=pki["ca.pem"], cert=cert)
        assert client.sys.read_seal_status()["initialized"] is False
        with pytest.raises(requests.exceptions.RequestException):
            requests.get(s.url + "/v1/sys/seal-status", verify=pki["ca.pem"], timeout=10)
    finally:
        s.stop()
