"""Tests that need a real PostgreSQL or Redis: skipped with a reason where the service is missing.

On a laptop with nothing but Python, ``make test`` passes and pytest reports
why these were skipped. CI sets ``KB_REQUIRE_SERVICES=1`` (``.ci/run``), where a
missing service fails the test instead, and where no test may be skipped at all
(see ``pytest_sessionfinish`` in conftest.py).

The processes this module starts (a Redis, the site under gunicorn: the fault tests,
``make faults`` and ``make bench``) never outlive what started them, however it ends:

* the owner stops them in a ``finally`` (``with RedisServer().start() as redis:``, or a
  fixture's teardown), which runs when a test fails or is interrupted; ``stop()`` ends the
  whole process group (gunicorn's workers too) and kills what does not end within its timeout;
* what is still running when the interpreter exits (a script stopped with Ctrl-C, a test that
  forgot to stop one) is stopped by an ``atexit`` hook;
* on Linux, a process is started with a parent-death signal: if the process that started it
  dies without cleaning up (killed, or a CI timeout's SIGTERM), the kernel sends it SIGTERM.
  The signal follows the *thread* that started the process, so start them from the main thread.
"""

import atexit
import contextlib
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


def wait_for_port(port, seconds=30, up=True, process=None):
    """Wait until something listens on ``port`` (or, with ``up=False``, nothing does); with
    ``process``, give up as soon as that process has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if up and process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before port {port} came up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'}")


_RUNNING = set()  # processes started by spawn() and not stopped yet


# Run by the child between fork and the real program: ask for SIGTERM when the parent dies
# (prctl PR_SET_PDEATHSIG, kept across exec), and give up if the parent is already gone.
_LAUNCHER = """
import ctypes, os, signal, sys
ctypes.CDLL(None).prctl(1, signal.SIGTERM)
if os.getppid() != int(sys.argv[1]):
    sys.exit("parent gone before start")
os.execvp(sys.argv[2], sys.argv[2:])
"""


def spawn(command, **kwargs):
    """Start ``command`` in a process group of its own, to be ended by ``stop_process``.

    On Linux it goes through ``_LAUNCHER``, so it receives SIGTERM when this process dies.
    """
    if sys.platform.startswith("linux"):
        command = [sys.executable, "-c", _LAUNCHER, str(os.getpid()), *command]
    process = subprocess.Popen(command, start_new_session=True, **kwargs)
    _RUNNING.add(process)
    return process


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(process.pid, signum)


def stop_process(process, timeout=30):
    """End ``process`` and everything in its process group (gunicorn's workers): SIGCONT (it may
    be frozen) and SIGTERM, then SIGKILL to what is left after ``timeout`` seconds."""
    try:
        if process.poll() is None:
            _signal_group(process, signal.SIGCONT)
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
    finally:
        _signal_group(process, signal.SIGKILL)  # a worker that outlived its master, if any
        _RUNNING.discard(process)


@atexit.register
def _stop_everything_left():
    for process in list(_RUNNING):
        stop_process(process, timeout=5)


class RedisServer:
    """A redis-server on a free port, no persistence, which its owner may stop, freeze or restart.

    ``with RedisServer().start() as redis:`` stops it however the block ends.
    """

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        arguments = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = spawn([REDIS_SERVER, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(self.port, seconds=10, process=self.process)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        if self.process:
            stop_process(self.process, timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def freeze(self):
        """Stop answering (SIGSTOP): connections open, replies never come, as with a hung server."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


def redis_available():
    return os.path.exists(REDIS_SERVER)


def require_redis_server():
    """Skip (or, in CI, fail) the test unless redis-server is installed."""
    if not redis_available():
        reason = "redis-server is not installed (apt-get install -y redis-server); fault tests need their own"
        if services_required():
            pytest.fail(f"{reason} (required: KB_REQUIRE_SERVICES=1)")
        pytest.skip(reason)


class ThrowawayRedis(RedisServer):
    """A test's own Redis, started; skipped with a reason (failed in CI) without the binary."""

    def __init__(self):
        require_redis_server()
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
    """The site under gunicorn on ``port``; its output to ``log`` (a path) or nowhere.

    ``with Gunicorn(env, port).start() as site:`` stops it, workers included, however the block ends.
    """

    def __init__(self, env, port, log=None):
        self.env, self.port, self.log = env, port, log
        self.process = None

    def start(self, **overrides):
        command = [str(BIN / "gunicorn"), "kb.wsgi", "--config", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        env = {**self.env, **overrides}
        with open(self.log or os.devnull, "ab") as output:  # gunicorn holds its own copy
            self.process = spawn(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_for_port(self.port, process=self.process)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        if self.process:
            stop_process(self.process, timeout=30)
            wait_for_port(self.port, up=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def workers(self):
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return {int(pid) for pid in out.stdout.split()}
