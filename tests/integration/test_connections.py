"""The listener holds 10,000 concurrent idle keep-alive connections: every
one makes a request, stays open and idle, and answers again afterwards."""
import resource
import selectors
import socket
import time

import requests

from conftest import client_for

N = 10_000
REQUEST = (b"GET /v1/sys/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"Connection: keep-alive\r\n\r\n")


def _raise_nofile(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def _round_trip(socks, deadline_s=120):
    """Sends one request on every socket and waits for each full response."""
    sel = selectors.DefaultSelector()
    pending = {}
    for s in socks:
        s.sendall(REQUEST)
        sel.register(s, selectors.EVENT_READ)
        pending[s] = b""
    done = 0
    deadline = time.monotonic() + deadline_s
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            s = key.fileobj
            chunk = s.recv(65536)
            assert chunk, "server closed an idle keep-alive connection"
            pending[s] += chunk
            buf = pending[s]
            head, sep, body = buf.partition(b"\r\n\r\n")
            if not sep:
                continue
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(body) >= length:
                assert head.startswith(b"HTTP/1.1 "), head[:40]
                sel.unregister(s)
                del pending[s]
                done += 1
    sel.close()
    return done


def test_ten_thousand_idle_keep_alive_connections_are_held(server):
    limit = _raise_nofile(N + 500)
    assert limit >= N + 100, f"test process cannot open {N} sockets (limit {limit})"
    socks = []
    try:
        for _ in range(N):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            s.setblocking(True)
            socks.append(s)
        assert _round_trip(socks) == N
        time.sleep(2)  # all idle
        # The server still answers new clients while holding them all...
        assert client_for(server).sys.read_seal_status()["initialized"] is False
        # ...and every idle connection is still open and served.
        assert _round_trip(socks) == N
    finally:
        for s in socks:
            s.close()
    assert requests.get(server.url + "/v1/sys/seal-status", timeout=10).status_code == 200
