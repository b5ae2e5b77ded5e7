#!/usr/bin/python3
"""HTTP benchmark suite for coffer (docs/performance.md, "HTTP suite").

Starts its own coffer (LMDB in a temp dir, a plain HTTP and a TLS 1.3
listener) pinned to CPU 0 and an nginx ceiling on CPU 0, drives them from
CPU 1 with wrk (closed-loop throughput) and h2load (latency at a fixed
offered rate, and 10,000 keep-alive connections), and prints one summary
line per scenario. Every figure is measured; none is asserted, so the
suite never fails on timing. It stops exactly the processes it started, by
pid, with bounded waits.

    /usr/bin/python3 bench/http/run.py [--coffer build/coffer] [--quick]
        [--duration 10] [--warmup 3] [--runs 3] [--scenarios kv_read,tls_kv_read]
"""
import argparse
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

SERVER_CPU = "0"
LOADGEN_CPU = "1"
CONNECTIONS = 64
FIXED_RATE = 10000          # offered req/s for the latency runs
C10K = 10000                # connections of scenario 4
C10K_INTERVAL = 5.0         # default seconds between one connection's reads
C10K_RAMP_PER_10MS = 25     # connection starts per 10 ms (2,500/s)
NOFILE = 65536
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
SECRET_BYTES = 400          # payload of the KV secret and of the KV write
FILLER_POLICIES = 50
FILLER_RULES = 10           # path rules per filler policy

SCENARIOS = ["kv_read", "kv_write", "approle_login", "conn_10k", "tls_kv_read"]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(msg, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_nofile():
    """preexec_fn: lift the descriptor limit (soft and hard) for a child."""
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
    except (ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# ------------------------------------------------------ the disk's ceiling

SYNC_PROBE_WRITES = 200     # appends of one audit-sized batch, each fdatasync'ed
SYNC_PROBE_BYTES = 5300     # an audited KV read's two audit lines

SYNC_PROBE = r"""
import json, os, resource, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
path, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
buf = b"x" * size
each = []
t0, c0 = time.monotonic(), cpu()
for _ in range(n):
    t = time.monotonic()
    os.write(fd, buf)
    os.fdatasync(fd)
    each.append(time.monotonic() - t)
t1, c1 = time.monotonic(), cpu()
os.close(fd)
os.unlink(path)
each.sort()
p99 = each[max(0, -(-99 * n // 100) - 1)]  # nearest rank
print(json.dumps({"sync_wall_us": (t1 - t0) / n * 1e6, "sync_cpu_us": (c1 - c0) / n * 1e6,
                  "sync_wall_p99_us": p99 * 1e6}))
"""


def sync_probe(workdir):
    """What one durable append costs on the server's core: wall and CPU time
    of write + fdatasync in the directory coffer stores its data and audit
    log in. Every durable request waits for such syncs (shared by a batch),
    and on a virtual disk the CPU they take comes out of the server core."""
    out = subprocess.run(
        ["taskset", "-c", SERVER_CPU, sys.executable, "-c", SYNC_PROBE,
         os.path.join(workdir, "sync-probe.bin"), str(SYNC_PROBE_WRITES),
         str(SYNC_PROBE_BYTES)],
        capture_output=True, text=True, timeout=120, check=True).stdout
    return json.loads(out)


# --------------------------------------------------------------- processes

class Proc:
    """One long-running child we started; stopped by its pid only."""

    def __init__(self, name, argv, logpath, stop_signal=signal.SIGTERM):
        self.name = name
        self.logpath = logpath
        self.stop_signal = stop_signal
        out = open(logpath, "ab")
        self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, preexec_fn=raise_nofile)
        out.close()

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def log_tail(self, n=4000):
        try:
            with open(self.logpath, "rb") as f:
                return f.read()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if not self.alive():
            return
        self.proc.send_signal(self.stop_signal)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)


def process_tree(pid):
    """pid and its direct children (nginx master and worker)."""
    pids = [pid]
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return pids


def cpu_ticks(pid):
    """utime + stime of pid and its children, in clock ticks."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # fields 14, 15 of stat
        except (OSError, IndexError, ValueError):
            pass
    return total


def open_fds(pid):
    n = 0
    for p in process_tree(pid):
        try:
            n += len(os.listdir(f"/proc/{p}/fd"))
        except OSError:
            pass
    return n


class PeakFds:
    """Samples a server's open descriptors while a run goes on."""

    def __init__(self, pid):
        self.pid = pid
        self.base = open_fds(pid)
        self.peak = self.base
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._loop, daemon=True)
        self._t.start()

    def _loop(self):
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, open_fds(self.pid))

    def done(self):
        self._stop.set()
        self._t.join(timeout=2)
        return self.peak - self.base


# ----------------------------------------------------------- load runners

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(value, unit):
    return float(value) * _UNITS[unit]


def run_load(argv, timeout, server_pid, env=None):
    """Runs one load generator on the load CPU; returns (stdout, cpu %)."""
    full = ["taskset", "-c", LOADGEN_CPU] + argv
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0, c0 = time.monotonic(), cpu_ticks(server_pid)
    try:
        r = subprocess.run(full, capture_output=True, text=True, timeout=timeout,
                           preexec_fn=raise_nofile, env=env)
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"{argv[0]} did not finish within {timeout:.0f}s") from e
    wall = time.monotonic() - t0
    server_cpu_s = (cpu_ticks(server_pid) - c0) / CLK_TCK
    busy = 100.0 * server_cpu_s / wall
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_busy = 100.0 * ((ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)) / wall
    if r.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {r.returncode}: {r.stderr.strip()[-2000:]}"
                           f"\n{r.stdout[-2000:]}")
    return r.stdout, (busy, load_busy, server_cpu_s)


def wrk(url, duration, server_pid, headers=(), script=None, env=None):
    argv = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for h in headers:
        argv += ["-H", h]
    if script:
        argv += ["-s", script]
    argv.append(url)
    e = dict(os.environ, **(env or {}))
    out, busy = run_load(argv, duration + 60, server_pid, e)
    return parse_wrk(out, busy)


def parse_wrk(out, busy):
    res = {"cpu_pct": busy[0], "load_cpu_pct": busy[1]}
    m = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if not m:
        raise RuntimeError(f"cannot parse wrk output:\n{out}")
    res["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    res["requests"] = int(m.group(1)) if m else 0
    # The server's CPU per request: steadier than req/s on a shared host,
    # and what an optimization changes.
    res["cpu_us_per_req"] = busy[2] * 1e6 / res["requests"] if res["requests"] else None
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s*{pct}(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.M)
        res[key] = _ms(m.group(1), m.group(2)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["sock_errors"] = sum(int(x) for x in m.groups()) if m else 0
    res["errors"] = res["non2xx"] + res["sock_errors"]
    return res


def percentile(sorted_vals, p):
    if not sorted_vals:
        return None
    # nearest rank: the smallest value with at least p% of samples at or below it
    k = max(0, min(len(sorted_vals) - 1, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def parse_h2load(out, logfile, busy):
    res = {"cpu_pct": busy[0], "load_cpu_pct": busy[1]}
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored, (\d+) timeout", out)
    if not m:
        raise RuntimeError(f"cannot parse h2load output:\n{out}")
    total, started, done, ok, failed, errored, tmo = (int(x) for x in m.groups())
    res.update(total=total, done=done, succeeded=ok, failed=failed, errored=errored,
               timeout=tmo)
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    res["non2xx"] = sum(int(x) for x in m.groups()[1:]) if m else 0
    res["errors"] = (total - ok) + res["non2xx"]
    m = re.search(r"finished in ([\d.]+)(us|ms|s|m|h), ([\d.]+) req/s", out)
    res["achieved_rps"] = float(m.group(3)) if m else None
    m = re.search(r"TLS Protocol: (\S+)", out)
    res["tls"] = m.group(1) if m else None
    lat = []
    with open(logfile) as f:
        for line in f:
            cols = line.split("\t")
            if len(cols) >= 3 and cols[1].startswith("2"):
                lat.append(int(cols[2]) / 1000.0)
    lat.sort()
    res["p50_ms"] = percentile(lat, 50)
    res["p99_ms"] = percentile(lat, 99)
    res["max_ms"] = lat[-1] if lat else None
    res["samples"] = len(lat)
    return res


def h2load_fixed_rate(url, duration, server_pid, workdir, headers=()):
    """64 keep-alive connections offering FIXED_RATE req/s in total.

    --rps is per connection on a 10 ms timer; connections are started 6 per
    millisecond (-r 6 --rate-period 1ms) so the timers are spread across the
    10 ms period instead of firing together."""
    per_conn = FIXED_RATE / CONNECTIONS
    n = int(FIXED_RATE * duration)
    logfile = os.path.join(workdir, "h2load-rate.log")
    argv = ["h2load", "--h1", "-t1", f"-c{CONNECTIONS}", f"--rps={per_conn:g}",
            "-r", "6", "--rate-period=1ms", f"-n{n}", f"--log-file={logfile}"]
    for h in headers:
        argv += ["-H", h]
    argv.append(url)
    out, busy = run_load(argv, duration * 4 + 60, server_pid)
    res = parse_h2load(out, logfile, busy)
    os.unlink(logfile)
    return res


def h2load_c10k(url, duration, interval, server_pid, workdir, headers=()):
    """C10K keep-alive connections, each making one read every `interval` s.

    Connections start 25 per 10 ms (4 s for all), and each makes at least 3
    reads, so all of them are open at once for a while (peak_conns)."""
    rps = 1.0 / interval
    per_client = max(3, int(round(duration * rps)))
    n = C10K * per_client
    logfile = os.path.join(workdir, "h2load-c10k.log")
    argv = ["h2load", "--h1", "-t1", f"-c{C10K}", f"--rps={rps:g}",
            "-r", str(C10K_RAMP_PER_10MS), "--rate-period=10ms", f"-n{n}",
            f"--log-file={logfile}"]
    for h in headers:
        argv += ["-H", h]
    argv.append(url)
    peak = PeakFds(server_pid)
    try:
        expect = C10K / (C10K_RAMP_PER_10MS * 100) + per_client * interval
        out, busy = run_load(argv, expect * 4 + 120, server_pid)
    finally:
        res_peak = peak.done()
    res = parse_h2load(out, logfile, busy)
    res["peak_conns"] = res_peak
    res["rps"] = res["achieved_rps"]
    os.unlink(logfile)
    return res


# ------------------------------------------------------------- the servers

def make_cert(workdir):
    key, cert = os.path.join(workdir, "tls.key"), os.path.join(workdir, "tls.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def wait_http(url, proc, verify=False):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited:\n{proc.log_tail()}")
        try:
            requests.get(url, timeout=1, verify=verify)
            return
        except requests.RequestException:
            time.sleep(0.05)
    raise RuntimeError(f"{proc.name} did not answer within {START_TIMEOUT}s:\n{proc.log_tail()}")


class Coffer:
    def __init__(self, binary, workdir, cert, key):
        self.dir = os.path.join(workdir, "coffer")
        os.makedirs(os.path.join(self.dir, "data"))
        self.port, self.tls_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tls_url = f"https://127.0.0.1:{self.tls_port}"
        conf = os.path.join(self.dir, "coffer.hcl")
        with open(conf, "w") as f:
            f.write(f'storage "lmdb" {{\n  path = "{self.dir}/data"\n}}\n'
                    f'listener "tcp" {{\n  address = "127.0.0.1:{self.port}"\n'
                    f'  tls_disable = true\n}}\n'
                    f'listener "tcp" {{\n  address = "127.0.0.1:{self.tls_port}"\n'
                    f'  tls_cert_file = "{cert}"\n  tls_key_file = "{key}"\n}}\n'
                    'disable_mlock = true\n')
        self.proc = Proc("coffer", ["taskset", "-c", SERVER_CPU, binary, "server",
                                    f"-config={conf}"], os.path.join(self.dir, "server.log"))
        try:
            wait_http(self.url + "/v1/sys/seal-status", self.proc)
        except BaseException:
            self.proc.stop()
            raise
        self.s = requests.Session()
        self.token = None
        self.audit_file = os.path.join(self.dir, "audit.log")

    def api(self, method, path, body=None, token=None, ok=(200, 204)):
        h = {}
        tok = token or self.token
        if tok:
            h["X-Vault-Token"] = tok
        r = self.s.request(method, f"{self.url}/v1/{path}", json=body, headers=h, timeout=30)
        if r.status_code not in ok:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:500]}")
        return r.json() if r.content else {}

    def init_unseal(self):
        init = self.api("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1})
        keys = init.get("keys") or init.get("keys_base64")
        st = self.api("PUT", "sys/unseal", {"key": keys[0]})
        if st.get("sealed"):
            raise RuntimeError(f"still sealed after unseal: {st}")
        self.token = init["root_token"]

    def audit(self, on):
        if on:
            if os.path.exists(self.audit_file):
                os.unlink(self.audit_file)
            self.api("PUT", "sys/audit/bench",
                     {"type": "file", "options": {"file_path": self.audit_file}})
        else:
            self.api("DELETE", "sys/audit/bench")
            if os.path.exists(self.audit_file):
                os.unlink(self.audit_file)


def secret_data(n_bytes):
    """8 string fields whose JSON object is about n_bytes long."""
    per = (n_bytes - 8 * 12) // 8
    return {f"field{i}": ("v%d" % i * per)[:per] for i in range(8)}


def setup_coffer(c, workdir):
    """Mounts, policies, a non-root token, AppRole roles. Returns the fixtures."""
    c.init_unseal()
    c.api("POST", "sys/mounts/secret", {"type": "kv", "options": {"version": "2"}})
    data = secret_data(SECRET_BYTES)
    c.api("POST", "secret/data/bench/read", {"data": data})
    c.api("PUT", "sys/policies/acl/bench-kv", {"policy": (
        'path "secret/data/bench/read" {\n  capabilities = ["read"]\n}\n'
        'path "secret/data/bench/w/*" {\n  capabilities = ["create", "update"]\n}\n')})
    fillers = []
    for i in range(FILLER_POLICIES):
        rules = []
        for j in range(FILLER_RULES):
            kind = j % 4
            if kind == 0:
                rules.append(f'path "team{i}/data/app{j}/*" {{\n  capabilities = ["read", "list"]\n}}')
            elif kind == 1:
                rules.append(f'path "secret/data/team{i}/svc{j}" {{\n  capabilities = ["read", "update"]\n}}')
            elif kind == 2:
                rules.append(f'path "secret/data/+/team{i}-{j}/*" {{\n  capabilities = ["read"]\n}}')
            else:
                rules.append(f'path "secret/data/team{i}/private{j}*" {{\n  capabilities = ["deny"]\n}}')
        name = f"filler-{i:02d}"
        c.api("PUT", f"sys/policies/acl/{name}", {"policy": "\n".join(rules) + "\n"})
        fillers.append(name)
    tok = c.api("POST", "auth/token/create",
                {"policies": ["bench-kv"] + fillers, "ttl": "24h"})["auth"]["client_token"]
    # The token reads, and does not read what its policies do not grant.
    r = requests.get(f"{c.url}/v1/secret/data/bench/read", headers={"X-Vault-Token": tok},
                     timeout=10)
    if r.status_code != 200 or r.json()["data"]["data"] != data:
        raise RuntimeError(f"KV read with the bench token failed: {r.status_code} {r.text[:300]}")
    r = requests.get(f"{c.url}/v1/secret/data/other", headers={"X-Vault-Token": tok}, timeout=10)
    if r.status_code != 403:
        raise RuntimeError(f"bench token is not limited by policy: {r.status_code}")
    kv_response_bytes = len(requests.get(f"{c.url}/v1/secret/data/bench/read",
                                         headers={"X-Vault-Token": tok}, timeout=10).content)

    c.api("POST", "sys/auth/approle", {"type": "approle"})
    logins = {}
    for ttype in ("service", "batch"):
        role = f"bench-{ttype}"
        c.api("POST", f"auth/approle/role/{role}",
              {"token_policies": ["bench-kv"], "token_type": ttype, "token_ttl": "1h",
               "secret_id_num_uses": 0, "secret_id_ttl": 0})
        role_id = c.api("GET", f"auth/approle/role/{role}/role-id")["data"]["role_id"]
        secret_id = c.api("POST", f"auth/approle/role/{role}/secret-id")["data"]["secret_id"]
        body = {"role_id": role_id, "secret_id": secret_id}
        r = requests.post(f"{c.url}/v1/auth/approle/login", json=body, timeout=10)
        if r.status_code != 200:
            raise RuntimeError(f"approle login ({ttype}): {r.status_code} {r.text[:300]}")
        got = r.json()["auth"]
        if ttype == "batch" and got.get("token_type", "batch") != "batch":
            raise RuntimeError(f"batch role issued a {got.get('token_type')} token")
        path = os.path.join(workdir, f"login-{ttype}.json")
        with open(path, "w") as f:
            json.dump(body, f)
        logins[ttype] = path

    write_body = os.path.join(workdir, "write.json")
    with open(write_body, "w") as f:
        json.dump({"data": secret_data(SECRET_BYTES)}, f)
    # The write path works with the bench token (and is durable: LMDB commits).
    with open(write_body, "rb") as f:
        r = requests.post(f"{c.url}/v1/secret/data/bench/w/0", data=f.read(),
                          headers={"X-Vault-Token": tok}, timeout=10)
    if r.status_code not in (200, 204):
        raise RuntimeError(f"KV write with the bench token failed: {r.status_code} {r.text[:300]}")
    return {"token": tok, "kv_bytes": kv_response_bytes, "logins": logins,
            "write_body": write_body}


class Nginx:
    def __init__(self, workdir, body_bytes, cert, key):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(self.dir)
        self.port, self.tls_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tls_url = f"https://127.0.0.1:{self.tls_port}"
        prefix = '{"data":"'
        body = prefix + "x" * max(0, body_bytes - len(prefix) - 2) + '"}'
        with open(os.path.join(HERE, "nginx.conf.in")) as f:
            conf = f.read()
        for k, v in (("@DIR@", self.dir), ("@PORT@", str(self.port)),
                     ("@TLS_PORT@", str(self.tls_port)), ("@CERT@", cert), ("@KEY@", key),
                     ("@BODY@", body)):
            conf = conf.replace(k, v)
        path = os.path.join(self.dir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        # SIGQUIT: graceful shutdown of master and worker.
        self.proc = Proc("nginx", ["taskset", "-c", SERVER_CPU, "nginx", "-p", self.dir,
                                   "-c", path, "-g", "daemon off;"],
                         os.path.join(self.dir, "stdout.log"), stop_signal=signal.SIGQUIT)
        try:
            wait_http(self.url + "/", self.proc)
            got = len(requests.get(self.url + "/", timeout=5).content)
            if got != body_bytes:
                raise RuntimeError(f"nginx body is {got} bytes, want {body_bytes}")
        except BaseException:
            self.proc.stop()
            raise


# ------------------------------------------------------------ aggregation

def summarize(runs, key):
    vals = sorted(r[key] for r in runs if r.get(key) is not None)
    if not vals:
        return None
    return {"med": statistics.median(vals), "min": vals[0], "max": vals[-1]}


def fmt(v, nd=2):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{nd}f}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def show(label, runs, keys):
    parts = []
    for k in keys:
        s = summarize(runs, k)
        if s:
            parts.append(f"{k}={fmt(s['med'])} [{fmt(s['min'])}..{fmt(s['max'])}]")
    errs = sum(r.get("errors", 0) for r in runs)
    log(f"    {label}: " + "  ".join(parts) + f"  errors={errs}")


class Suite:
    def __init__(self, args, workdir):
        self.a = args
        self.dir = workdir
        self.results = {}   # name -> dict of measurement lists
        self.failures = []

    def repeat(self, fn, label, keys):
        runs = []
        for i in range(self.a.runs):
            r = fn()
            runs.append(r)
            extra = " ".join(f"{k}={fmt(r.get(k))}" for k in keys)
            log(f"      run {i + 1}/{self.a.runs}: {extra} errors={r.get('errors', 0)}")
        show(label, runs, keys)
        return runs

    def warmup(self, url, pid, **kw):
        if self.a.warmup > 0:
            wrk(url, self.a.warmup, pid, **kw)

    def closed_and_fixed(self, url, pid, headers=(), fixed=True, script=None, env=None):
        """Warm-up, then the wrk runs and (optionally) the fixed-rate runs."""
        d = self.a.duration
        self.warmup(url, pid, headers=headers, script=script, env=env)
        out = {"wrk": self.repeat(lambda: wrk(url, d, pid, headers=headers, script=script,
                                              env=env),
                                  "wrk closed-loop", ["rps", "p50_ms", "p99_ms", "cpu_pct",
                                                     "cpu_us_per_req", "load_cpu_pct"])}
        if fixed:
            out["rate"] = self.repeat(
                lambda: h2load_fixed_rate(url, d, pid, self.dir, headers=headers),
                f"h2load at {FIXED_RATE}/s",
                ["achieved_rps", "p50_ms", "p99_ms", "cpu_pct", "load_cpu_pct"])
        return out


def summary_line(name, res, ceiling, ceiling_rate=None):
    w = res.get("wrk", [])
    fields = [name]
    rps = summarize(w, "rps")
    if rps:
        fields.append(f"rps={rps['med']:.0f}")
        fields.append(f"rps_min={rps['min']:.0f} rps_max={rps['max']:.0f}")
        c = summarize(ceiling.get("wrk", []), "rps") if ceiling else None
        fields.append(f"ratio_nginx={rps['med'] / c['med']:.2f}" if c else "ratio_nginx=n/a")
        cpu = summarize(w, "cpu_pct")
        fields.append(f"cpu_pct={cpu['med']:.0f}")
        per = summarize(w, "cpu_us_per_req")
        fields.append(f"cpu_us_per_req={fmt(per['med'], 1) if per else 'n/a'}")
        lcpu = summarize(w, "load_cpu_pct")
        fields.append(f"load_cpu_pct={lcpu['med']:.0f}")
        for k in ("p50_ms", "p99_ms"):
            s = summarize(w, k)
            fields.append(f"{k}={fmt(s['med']) if s else 'n/a'}")
    if "rate" in res:
        s = summarize(res["rate"], "p99_ms")
        fields.append(f"p99_at_10k_ms={fmt(s['med']) if s else 'n/a'}")
        a = summarize(res["rate"], "achieved_rps")
        fields.append(f"achieved_at_10k={fmt(a['med']) if a else 'n/a'}")
        cs = summarize(ceiling_rate or [], "p99_ms")
        if cs and s:
            fields.append(f"nginx_p99_at_10k_ms={fmt(cs['med'])}")
            fields.append(f"p99_ratio_nginx={s['med'] / cs['med']:.2f}")
    if "c10k" in res:
        r = res["c10k"]
        fields.append(f"conns={C10K}")
        fields.append(f"served={min(x['succeeded'] for x in r)}/{r[0]['total']}")
        pk = summarize(r, "peak_conns")
        fields.append(f"peak_conns={pk['med']:.0f}")
        for k in ("p50_ms", "p99_ms"):
            s = summarize(r, k)
            fields.append(f"{k}={fmt(s['med']) if s else 'n/a'}")
        cpu = summarize(r, "cpu_pct")
        fields.append(f"cpu_pct={cpu['med']:.0f}")
        if ceiling and "c10k" in ceiling:
            cs = summarize(ceiling["c10k"], "p99_ms")
            fields.append(f"nginx_p99_ms={fmt(cs['med']) if cs else 'n/a'}")
    if "sync" in res:
        for k in ("sync_wall_us", "sync_wall_p99_us", "sync_cpu_us"):
            s = summarize(res["sync"], k)
            fields.append(f"{k}={s['med']:.0f}")
            fields.append(f"{k}_min={s['min']:.0f} {k}_max={s['max']:.0f}")
    errs = sum(x.get("errors", 0) for lst in res.values() if isinstance(lst, list) for x in lst)
    fields.append(f"errors={errs}")
    return " ".join(fields)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--coffer", default=os.environ.get(
        "COFFER_BIN", os.path.join(REPO, "build", "coffer")), help="coffer binary")
    ap.add_argument("--duration", type=float, default=10, help="seconds per measured run")
    ap.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per setup")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per figure")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS),
                    help="comma-separated subset of: " + ", ".join(SCENARIOS))
    ap.add_argument("--c10k-interval", type=float, default=C10K_INTERVAL,
                    help="conn_10k: seconds between one connection's reads")
    ap.add_argument("--quick", action="store_true", help="1 run of 3 s (smoke)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    a = ap.parse_args()
    if a.quick:
        a.runs, a.duration, a.warmup = 1, 3, min(a.warmup, 1)
    a.duration = max(1, int(round(a.duration)))
    a.warmup = int(round(a.warmup))
    wanted = [s.strip() for s in a.scenarios.split(",") if s.strip()]
    for s in wanted:
        if s not in SCENARIOS:
            ap.error(f"unknown scenario {s!r}; choose from {', '.join(SCENARIOS)}")
    for tool in ("wrk", "h2load", "nginx", "taskset", "openssl"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            sys.exit(f"bench/http: {tool} is missing; run scripts/setup")
    if not os.access(a.coffer, os.X_OK):
        sys.exit(f"bench/http: no coffer binary at {a.coffer}")
    if (os.cpu_count() or 1) < 2:
        log("bench/http: warning: fewer than 2 CPUs; server and load share a core")

    workdir = tempfile.mkdtemp(prefix="coffer-bench-")
    coffer = nginx = None
    suite = Suite(a, workdir)
    R = suite.results
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")),
                         "unknown")
        log(f"bench/http: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, nproc={os.cpu_count()}, "
            f"cpu={model}")
        log(f"  server on CPU {SERVER_CPU}, load on CPU {LOADGEN_CPU}, {CONNECTIONS} keep-alive "
            f"connections, warm-up {a.warmup}s, {a.runs} x {a.duration}s runs, figures are "
            f"median [min..max]")
        cert, key = make_cert(workdir)
        coffer = Coffer(a.coffer, workdir, cert, key)
        fx = setup_coffer(coffer, workdir)
        log(f"  coffer pid {coffer.proc.pid} at {coffer.url} and {coffer.tls_url}; "
            f"KV response {fx['kv_bytes']} bytes; token has {FILLER_POLICIES + 1} policies")
        nginx = Nginx(workdir, fx["kv_bytes"], cert, key)
        log(f"  nginx pid {nginx.proc.pid} at {nginx.url} and {nginx.tls_url}, "
            f"body {fx['kv_bytes']} bytes")
        tok_h = (f"X-Vault-Token: {fx['token']}",)
        kv_path = "/v1/secret/data/bench/read"
        npid, cpid = nginx.proc.pid, coffer.proc.pid

        # -- the ceilings
        log("\n== disk: write + fdatasync of a read's audit lines, on the server core")
        R["disk_sync"] = {"sync": suite.repeat(lambda: sync_probe(workdir), "sync probe",
                                               ["sync_wall_us", "sync_wall_p99_us",
                                                "sync_cpu_us"])}
        log("\n== nginx ceiling (plain HTTP)")
        if {"kv_read", "kv_write", "approle_login"} & set(wanted):
            R["nginx"] = suite.closed_and_fixed(nginx.url + kv_path, npid)
        if "conn_10k" in wanted:
            log("== nginx ceiling: 10,000 connections")
            R["nginx_conn_10k"] = {"c10k": suite.repeat(
                lambda: h2load_c10k(nginx.url + kv_path, a.duration, a.c10k_interval, npid,
                                    workdir),
                "h2load c10k", ["rps", "succeeded", "peak_conns", "p50_ms", "p99_ms",
                                "cpu_pct"])}
        if "tls_kv_read" in wanted:
            log("== nginx ceiling (TLS 1.3)")
            R["nginx_tls"] = suite.closed_and_fixed(nginx.tls_url + kv_path, npid)

        def scenario(name, fn):
            log(f"\n== {name}")
            try:
                R[name] = fn()
            except Exception as e:  # report and go on with the other scenarios
                suite.failures.append(f"{name}: {e}")
                log(f"   FAILED: {e}")
                if not coffer.proc.alive():
                    raise RuntimeError(f"coffer died:\n{coffer.proc.log_tail()}")

        for audit in (True, False):
            sfx = "" if audit else "_noaudit"
            coffer.audit(audit)
            log(f"\n##### audit device {'ON (file, default durability)' if audit else 'OFF'}")
            if "kv_read" in wanted:
                scenario("kv_read" + sfx, lambda: suite.closed_and_fixed(
                    coffer.url + kv_path, cpid, headers=tok_h))
            if "kv_write" in wanted:
                scenario("kv_write" + sfx, lambda: suite.closed_and_fixed(
                    coffer.url + "/", cpid, fixed=False, script=os.path.join(HERE, "post.lua"),
                    env={"BENCH_BODY_FILE": fx["write_body"],
                         "BENCH_PATH": "/v1/secret/data/bench/w/%d", "BENCH_KEYS": "1000",
                         "BENCH_TOKEN": fx["token"]}))
            if "approle_login" in wanted:
                for ttype in ("service", "batch"):
                    scenario(f"approle_login_{ttype}" + sfx, lambda: suite.closed_and_fixed(
                        coffer.url + "/", cpid, fixed=False,
                        script=os.path.join(HERE, "post.lua"),
                        env={"BENCH_BODY_FILE": fx["logins"][ttype],
                             "BENCH_PATH": "/v1/auth/approle/login", "BENCH_TOKEN": ""}))
            if "conn_10k" in wanted:
                scenario("conn_10k" + sfx, lambda: {"c10k": suite.repeat(
                    lambda: h2load_c10k(coffer.url + kv_path, a.duration, a.c10k_interval, cpid, workdir,
                                        headers=tok_h),
                    "h2load c10k", ["rps", "succeeded", "peak_conns", "p50_ms", "p99_ms",
                                    "cpu_pct"])})
            if "tls_kv_read" in wanted:
                def tls():
                    out = suite.closed_and_fixed(coffer.tls_url + kv_path, cpid, headers=tok_h)
                    protos = {r.get("tls") for r in out["rate"]}
                    log(f"    negotiated: {', '.join(sorted(p or '?' for p in protos))}")
                    return out
                scenario("tls_kv_read" + sfx, tls)
    finally:
        for p in (nginx, coffer):
            if p is not None:
                p.proc.stop()
        if coffer is not None and coffer.proc.proc.returncode not in (0, None):
            log(f"  note: coffer exited with {coffer.proc.proc.returncode}")
        if a.keep:
            log(f"  kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    # -- summary: one line per scenario, audit on and off
    log("\n== summary (median of runs; ratio_nginx = coffer rps / nginx rps; "
        "cpu_pct = server core busy %, load_cpu_pct = load generator's)")
    ng, ngt = R.get("nginx", {}), R.get("nginx_tls", {})
    if ng:
        log(summary_line("nginx", ng, None))
    if "nginx_conn_10k" in R:
        log(summary_line("nginx_conn_10k", R["nginx_conn_10k"], None))
    if ngt:
        log(summary_line("nginx_tls", ngt, None))
    if "disk_sync" in R:
        log(summary_line("disk_sync", R["disk_sync"], None))
    for base in ("kv_read", "kv_write", "approle_login_service", "approle_login_batch",
                 "conn_10k", "tls_kv_read"):
        for sfx in ("", "_noaudit"):
            name = base + sfx
            if name not in R:
                continue
            ceil = ngt if base.startswith("tls") else ng
            if base == "conn_10k":
                ceil = R.get("nginx_conn_10k", {})
            log(summary_line(name, R[name], ceil, ceil.get("rate")))
    for f in suite.failures:
        log(f"FAILED {f}")
    return 1 if suite.failures else 0


if __name__ == "__main__":
    sys.exit(main())
