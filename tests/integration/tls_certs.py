"""Makes a throwaway CA, a server certificate for 127.0.0.1 and a client
certificate with the openssl command, for TLS tests."""
import os
import subprocess


def _run(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def make_pki(directory):
    d = str(directory)
    os.makedirs(d, exist_ok=True)
    p = {name: os.path.join(d, name) for name in (
        "ca.pem", "ca.key", "server.pem", "server.key", "server.csr",
        "client.pem", "client.key", "client.csr", "ext.cnf")}
    _run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", p["ca.key"], "-out", p["ca.pem"], "-days", "2", "-subj", "/CN=coffer test CA")
    with open(p["ext.cnf"], "w") as f:
        f.write("subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                "extendedKeyUsage = serverAuth, clientAuth\n")
    for who in ("server", "client"):
        _run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", p[f"{who}.key"], "-out", p[f"{who}.csr"], "-subj", f"/CN={who}")
        _run("x509", "-req", "-in", p[f"{who}.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca.key"],
             "-CAcreateserial", "-out", p[f"{who}.pem"], "-days", "2", "-extfile", p["ext.cnf"])
    return p
