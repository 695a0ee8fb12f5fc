"""A real PostgreSQL server for the tests: Debian's postgresql package (scripts/setup.sh installs it), a
cluster made by initdb in a temporary folder, listening on 127.0.0.1 only, run as an unprivileged user (the
`postgres` account when the tests run as root, as CI does), stopped when the test session ends.

One server serves the whole session; each test gets a fresh database, copied from a template that already
holds the migrated schema (CREATE DATABASE … TEMPLATE: a few milliseconds with fsync off).
"""
from __future__ import annotations

import glob
import itertools
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = "dxdesk_template"

# Stops the server when the test process ends without its session teardown (killed by a timeout, a mutation
# run, Ctrl-C twice): no server is left running in /tmp. It runs in its own session, so the signal that ended
# pytest does not end it too.
WATCHDOG = """
import json, os, shutil, subprocess, sys, time
parent, stop, data, folder = json.loads(sys.argv[1])
while os.path.isdir(data):
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)
        break
    except PermissionError:
        pass
    time.sleep(1)
"""


def bindir() -> Path | None:
    """Where initdb and pg_ctl are (Debian keeps them out of PATH), newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        self.bin = bindir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL (initdb) がありません: scripts/setup.sh を実行してください")
        self.folder = Path(tempfile.mkdtemp(prefix="dxdesk-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.user = "postgres"
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            self._as = ["runuser", "-u", "postgres", "--"]
            os.chmod(self.folder, 0o755)
            pw = pwd.getpwnam("postgres")
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd=self.folder)

    def start(self) -> "PgServer":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust",
                  "--no-locale", "-E", "UTF8", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='{self.folder}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options,
                  "-w", "-t", "60", "start")
        stop = [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        subprocess.Popen([sys.executable, "-c", WATCHDOG, json.dumps([os.getpid(), stop, str(self.data),
                                                                       str(self.folder)])],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
        self._make_template()
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self):
        import psycopg
        return psycopg.connect(self.url(), autocommit=True)

    def _make_template(self) -> None:
        from dxdesk.store import db
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        db.connect_database(self.url(TEMPLATE)).close()  # the schema, migrated once

    def fresh_database(self) -> str:
        """A new database holding the migrated schema and nothing else; its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def copy_database(self, url: str) -> str:
        """A new database holding what the database at `url` holds (nobody may be connected to it); its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {url.rsplit('/', 1)[1]}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wait_until(check, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return False
