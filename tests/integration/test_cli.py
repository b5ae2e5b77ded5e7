"""The coffer CLI's operator init / unseal / seal and status verbs against a
real server, configured through VAULT_ADDR (and VAULT_CACERT for TLS)."""
import json
import os
import subprocess

from harness import COFFER_BIN, CofferServer
from tls_certs import make_pki


def coffer(server, *args, token=None, stdin=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULT_")}
    env["VAULT_ADDR"] = server.url
    env["HOME"] = server.workdir  # no stray token helper file
    if token:
        env["VAULT_TOKEN"] = token
    env.update(extra_env or {})
    return subprocess.run([COFFER_BIN, *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=60)


def test_operator_init_unseal_status_and_seal(server):
    r = coffer(server, "operator", "init", "-status")
    assert r.returncode == 2 and "not initialized" in r.stdout

    r = coffer(server, "operator", "init", "-key-shares=3", "-key-threshold=2", "-format=json")
    assert r.returncode == 0, r.stderr
    init = json.loads(r.stdout)
    assert len(init["unseal_keys_b64"]) == 3 and init["unseal_threshold"] == 2
    assert coffer(server, "operator", "init", "-status").returncode == 0

    r = coffer(server, "status")
    assert r.returncode == 2  # sealed
    assert "Sealed" in r.stdout and "true" in r.stdout

    r = coffer(server, "operator", "unseal", init["unseal_keys_b64"][0])
    assert r.returncode == 0, r.stderr
    assert "Unseal Progress    1/2" in r.stdout
    # The key may come on stdin, as from a password manager.
    r = coffer(server, "operator", "unseal", "-format=json", stdin=init["unseal_keys_hex"][2] + "\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["sealed"] is False

    r = coffer(server, "status", "-format=json")
    assert r.returncode == 0 and json.loads(r.stdout)["sealed"] is False
    r = coffer(server, "status", "-field=storage_type")
    assert r.stdout.strip() == "lmdb"

    r = coffer(server, "operator", "seal")
    assert r.returncode == 1 and "permission denied" in r.stderr
    r = coffer(server, "operator", "seal", token=init["root_token"])
    assert r.returncode == 0 and "sealed" in r.stdout
    assert coffer(server, "status").returncode == 2


def test_operator_unseal_reports_a_bad_key(server):
    coffer(server, "operator", "init", "-key-shares=1", "-key-threshold=1")
    r = coffer(server, "operator", "unseal", "not-a-key!")
    assert r.returncode == 1
    assert "hex or base64" in r.stderr


def test_unknown_flag_is_a_usage_error(server):
    r = coffer(server, "operator", "init", "-no-such-flag")
    assert r.returncode == 2 and "no-such-flag" in r.stderr


def test_cli_verifies_tls_with_vault_cacert(tmp_path):
    pki = make_pki(tmp_path / "pki")
    (tmp_path / "s").mkdir()
    s = CofferServer(tmp_path / "s", tls={"tls_cert_file": pki["server.pem"],
                                          "tls_key_file": pki["server.key"]},
                     ca=pki["ca.pem"]).start()
    try:
        r = coffer(s, "status")
        assert r.returncode == 1  # the test CA is not trusted by default
        r = coffer(s, "status", extra_env={"VAULT_CACERT": pki["ca.pem"]})
        assert r.returncode == 2 and "Initialized" in r.stdout
        r = coffer(s, "status", extra_env={"VAULT_SKIP_VERIFY": "true"})
        assert r.returncode == 2
    finally:
        s.stop()
