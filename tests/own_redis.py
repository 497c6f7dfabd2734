"""A redis-server of a test module's own (not CI's shared one on 6379), which its tests can stop,
pause (a hung host: connections open, no answers), resume and restart from a snapshot.

A module imports `own_redis_fixture` and its tests ask for `own_redis`. Each test calls
`healthy()` before it starts and after it ends, so that a server left stopped or paused by one
test is running and empty for the next."""

from __future__ import annotations

import os
import runpy
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.conf import settings

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class OwnRedis:
    port: int
    directory: Path
    process: subprocess.Popen | None = None
    paused: bool = False

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def portal_settings(self) -> dict:
        """The portal's settings as settings.py makes them with the cache (CACHE_URL, database
        0) and the Celery broker (CELERY_BROKER_URL, database 1) on this Redis."""
        urls = {
            "CACHE_URL": f"rediscache://127.0.0.1:{self.port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.port}/1",
        }
        with mock.patch.dict(os.environ, urls):
            return runpy.run_path(str(Path(settings.BASE_DIR, "redbridge_portal", "settings.py")))

    def start(self) -> None:
        """Start Redis, loading the last snapshot saved in its directory if there is one."""
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.directory),
                "--dbfilename",
                "snapshot.rdb",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                # It exited: most likely the port is taken.
                self.process = None
                raise OSError(f"redis-server could not start on port {self.port}")
            try:
                # Another test run's Redis may hold the port for the moment ours takes to give
                # up: only a server with our process id is ours to flush and pause.
                if self.client().info("server")["process_id"] == self.process.pid:
                    return
            except redis.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise OSError(f"redis-server did not answer on port {self.port}")
            time.sleep(0.05)

    def kill(self) -> None:
        """Stop Redis at once, as a crash would: nothing is saved on the way down."""
        if self.process is None:
            return
        if self.paused:
            self.resume()
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.paused = False

    def snapshot(self) -> None:
        self.client().save()

    def restart(self) -> None:
        """Kill it and start it again from the last snapshot (a restore, or a lagging replica)."""
        self.kill()
        self.start()

    def healthy(self) -> None:
        """Running, answering and empty, whatever the last test left."""
        if self.process is not None and self.paused:
            self.resume()
        if self.process is None:
            snapshot = self.directory / "snapshot.rdb"
            snapshot.unlink(missing_ok=True)
            self.start()
        self.client().flushall()


@pytest.fixture(scope="module", name="own_redis")
def own_redis_fixture(tmp_path_factory):
    """One redis-server for the module's tests, on a port free when it starts (another
    process may take a free port before Redis binds it: then it tries another)."""
    directory = tmp_path_factory.mktemp("redis")
    for _attempt in range(5):
        server = OwnRedis(port=free_port(), directory=directory)
        try:
            server.start()
        except OSError:
            continue
        break
    else:
        pytest.fail("redis-server would not start on any of five free ports")
    yield server
    server.kill()
