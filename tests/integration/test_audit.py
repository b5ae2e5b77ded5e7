"""Audit devices with hvac against the real server: every request and
response on record, nothing sensitive in plaintext, write-ahead and
fail-closed, and a hash chain that `coffer audit verify` checks."""
import json
import os
import signal
import socket
import subprocess
import threading
import time

import hvac
import pytest

from conftest import client_for
from harness import COFFER_BIN

SECRET_VALUE = "s3cr3t-plaintext-value-4f9a"


def read_entries(path):
    with open(path) as f:
        lines = [line for line in f.read().split("\n") if line]
    return [json.loads(line) for line in lines]


def audited(entries):
    """request/response entries (not genesis, checkpoint or gap lines)."""
    return [e for e in entries if e.get("type") in ("request", "response")]


def verify(*files):
    return subprocess.run([COFFER_BIN, "audit", "verify", *files], capture_output=True,
                          text=True, timeout=60)


def enable_file(client, path, log_path, **options):
    opts = {"file_path": str(log_path)}
    opts.update({k: str(v) for k, v in options.items()})
    client.sys.enable_audit_device("file", path=path, options=opts)


def kv_client(unsealed):
    server, client, _ = unsealed
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    return server, client


def test_file_device_records_requests_and_responses_with_secrets_hashed(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    devices = client.sys.list_enabled_audit_devices()
    listed = devices.get("data", devices)
    assert listed["file/"]["type"] == "file"
    assert listed["file/"]["options"]["file_path"] == str(log)

    client.secrets.kv.v2.create_or_update_secret("app/db", secret={"password": SECRET_VALUE})
    read = client.secrets.kv.v2.read_secret_version("app/db")
    assert read["data"]["data"]["password"] == SECRET_VALUE

    client.sys.create_or_update_policy("only-other", 'path "secret/data/other" { capabilities = ["read"] }')
    limited = client.auth.token.create(policies=["only-other"])["auth"]["client_token"]
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server, limited).secrets.kv.v2.read_secret_version("app/db")

    text = log.read_text()
    assert SECRET_VALUE not in text
    assert client.token not in text
    assert limited not in text

    entries = audited(read_entries(log))
    by_id = {}
    for e in entries:
        by_id.setdefault(e["request"]["id"], {})[e["type"]] = e
    # Every request has both entries, and they agree on path and operation.
    for rid, pair in by_id.items():
        assert set(pair) == {"request", "response"}, rid
        assert pair["request"]["request"]["path"] == pair["response"]["request"]["path"]
        assert pair["request"]["request"]["operation"] == pair["response"]["request"]["operation"]

    def find(path, operation):
        return [p for p in by_id.values()
                if p["request"]["request"]["path"] == path
                and p["request"]["request"]["operation"] == operation]

    writes = find("secret/data/app/db", "create")
    assert len(writes) == 1
    reads = find("secret/data/app/db", "read")
    assert len(reads) == 2  # root's read and the denied one
    denied = [p for p in reads if p["response"].get("error")]
    assert len(denied) == 1
    assert "permission denied" in denied[0]["request"]["error"]
    assert "permission denied" in denied[0]["response"]["error"]
    assert denied[0]["request"]["auth"]["policies"] == ["default", "only-other"] or \
        sorted(denied[0]["request"]["auth"]["policies"]) == ["default", "only-other"]
    # sys/ paths are on record too.
    assert find("sys/policies/acl/only-other", "create") or find("sys/policy/only-other", "create") \
        or find("sys/policy/only-other", "update") or find("sys/policies/acl/only-other", "update")

    # The logged HMACs are what sys/audit-hash computes.
    ok_read = [p for p in reads if not p["response"].get("error")][0]
    logged_secret = ok_read["response"]["response"]["data"]["data"]["password"]
    assert logged_secret.startswith("hmac-sha256:")
    assert client.sys.calculate_hash("file", SECRET_VALUE)["data"]["hash"] == logged_secret
    logged_token = ok_read["request"]["auth"]["client_token"]
    assert client.sys.calculate_hash("file", client.token)["data"]["hash"] == logged_token
    assert writes[0]["request"]["request"]["data"]["data"]["password"] == logged_secret
    # hmac_accessor defaults to true: accessors are hashed as well.
    assert ok_read["request"]["auth"]["accessor"].startswith("hmac-sha256:")

    r = verify(str(log))
    assert r.returncode == 0, r.stdout + r.stderr


def write_some(client, n, prefix="k"):
    for i in range(n):
        client.secrets.kv.v2.create_or_update_secret(f"{prefix}{i}", secret={"v": str(i)})


def test_verify_names_the_edited_removed_or_swapped_line(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    write_some(client, 10)
    r = verify(str(log))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = log.read_text().split("\n")[:-1]
    assert len(lines) > 20
    middle = len(lines) // 2  # 0-based index; its line number is middle + 1

    def tampered(name, new_lines):
        path = tmp_path / name
        path.write_text("\n".join(new_lines) + "\n")
        return verify(str(path))

    edited = list(lines)
    edited[middle] = edited[middle].replace('"operation":"', '"operation":"x', 1)
    assert edited[middle] != lines[middle]
    r = tampered("edited.log", edited)
    assert r.returncode == 1
    assert f"edited.log:{middle + 1}:" in r.stdout and "edited" in r.stdout

    removed = lines[:middle] + lines[middle + 1:]
    r = tampered("removed.log", removed)
    assert r.returncode == 1
    assert f"removed.log:{middle + 1}:" in r.stdout and "removed" in r.stdout

    swapped = list(lines)
    swapped[middle], swapped[middle + 1] = swapped[middle + 1], swapped[middle]
    r = tampered("swapped.log", swapped)
    assert r.returncode == 1
    assert f"swapped.log:{middle + 1}:" in r.stdout and "reordered" in r.stdout


def test_sighup_rotation_continues_the_chain_in_a_new_file(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    write_some(client, 3, "before")
    rotated = tmp_path / "audit.log.1"
    os.rename(log, rotated)
    server.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.exists(), "SIGHUP did not reopen the audit file"
    write_some(client, 3, "after")
    new_entries = read_entries(log)
    assert all(e["type"] != "genesis" for e in new_entries)  # continued, not restarted
    paths = [e["request"]["path"] for e in audited(new_entries)]
    assert "secret/data/after0" in paths
    old_paths = [e["request"]["path"] for e in audited(read_entries(rotated))]
    assert "secret/data/after0" not in old_paths
    # The old file ends with a checkpoint before the reopen.
    assert read_entries(rotated)[-1]["type"] == "checkpoint"
    r = verify(str(rotated), str(log))
    assert r.returncode == 0, r.stdout + r.stderr
    # Out of order, the files do not verify.
    assert verify(str(log), str(rotated)).returncode == 1


def test_chain_continues_across_a_server_restart(unsealed, tmp_path):
    server, client, init = unsealed
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    write_some(client, 2)
    server.restart()
    client.sys.submit_unseal_keys(init["keys"][:3])
    write_some(client, 2, "again")
    entries = read_entries(log)
    assert [e["type"] for e in entries].count("genesis") == 1
    r = verify(str(log))
    assert r.returncode == 0, r.stdout + r.stderr


def test_jsonx_format_prefix_and_raw_logging(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    xlog = tmp_path / "audit.xml.log"
    enable_file(client, "xml", xlog, format="jsonx", prefix="COFFER:")
    raw = tmp_path / "raw.log"
    enable_file(client, "raw", raw, log_raw="true")
    client.secrets.kv.v2.create_or_update_secret("x", secret={"v": SECRET_VALUE})
    # A read serves the stored text as it is; each device still writes it
    # its own way (hashed in JSONx, in the clear only with log_raw).
    assert client.secrets.kv.v2.read_secret_version("x")["data"]["data"] == {"v": SECRET_VALUE}
    xml_lines = xlog.read_text().split("\n")[:-1]
    assert all(line.startswith("COFFER:<?xml") for line in xml_lines)
    assert '<json:string name="path">secret/data/x</json:string>' in xlog.read_text()
    assert SECRET_VALUE not in xlog.read_text()
    # log_raw is the operator's explicit choice to keep values in the clear.
    raw_reads = [json.loads(line) for line in raw.read_text().splitlines()
                 if '"secret/data/x"' in line and '"type":"response"' in line
                 and '"operation":"read"' in line]
    assert raw_reads and raw_reads[-1]["response"]["data"]["data"] == {"v": SECRET_VALUE}
    xml_reads = [line for line in xml_lines if '<json:string name="operation">read' in line
                 and 'name="type">response' in line]
    assert xml_reads and all("hmac-sha256:" in line for line in xml_reads)
    for f in (xlog, raw):
        r = verify(str(f))
        assert r.returncode == 0, r.stdout + r.stderr


def test_enabling_a_device_that_cannot_write_fails_clearly(unsealed, tmp_path):
    server, client, _ = unsealed
    with pytest.raises(hvac.exceptions.InvalidRequest) as e:
        client.sys.enable_audit_device("file", path="bad",
                                       options={"file_path": "/nonexistent/dir/audit.log"})
    assert "/nonexistent/dir/audit.log" in str(e.value)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_audit_device("file", path="full", options={"file_path": "/dev/full"})
    with pytest.raises(hvac.exceptions.InvalidRequest) as e:
        client.sys.enable_audit_device("socket", path="sock",
                                       options={"address": f"127.0.0.1:{closed_port()}"})
    assert "127.0.0.1" in str(e.value)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_audit_device("nosuch", path="x", options={})
    devices = client.sys.list_enabled_audit_devices()
    assert devices.get("data", devices) == {}


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Collector:
    """A TCP listener that reads whatever a socket audit device sends."""

    def __init__(self, port=0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.data = b""
        self.conns = []
        self.stopped = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self.read, args=(conn,), daemon=True).start()

    def read(self, conn):
        while True:
            try:
                chunk = conn.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            self.data += chunk

    def close(self):
        self.stopped = True
        try:
            # Wakes the accept() in the other thread; close() alone would
            # leave the socket listening until that accept returned.
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()
        self.thread.join(timeout=5)


def test_only_device_down_fails_requests_and_changes_nothing(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    collector = Collector()
    client.sys.enable_audit_device("socket", path="sock", options={
        "address": f"127.0.0.1:{collector.port}", "socket_type": "tcp", "write_timeout": "1s"})
    client.secrets.kv.v2.create_or_update_secret("cfg", secret={"v": "original"})
    deadline = time.monotonic() + 5
    while b"secret/data/cfg" not in collector.data and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b"secret/data/cfg" in collector.data
    port = collector.port
    collector.close()

    with pytest.raises(hvac.exceptions.VaultError) as e:
        client.secrets.kv.v2.create_or_update_secret("cfg", secret={"v": "changed"})
    assert "audit" in str(e.value)
    with pytest.raises(hvac.exceptions.VaultError):
        client.secrets.kv.v2.read_secret_version("cfg")

    # Once the destination is back the device reconnects, and the write
    # that failed had not been performed.
    collector = Collector(port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                read = client.secrets.kv.v2.read_secret_version("cfg")
                break
            except hvac.exceptions.VaultError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert read["data"]["data"] == {"v": "original"}
        assert read["data"]["metadata"]["version"] == 1
        # The chain records the entries that could not be delivered. The
        # device has sent them when the read is answered; the collector's
        # thread may not have read them yet.
        deadline = time.monotonic() + 5
        while b'"type":"gap"' not in collector.data and time.monotonic() < deadline:
            time.sleep(0.05)
        lines = collector.data.decode().split("\n")
        assert any('"type":"gap"' in line for line in lines)
    finally:
        collector.close()


def test_a_second_working_device_keeps_requests_flowing(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    collector = Collector()
    client.sys.enable_audit_device("socket", path="sock", options={
        "address": f"127.0.0.1:{collector.port}", "write_timeout": "1s"})
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    collector.close()
    client.secrets.kv.v2.create_or_update_secret("still", secret={"v": "works"})
    assert client.secrets.kv.v2.read_secret_version("still")["data"]["data"] == {"v": "works"}
    paths = [e["request"]["path"] for e in audited(read_entries(log))]
    assert "secret/data/still" in paths


def test_a_hanging_device_does_not_block_requests(unsealed, tmp_path):
    """A peer that accepts but never reads: once its socket buffers are full
    every write to it times out, yet requests are served as soon as the file
    device has their entries."""
    server, client = kv_client(unsealed)
    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(1)
    try:
        # log_raw makes each entry as big as the secret, to fill the buffers.
        client.sys.enable_audit_device("socket", path="hang", options={
            "address": f"127.0.0.1:{hang.getsockname()[1]}", "write_timeout": "500ms",
            "log_raw": "true"})
        log = tmp_path / "audit.log"
        enable_file(client, "file", log)
        big = "x" * 400000
        started = time.monotonic()
        for i in range(100):  # 80 MB for the socket: far past any buffer
            client.secrets.kv.v2.create_or_update_secret(f"big{i}", secret={"v": big})
        elapsed = time.monotonic() - started
        assert client.secrets.kv.v2.read_secret_version("big99")["data"]["data"]["v"] == big
        paths = [e["request"]["path"] for e in audited(read_entries(log))]
        assert "secret/data/big99" in paths
        # Had each request waited for the hung device, the 200 entries past
        # the point where its buffers filled would have cost 500 ms each.
        assert elapsed < 30, elapsed
    finally:
        hang.close()


def test_disable_and_syslog_device(unsealed, tmp_path):
    server, client, _ = unsealed
    client.sys.enable_audit_device("syslog", path="syslog", options={"tag": "coffer-test"})
    log = tmp_path / "audit.log"
    enable_file(client, "file", log)
    devices = client.sys.list_enabled_audit_devices()
    assert set(devices.get("data", devices)) == {"syslog/", "file/"}
    client.sys.disable_audit_device("syslog")
    devices = client.sys.list_enabled_audit_devices()
    assert set(devices.get("data", devices)) == {"file/"}
    # The disable itself is on record.
    paths = [e["request"]["path"] for e in audited(read_entries(log))]
    assert "sys/audit/syslog" in paths


def test_checkpoints_are_checked_by_the_server(unsealed, tmp_path):
    """Someone who rewrites a log can recompute every SHA-256 link, but not
    the checkpoints' HMACs: the server tells genuine from forged."""
    server, client = kv_client(unsealed)
    log = tmp_path / "audit.log"
    enable_file(client, "file", log, checkpoint_every=4)
    write_some(client, 6)
    env = {"VAULT_ADDR": server.url, "VAULT_TOKEN": client.token, "PATH": os.environ["PATH"],
           "HOME": str(tmp_path)}

    def verify_online(path):
        return subprocess.run([COFFER_BIN, "audit", "verify", "-check-checkpoints", str(path)],
                              capture_output=True, text=True, timeout=60, env=env)

    r = verify_online(log)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "(HMACs checked)" in r.stdout
    entries = read_entries(log)
    assert sum(e["type"] == "checkpoint" for e in entries) >= 2

    # Rewrite the log from the second line on with a self-consistent chain
    # whose checkpoints carry a made-up HMAC.
    import hashlib
    lines = log.read_text().split("\n")[:-1]
    forged = [lines[0]]
    for line in lines[1:]:
        entry = json.loads(line)
        if entry["type"] == "checkpoint":
            entry["hmac"] = "00" * 32
        entry["chain"]["prev"] = hashlib.sha256(forged[-1].encode()).hexdigest()
        chain = entry.pop("chain")
        forged.append(json.dumps({"chain": chain, **entry}, separators=(",", ":")))
    forged_log = tmp_path / "forged.log"
    forged_log.write_text("\n".join(forged) + "\n")
    assert verify(str(forged_log)).returncode == 0  # the chain alone cannot tell
    r = verify_online(forged_log)
    assert r.returncode == 1
    assert "forged checkpoint" in r.stdout

    # The endpoint needs sudo, like the rest of sys/audit.
    client.sys.create_or_update_policy("reader", 'path "sys/audit-checkpoint" { capabilities = ["update"] }')
    token = client.auth.token.create(policies=["reader"])["auth"]["client_token"]
    with pytest.raises(hvac.exceptions.Forbidden):
        client_for(server, token).write("sys/audit-checkpoint", seq=1, prev="00", hmac="00")


def test_stdout_and_discard_file_paths_and_bad_options(unsealed, tmp_path):
    server, client = kv_client(unsealed)
    client.sys.enable_audit_device("file", path="out", options={"file_path": "stdout"})
    client.sys.enable_audit_device("file", path="nowhere", options={"file_path": "discard"})
    client.secrets.kv.v2.create_or_update_secret("to-stdout", secret={"v": SECRET_VALUE})
    # The harness sends the server's stdout to its log file.
    deadline = time.monotonic() + 5
    while "secret/data/to-stdout" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert '"path":"secret/data/to-stdout"' in server.log()
    assert SECRET_VALUE not in server.log()
    for device_type, options in [
            ("file", {"file_path": str(tmp_path / "a.log"), "format": "yaml"}),
            ("file", {"file_path": str(tmp_path / "a.log"), "mode": "999"}),
            ("file", {"file_path": str(tmp_path / "a.log"), "hmac_accessor": "perhaps"}),
            ("file", {}),
            ("syslog", {"facility": "NOPE"}),
            ("socket", {"address": "127.0.0.1:1", "socket_type": "sctp"}),
            ("socket", {"address": "127.0.0.1:1", "write_timeout": "soon"})]:
        with pytest.raises(hvac.exceptions.InvalidRequest) as e:
            client.sys.enable_audit_device(device_type, path="bad", options=options)
        assert "audit" in str(e.value)
    devices = client.sys.list_enabled_audit_devices()
    assert set(devices.get("data", devices)) == {"out/", "nowhere/"}
    # A path in use is refused and the device there is unchanged.
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_audit_device("file", path="out", options={"file_path": "discard"})
    devices = client.sys.list_enabled_audit_devices()
    assert devices.get("data", devices)["out/"]["options"]["file_path"] == "stdout"
