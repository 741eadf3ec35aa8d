"""The site survives its dependencies failing: a Redis that stops, hangs or comes back; a database
that refuses; a gunicorn worker that is killed. The Redis tests use a redis-server of their own
(tests/services.py), the database tests make every connection refuse."""

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import redis as redis_py
from django.db import OperationalError, connection

from articles import cache as kb_cache
from articles import pagecache
from tests.conftest import TEST_KB
from tests.services import (
    ROOT,
    Gunicorn,
    ThrowawayRedis,
    free_port,
    prepare_site,
    require_redis_server,
    site_environment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server():
    with ThrowawayRedis() as server:  # stopped however the test ends
        yield server


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site on the throwaway Redis, with the page cache and cached sessions on."""
    settings.CACHES = {
        "default": {
            "BACKEND": "articles.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "kb-fault-test",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHE_RETRY_SECONDS = 0.3
    kb_cache.OUTAGE.since = None
    pagecache._latest["version"] = None
    yield redis_server
    kb_cache.OUTAGE.since = None


def outage_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "kb.cache"]


def test_pages_are_stored_in_redis_and_served_when_it_stops(client, redis_cache, caplog):
    caplog.set_level(logging.WARNING, logger="kb.cache")
    assert client.get("/cases/").status_code == 200
    stored = redis_py.Redis.from_url(redis_cache.url).keys("kb-fault-test:*page:*")
    assert stored  # the page went to Redis
    redis_cache.stop()
    for url in ("/cases/", "/faq/", "/cases/openai-gpt3/", "/cases/", "/api/cases/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "OpenAI与GPT-3" in client.get("/cases/").content.decode()
    lines = outage_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("Cache unavailable (ConnectionError")
    # Redis comes back: pages go to it again, and the return is logged once.
    redis_cache.start()
    time.sleep(0.4)  # past CACHE_RETRY_SECONDS
    assert client.get("/faq/").status_code == 200
    assert client.get("/advice/").status_code == 200
    lines = outage_lines(caplog)
    assert len(lines) == 2 and "answering again" in lines[1]  # logged once, after the first line
    assert redis_py.Redis.from_url(redis_cache.url).keys("kb-fault-test:*page:*")


def test_a_hung_redis_costs_one_short_timeout(client, redis_cache, caplog):
    caplog.set_level(logging.WARNING, logger="kb.cache")
    assert client.get("/cases/").status_code == 200
    redis_cache.freeze()
    try:
        started = time.monotonic()
        for _ in range(10):
            assert client.get("/cases/").status_code == 200
        elapsed = time.monotonic() - started
    finally:
        redis_cache.thaw()
    # One 0.25 s timeout, then the cache is skipped; a hang without timeouts would never return.
    assert elapsed < 5, elapsed
    assert len(outage_lines(caplog)) == 1 and "TimeoutError" in outage_lines(caplog)[0]


def test_admin_sign_in_works_without_redis(client, redis_cache, django_user_model):
    django_user_model.objects.create_user("editor", password="a-long-test-password", is_staff=True)
    redis_cache.stop()
    response = client.post("/admin/login/", {"username": "editor", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200  # the session was read back from the database


def test_health_reports_the_cache(client, redis_cache):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    redis_cache.stop()
    response = client.get("/healthz")
    assert response.status_code == 200  # readers are still served
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down"}


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused (test)")

    def down():
        monkeypatch.setattr(connection, "cursor", refuse)

    return down


def test_database_down_serves_cached_pages_and_503_otherwise(client, settings, database_down, caplog):
    settings.PAGE_CACHE_ENABLED = True
    pagecache._latest["version"] = None
    fresh = client.get("/cases/")
    assert fresh.status_code == 200
    database_down()
    stale = client.get("/cases/")
    assert stale.status_code == 200
    assert stale.content == fresh.content and stale["X-KB-Stale"] == "database-unavailable"
    assert "max-age=30" in stale["Cache-Control"]
    page = client.get("/faq/")
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    html = page.content.decode()
    assert "暂时无法访问" in html and 'class="site-header"' in html and "Traceback" not in html
    api = client.get("/api/faq/")
    assert api.status_code == 503 and api.json()["detail"].startswith("知识库暂时无法连接数据库")
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "down", "cache": "not configured"}
    assert len([r for r in caplog.records if r.name == "kb.database"]) == 1  # once, not per request


def test_cached_pages_outlive_the_worker_that_stored_them(client, redis_cache, database_down):
    """A new worker (no version in memory) finds the last version in the shared cache."""
    fresh = client.get("/cases/")
    pagecache._latest["version"] = None
    database_down()
    stale = client.get("/cases/")
    assert stale.status_code == 200 and stale.content == fresh.content


# -- A gunicorn worker killed mid-flight ----------------------------------------------------------------


def _get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_replaced_and_requests_go_on(tmp_path):
    env = site_environment(
        f"sqlite:///{tmp_path / 'site.sqlite3'}", DJANGO_STATIC_ROOT=str(tmp_path / "static")
    )
    prepare_site(env, fixtures=TEST_KB)
    with Gunicorn(env, free_port()).start() as site:  # stopped, workers too, however the test ends
        base = f"http://127.0.0.1:{site.port}"
        assert _get(base + "/healthz") == 200
        before = site.workers()
        assert len(before) == 2
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while len(site.workers() - {victim}) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        after = site.workers()
        assert victim not in after and len(after) == 2  # the master started a new worker
        assert [_get(base + url) for url in ("/", "/cases/", "/faq/") * 5] == [200] * 15


# -- A test that ends badly leaves no server behind -----------------------------------------------------

# Run by an inner pytest: it starts a Redis and the site under gunicorn as the tests above do, writes
# their process ids (gunicorn's workers too), and ends as ``KB_ENDING`` says.
INNER_TEST = """
import os, signal, time
from pathlib import Path

from tests.services import Gunicorn, RedisServer, free_port, site_environment


def test_ends_badly(tmp_path):
    env = site_environment(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    with RedisServer().start() as redis, Gunicorn(env, free_port()).start() as site:
        deadline = time.monotonic() + 30
        while len(site.workers()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        pids = [redis.process.pid, site.process.pid, *site.workers()]
        Path(os.environ["KB_PIDS"]).write_text(" ".join(map(str, pids)))
        ending = os.environ["KB_ENDING"]
        if ending == "fails":
            assert False, "the test body fails"
        if ending == "interrupted":
            raise KeyboardInterrupt  # Ctrl-C
        os.kill(os.getpid(), signal.SIGTERM if ending == "terminated" else signal.SIGKILL)
        time.sleep(30)
"""


def running(pid):
    """Whether ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    ("ending", "exit_code"),
    [
        ("fails", pytest.ExitCode.TESTS_FAILED),
        ("interrupted", pytest.ExitCode.INTERRUPTED),
        ("terminated", -signal.SIGTERM),  # as a CI job's timeout does
        ("killed", -signal.SIGKILL),
    ],
)
def test_a_test_that_ends_badly_leaves_no_server_behind(tmp_path, ending, exit_code):
    require_redis_server()
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    pids_file = tmp_path / "pids"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env.update(PYTHONPATH=str(ROOT), KB_PIDS=str(pids_file), KB_ENDING=ending)
    inner = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django", "test_inner.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert inner.returncode == exit_code, inner.stdout[-2000:] + inner.stderr[-2000:]
    pids = [int(pid) for pid in pids_file.read_text().split()]
    assert len(pids) == 4  # Redis, gunicorn's master and its two workers
    deadline = time.monotonic() + 15
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in pids if running(pid)] == []
