"""Tests that need a real PostgreSQL or Redis: skipped with a reason where the service is missing.

On a laptop with nothing but Python, ``make test`` passes and pytest reports
why these were skipped. CI sets ``KB_REQUIRE_SERVICES=1`` (``.ci/run``), where a
missing service fails the test instead, and where no test may be skipped at all
(see ``pytest_sessionfinish`` in conftest.py).
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

POSTGRES_URL = os.environ.get("KB_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KB_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def services_required():
    return os.environ.get("KB_REQUIRE_SERVICES") == "1"


def require_service(name, host, port):
    """Skip (or, in CI, fail) unless something answers on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return
    except OSError as exc:
        reason = f"{name} is not reachable at {host}:{port} ({exc}); start it to run this test"
    if services_required():
        pytest.fail(f"{reason} (required: KB_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A redis-server of the test's own on a free port, which the test may stop, freeze or restart."""

    def __init__(self):
        if not os.path.exists(REDIS_SERVER):
            reason = (
                "redis-server is not installed (apt-get install -y redis-server); fault tests need their own"
            )
            if services_required():
                pytest.fail(f"{reason} (required: KB_REQUIRE_SERVICES=1)")
            pytest.skip(reason)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self):
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
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self):
        """Stop answering (SIGSTOP): connections open, replies never come, as with a hung server."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)
