"""Real PostgreSQL and MariaDB servers for the database engine's tests.

Each server lives in its own work dir, listens only on 127.0.0.1 on a free
port (plus a unix socket in the work dir), and is started and stopped by
pid with bounded waits. stop() then start() reuses the data dir, so a test
can take the database down to simulate an outage and bring it back.

The harness's own admin queries go over the unix socket (trust auth on
PostgreSQL, root on MariaDB), so they keep working after coffer rotates
coffer_admin's password.
"""
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time

import psycopg2
import pymysql

from harness import free_port

PG_BIN = os.environ.get("COFFER_PG_BIN", "/usr/lib/postgresql/15/bin")
MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
MARIADB_INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
MARIADB_CLIENT = shutil.which("mariadb") or "/usr/bin/mariadb"
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
ADMIN_USER = "coffer_admin"


def _random_password():
    # Letters and digits only: safe unquoted in URLs, DSNs and shells.
    return "A1" + secrets.token_hex(12)


def _tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop_process(proc, sig):
    """Signal exactly `proc` and wait boundedly; SIGKILL if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.kill(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=STOP_TIMEOUT)


class _Server:
    """What both servers share: the work dir, a free port, the admin
    credentials and the server process, started and stopped by pid with
    bounded waits.

    A subclass sets `name` (its log file and messages), `driver_error` (its
    client library's base exception) and `stop_signal`, and provides
    `_prepare()` (make the data dir; returns whether it is new), `_spawn(log)`
    (start the server writing to `log`), `admin_query()` and `connect()`.
    """

    host = "127.0.0.1"
    name = None
    driver_error = Exception
    stop_signal = signal.SIGTERM

    def __init__(self, workdir):
        self.workdir = os.path.abspath(str(workdir))
        self.data_dir = os.path.join(self.workdir, "data")
        self.log_path = os.path.join(self.workdir, f"{self.name}.log")
        self.port = free_port()
        self.admin_user = ADMIN_USER
        self.admin_password = _random_password()
        self.proc = None

    # -- lifecycle -----------------------------------------------------------

    def start(self):
        if self.proc is not None and self.proc.poll() is None:
            return self
        first = self._prepare()
        log = open(self.log_path, "ab")
        try:
            self.proc = self._spawn(log)
        finally:
            log.close()
        self._wait_ready()
        if first:
            self._first_start()
        return self

    def _first_start(self):
        """Runs once the server first answers on a new data dir."""

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n"
                                   f"{_tail(self.log_path)}")
            try:
                self.admin_query("SELECT 1")
                return
            except self.driver_error as e:
                last = e
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {READY_TIMEOUT}s: {last}\n"
                           f"{_tail(self.log_path)}")

    def stop(self):
        _stop_process(self.proc, self.stop_signal)
        self.proc = None

    # -- access --------------------------------------------------------------

    def can_login(self, user, password):
        try:
            conn = self.connect(user, password)
        except self.driver_error:
            return False
        conn.close()
        return True


class PostgresServer(_Server):
    """A PostgreSQL 15 cluster; superuser coffer_admin with a random password.

    As root the cluster runs as the `postgres` OS user (PostgreSQL refuses to
    run as root), so the work dir's parents are made traversable for it.
    """

    name = "postgres"
    driver_error = psycopg2.Error
    # SIGINT is PostgreSQL's "fast" shutdown: it disconnects clients, where
    # SIGTERM ("smart") would wait for the test's open sessions.
    stop_signal = signal.SIGINT
    database = "postgres"

    def __init__(self, workdir):
        super().__init__(workdir)
        self.socket_dir = os.path.join(self.workdir, "sock")
        self._run_as = "postgres" if os.geteuid() == 0 else None

    # -- lifecycle -----------------------------------------------------------

    def _prepare(self):
        self._prepare_dirs()
        if os.path.exists(os.path.join(self.data_dir, "PG_VERSION")):
            return False
        self._initdb()
        return True

    def _prepare_dirs(self):
        os.makedirs(self.workdir, exist_ok=True)
        os.makedirs(self.socket_dir, exist_ok=True)
        if self._run_as is None:
            return
        pw = pwd.getpwnam(self._run_as)
        # Every parent must be searchable by the postgres user; pytest's
        # tmp dirs are 0700 root. Add only o+x, nothing readable.
        path = self.workdir
        while True:
            st = os.stat(path)
            if not st.st_mode & 0o001:
                os.chmod(path, st.st_mode | 0o001)
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
        for d in (self.workdir, self.socket_dir):
            os.chown(d, pw.pw_uid, pw.pw_gid)

    def _identity(self):
        """Popen kwargs that drop to the postgres user: uid, gid and no
        supplementary groups (keeping root's gid would apply the `---` group
        bits of pytest's root-owned dirs)."""
        if self._run_as is None:
            return {}
        pw = pwd.getpwnam(self._run_as)
        return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}

    def _run(self, args):
        return subprocess.run(args, cwd=self.workdir, capture_output=True, text=True,
                              timeout=120, **self._identity())

    def _initdb(self):
        pwfile = os.path.join(self.workdir, "pwfile")
        with open(pwfile, "w") as f:
            f.write(self.admin_password + "\n")
        if self._run_as:
            pw = pwd.getpwnam(self._run_as)
            os.chown(pwfile, pw.pw_uid, pw.pw_gid)
        os.chmod(pwfile, 0o600)
        # coffer_admin is the bootstrap superuser: password auth over TCP,
        # trust over the socket (which only the harness uses).
        r = self._run([os.path.join(PG_BIN, "initdb"), "-D", self.data_dir, "-U", self.admin_user,
                       f"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=trust",
                       "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"])
        os.unlink(pwfile)
        if r.returncode != 0:
            raise RuntimeError(f"initdb failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")

    def _spawn(self, log):
        args = [os.path.join(PG_BIN, "postgres"), "-D", self.data_dir, "-p", str(self.port),
                "-k", self.socket_dir, "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=50", "-c", "shared_buffers=16MB"]
        return subprocess.Popen(args, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, **self._identity())

    # -- access --------------------------------------------------------------

    def connection_url(self):
        return (f"postgresql://{{{{username}}}}:{{{{password}}}}@{self.host}:{self.port}"
                f"/{self.database}?sslmode=disable")

    def connect(self, user, password, dbname=None):
        """A psycopg2 connection over TCP with password auth; raises on failure."""
        return psycopg2.connect(host=self.host, port=self.port, user=user, password=password,
                                dbname=dbname or self.database, sslmode="disable",
                                connect_timeout=5)

    def admin_query(self, sql, params=None):
        """Runs `sql` as coffer_admin over the socket (autocommit); returns rows."""
        conn = psycopg2.connect(host=self.socket_dir, port=self.port, user=self.admin_user,
                                dbname=self.database, connect_timeout=5)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall() if cur.description is not None else []
        finally:
            conn.close()

    def role_exists(self, name):
        return bool(self.admin_query("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)))

    def sessions_of(self, name):
        """Number of live backends logged in as `name`."""
        return self.admin_query("SELECT count(*) FROM pg_stat_activity WHERE usename = %s",
                                (name,))[0][0]


class MariaDBServer(_Server):
    """A MariaDB 10.11 server; coffer_admin@'%' has ALL PRIVILEGES WITH GRANT OPTION."""

    name = "mariadb"
    driver_error = pymysql.Error
    stop_signal = signal.SIGTERM
    database = ""

    def __init__(self, workdir):
        super().__init__(workdir)
        self.socket_path = os.path.join(self.workdir, "mariadb.sock")
        self.pid_path = os.path.join(self.workdir, "mariadb.pid")
        self._is_root = os.geteuid() == 0

    # -- lifecycle -----------------------------------------------------------

    def _user_args(self):
        return ["--user=root"] if self._is_root else []

    def _install_db(self):
        args = [MARIADB_INSTALL_DB, "--no-defaults", f"--datadir={self.data_dir}",
                "--auth-root-authentication-method=normal", "--skip-test-db",
                "--skip-name-resolve"] + self._user_args()
        r = subprocess.run(args, cwd=self.workdir, capture_output=True, text=True, timeout=180)
        if r.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed ({r.returncode}):\n"
                               f"{r.stdout}\n{r.stderr}")

    def _prepare(self):
        os.makedirs(self.workdir, exist_ok=True)
        if os.path.isdir(os.path.join(self.data_dir, "mysql")):
            return False
        self._install_db()
        return True

    def _spawn(self, log):
        args = [MARIADBD, "--no-defaults", f"--datadir={self.data_dir}",
                f"--socket={self.socket_path}", f"--port={self.port}",
                "--bind-address=127.0.0.1", f"--pid-file={self.pid_path}",
                f"--log-error={self.log_path}", "--skip-name-resolve", "--skip-log-bin",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
                "--innodb-flush-log-at-trx-commit=0", "--skip-innodb-doublewrite",
                "--max-connections=100"] + self._user_args()
        return subprocess.Popen(args, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log)

    def _first_start(self):
        p = self.admin_password
        self.admin_query(f"CREATE USER '{self.admin_user}'@'%' IDENTIFIED BY '{p}'")
        self.admin_query(f"GRANT ALL PRIVILEGES ON *.* TO '{self.admin_user}'@'%' "
                         "WITH GRANT OPTION")

    # -- access --------------------------------------------------------------

    def connection_url(self):
        return f"{{{{username}}}}:{{{{password}}}}@tcp({self.host}:{self.port})/"

    def connect(self, user, password):
        """A pymysql connection over TCP; raises on failure."""
        return pymysql.connect(host=self.host, port=self.port, user=user, password=password,
                               connect_timeout=5, autocommit=True)

    def cli_login(self, user, password):
        """Logs in with the `mariadb` command-line client over TCP."""
        r = subprocess.run([MARIADB_CLIENT, "--no-defaults", f"-h{self.host}", f"-P{self.port}",
                            "--protocol=TCP", f"-u{user}", f"-p{password}", "-e", "SELECT 1"],
                           capture_output=True, text=True, timeout=30)
        return r.returncode == 0

    def admin_query(self, sql, params=None):
        """Runs `sql` as root over the socket (autocommit); returns rows."""
        conn = pymysql.connect(unix_socket=self.socket_path, user="root", password="",
                               connect_timeout=5, autocommit=True)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    def user_exists(self, name):
        return bool(self.admin_query("SELECT 1 FROM mysql.user WHERE User = %s", (name,)))

    def sessions_of(self, name):
        """Number of live connections logged in as `name`."""
        return self.admin_query(
            "SELECT count(*) FROM information_schema.PROCESSLIST WHERE USER = %s", (name,))[0][0]
