"""Starts and stops the real coffer binary for integration tests.

Each server gets a free port on 127.0.0.1, its own temp dir and config
file. Waits are bounded, and stop() signals exactly the process it started,
by pid.
"""
import os
import warnings
import signal
import socket
import subprocess
import time

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COFFER_BIN = os.environ.get("COFFER_BIN", os.path.join(REPO, "build", "coffer"))
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CofferServer:
    """One coffer server process with an LMDB (default) or inmem store."""

    def __init__(self, workdir, storage="lmdb", tls=None, extra_config="", port=None,
                 ca=None, client_cert=None):
        self.workdir = str(workdir)
        self.data_dir = os.path.join(self.workdir, "data")
        self.port = port or free_port()
        self.storage = storage
        self.tls = tls  # dict of listener TLS keys, or None for plain HTTP
        self.ca = ca  # CA file the harness verifies a TLS listener with
        self.client_cert = client_cert  # (cert, key) the harness presents, if any
        self.extra_config = extra_config
        self.proc = None
        self.log_path = os.path.join(self.workdir, f"server-{self.port}.log")
        self.config_path = os.path.join(self.workdir, f"coffer-{self.port}.hcl")

    @property
    def url(self):
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def write_config(self):
        if self.storage == "lmdb":
            storage = f'storage "lmdb" {{\n  path = "{self.data_dir}"\n}}\n'
        else:
            storage = 'storage "inmem" {}\n'
        if self.tls:
            tls_lines = "".join(f'  {k} = {_hcl_value(v)}\n' for k, v in self.tls.items())
        else:
            tls_lines = "  tls_disable = true\n"
        listener = f'listener "tcp" {{\n  address = "127.0.0.1:{self.port}"\n{tls_lines}}}\n'
        text = storage + listener + "disable_mlock = true\n" + self.extra_config
        with open(self.config_path, "w") as f:
            f.write(text)

    def start(self, wait=True):
        self.write_config()
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [COFFER_BIN, "server", f"-config={self.config_path}"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        warnings.filterwarnings("ignore", message="Unverified HTTPS request")
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"coffer exited with {self.proc.returncode}:\n{self.log()}")
            try:
                requests.get(self.url + "/v1/sys/seal-status", timeout=1,
                             verify=self.ca or False, cert=self.client_cert)
                return
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"coffer did not answer within {START_TIMEOUT}s:\n{self.log()}")

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT)

    def restart(self):
        self.stop()
        return self.start()


def _hcl_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return '"' + str(v) + '"'
