"""Process hardening: memory is locked unless disable_mlock, core dumps are off."""
from harness import CofferServer


def _proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def _kib(value):
    return int(value.split()[0])


def test_memory_is_locked_unless_disable_mlock(tmp_path):
    (tmp_path / "locked").mkdir()
    s = CofferServer(tmp_path / "locked")
    s.write_config_original = s.write_config

    def write_without_disable_mlock():
        s.write_config_original()
        with open(s.config_path) as f:
            text = f.read().replace("disable_mlock = true\n", "")
        with open(s.config_path, "w") as f:
            f.write(text)
    s.write_config = write_without_disable_mlock
    s.start()
    try:
        status = _proc_status(s.proc.pid)
        # mlockall(MCL_FUTURE | MCL_ONFAULT): everything resident is locked.
        assert _kib(status["VmLck"]) > 1024, status["VmLck"]
        assert _kib(status["VmLck"]) >= _kib(status["VmRSS"]) // 2
    finally:
        s.stop()

    (tmp_path / "unlocked").mkdir()
    s2 = CofferServer(tmp_path / "unlocked").start()
    try:
        status = _proc_status(s2.proc.pid)
        assert _kib(status["VmLck"]) < _kib(status["VmRSS"]) // 2
    finally:
        s2.stop()


def test_core_dumps_are_disabled(server):
    with open(f"/proc/{server.proc.pid}/limits") as f:
        limits = f.read()
    core_line = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core_line.split()[4:6] == ["0", "0"], core_line
