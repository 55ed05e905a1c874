"""Faults made for real: a PostgreSQL server of the test's own that can be frozen, slow clients.

A frozen database is one whose processes are stopped (SIGSTOP) while their
sockets stay open: the kernel still accepts connections and data, nothing
answers. That is what a hung host or a stuck storage volume looks like to a
client, and what timeouts have to bound.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from tests.support import IN_CI, free_port

T = TypeVar("T")


def postgres_bin() -> Path:
    """The newest PostgreSQL server binaries on this machine, or skip (fail in CI)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        message = "initdb and pg_ctl are missing: apt-get install postgresql"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return candidates[-1].parent


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder, on its own port."""

    directory: Path
    port: int

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def processes(self) -> list[int]:
        """The postmaster and every process it started (backends, checkpointer...)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def signal_all(self, signum: signal.Signals) -> None:
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        self.signal_all(signal.SIGSTOP)
        try:
            yield
        finally:
            self.signal_all(signal.SIGCONT)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """Start a throw-away cluster (trust auth, no fsync); stop and delete it afterwards."""
    bin_dir = postgres_bin()
    directory = Path(tempfile.mkdtemp(prefix="stackpick-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    cluster = PrivatePostgres(directory, free_port())
    options = f"-p {cluster.port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    initdb = [str(bin_dir / "initdb"), "-D", str(cluster.data), "-A", "trust", "-U", "postgres"]
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(cluster.data)]
    subprocess.run(_as_postgres([*initdb, "--no-sync"]), check=True, capture_output=True)
    start = [*pg_ctl, "-o", options, "-l", str(directory / "log"), "-w", "start"]
    subprocess.run(_as_postgres(start), check=True, capture_output=True)
    try:
        yield cluster
    finally:
        with contextlib.suppress(FileNotFoundError):
            cluster.signal_all(signal.SIGCONT)
        subprocess.run(_as_postgres([*pg_ctl, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


class HeaderTricklers:
    """Clients that open connections and send their request head one byte at a time."""

    def __init__(self, host: str, port: int, count: int, *, interval: float = 0.5) -> None:
        self.address = (host, port)
        self.count = count
        self.interval = interval
        self.sockets: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> HeaderTricklers:
        for _ in range(self.count):
            connection = socket.create_connection(self.address, timeout=5)
            connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            self.sockets.append(connection)
        self._thread.start()
        return self

    @property
    def connected(self) -> int:
        return len(self.sockets)

    def _trickle(self) -> None:
        while not self._stop.wait(self.interval):
            for connection in self.sockets:
                with contextlib.suppress(OSError):
                    connection.sendall(b"x")

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self.sockets:
            connection.close()


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """Seconds a call took, and what it returned."""
    started = time.monotonic()
    result = call()
    return time.monotonic() - started, result
