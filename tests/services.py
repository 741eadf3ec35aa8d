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
import sys
import time
from pathlib import Path

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
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtualenv's python, gunicorn


# -- Processes of our own: a Redis and the site under gunicorn (fault tests and bench/faults.py) --


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, seconds=30, up=True):
    """Wait until something listens on ``port`` (or, with ``up=False``, nothing does)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'}")


class RedisServer:
    """A redis-server on a free port, no persistence, which its owner may stop, freeze or restart."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        arguments = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [REDIS_SERVER, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port(self.port, seconds=10)
        return self

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


def redis_available():
    return os.path.exists(REDIS_SERVER)


class ThrowawayRedis(RedisServer):
    """A test's own Redis, started; skipped with a reason (failed in CI) without the binary."""

    def __init__(self):
        if not redis_available():
            reason = (
                "redis-server is not installed (apt-get install -y redis-server); fault tests need their own"
            )
            if services_required():
                pytest.fail(f"{reason} (required: KB_REQUIRE_SERVICES=1)")
            pytest.skip(reason)
        super().__init__()
        self.start()


def site_environment(database_url, **overrides):
    """The environment of a throwaway copy of the site: production settings on plain HTTP, two
    workers, none of this shell's Django, gunicorn or cache settings."""
    inherited = ("DJANGO_", "GUNICORN_", "REDIS_URL", "CACHE_URL", "PAGE_CACHE")
    env = {key: value for key, value in os.environ.items() if not key.startswith(inherited)}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="kb.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="throwaway-site-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESS_LOG="",
    )
    env.update(overrides)
    return env


def manage(env, *args):
    """Run ``manage.py`` for the throwaway site; seconds taken."""
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.monotonic() - started


def prepare_site(env, fixtures=None):
    """Tables, content (``fixtures``, default the shipped ones) and static files of a throwaway site."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_kb", *([str(fixtures)] if fixtures else []), "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


class Gunicorn:
    """The site under gunicorn on ``port``; its output to ``log`` (a path) or nowhere."""

    def __init__(self, env, port, log=None):
        self.env, self.port, self.log = env, port, log
        self.process = None

    def start(self, **overrides):
        command = [str(BIN / "gunicorn"), "kb.wsgi", "--config", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        env = {**self.env, **overrides}
        with open(self.log or os.devnull, "ab") as output:  # gunicorn holds its own copy
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        wait_for_port(self.port, up=False)

    def workers(self):
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return {int(pid) for pid in out.stdout.split()}
