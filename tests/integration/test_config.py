"""A bad config file stops the server with the file, line and a clear message."""
import subprocess

import pytest

from harness import COFFER_BIN, free_port


def _run_with_config(tmp_path, text, name="bad.hcl"):
    path = tmp_path / name
    path.write_text(text)
    return subprocess.run([COFFER_BIN, "server", f"-config={path}"], capture_output=True,
                          text=True, timeout=30), str(path)


@pytest.mark.parametrize("text,line,needle", [
    ('storage "inmem" {}\nlistener "tcp" {\n  address = "127.0.0.1:1"\n  tls_disable = true\n'
     '  bogus_key = 1\n}\n', 5, "bogus_key"),
    ('storage "inmem" {}\nlistener "tcp" {\n  address = "127.0.0.1:1"\n'
     '  tls_disable = "sometimes"\n}\n', 4, "tls_disable"),
    ('storage "inmem" {}\nlistener "tcp" {\n  address = "127.0.0.1:1"\n  tls_disable = true\n}\n'
     'default_lease_ttl = "forever"\n', 6, "default_lease_ttl"),
    ('storage "inmem" {}\nlistener "tcp" {\n  address = "127.0.0.1:1"\n  tls_disable = true\n}\n'
     'no_such_setting = true\n', 6, "no_such_setting"),
    ('storage "inmem" {\nlistener "tcp" {\n', 2, "unterminated block"),
])
def test_bad_config_is_reported_with_file_and_line_and_the_server_does_not_start(
        tmp_path, text, line, needle):
    result, path = _run_with_config(tmp_path, text)
    assert result.returncode != 0
    err = result.stderr + result.stdout
    assert (f"{path}:{line}" if line else f"{path}:") in err, err
    assert needle in err


def test_unknown_storage_type_is_refused(tmp_path):
    result, _ = _run_with_config(tmp_path, f'storage "nosuch" {{}}\nlistener "tcp" {{\n'
                                 f'  address = "127.0.0.1:{free_port()}"\n  tls_disable = true\n}}\n')
    assert result.returncode != 0
    assert "nosuch" in result.stderr


def test_json_config_is_accepted(tmp_path):
    import json
    import signal
    import time
    import requests
    port = free_port()
    path = tmp_path / "coffer.json"
    path.write_text(json.dumps({
        "storage": {"inmem": {}},
        "listener": [{"tcp": {"address": f"127.0.0.1:{port}", "tls_disable": True}}],
        "disable_mlock": True}))
    proc = subprocess.Popen([COFFER_BIN, "server", f"-config={path}"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                r = requests.get(f"http://127.0.0.1:{port}/v1/sys/seal-status", timeout=1)
                assert r.json()["storage_type"] == "inmem"
                break
            except requests.RequestException:
                assert time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
