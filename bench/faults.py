"""Fault drill (``make faults``): the site under a bounded load while its dependencies fail.

It builds a throwaway copy of the site (SQLite file with the shipped content, in a temporary
folder), starts its own redis-server on a free port (the Redis phases are skipped, with a
message, where the binary is missing) and gunicorn on another, and runs phases:

1. baseline;
2. Redis stopped;
3. Redis started again;
4. Redis hung (SIGSTOP: it accepts connections and never answers), then resumed;
5. the site restarted against a database that refuses connections (same Redis);
6. the site back on its database, and a gunicorn worker killed with SIGKILL mid-load.

Each phase keeps CONCURRENCY clients requesting pages in a loop for PHASE_SECONDS. A client
whose connection is cut retries once (as a reverse proxy does for a GET); only a request that
fails twice counts as dropped. Each phase states the status it expects for every URL: 200
everywhere, except while the database refuses, where a page that is in the page cache is 200
(served as last rendered) and a page that was never cached, or is never cached (the API), is
503. Per phase it prints requests, status counts, retries, drops and the longest response, the
expectations, and the log lines the site wrote about the outage. It exits non-zero on any
response other than the one expected for its URL (so on any 500) and on any dropped request.
"""

import collections
import http.client
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.services import (  # noqa: E402 - the project's helpers for running it in processes
    Gunicorn,
    RedisServer,
    free_port,
    prepare_site,
    redis_available,
    site_environment,
)

CONCURRENCY = 4
PHASE_SECONDS = float(os.environ.get("FAULTS_PHASE_SECONDS", "8"))  # > CACHE_RETRY_SECONDS x 1.5
# Reader pages, requested in every phase: the page cache stores them (with Redis, for every
# worker), so while the database refuses they are served as last rendered.
PAGES = [
    "/",
    "/cases/",
    "/cases/deepseek/",
    "/challenges/",
    "/faq/",
    "/insights/",
    "/cases/?outcome=acquired",
]
# Requested in every phase too, but never in the page cache: search results (any ``q``) and the API.
NOT_PAGE_CACHED = ["/search/?q=%E9%9A%90%E7%A7%81", "/api/cases/?outcome=acquired"]  # q=隐私
# Reader pages first requested while the database refuses: never cached, so 503 then.
NEVER_CACHED = ["/concepts/", "/trends/"]


class Site(Gunicorn):
    """The throwaway site under gunicorn, its log in a file so outage lines can be counted."""

    def mark(self):
        """Later log_lines() calls read what the site logs from now on."""
        self.offset = self.log.stat().st_size if self.log.exists() else 0

    def log_lines(self, *needles):
        with open(self.log, encoding="utf-8", errors="replace") as log:
            log.seek(self.offset)
            return [line.rstrip() for line in log if any(needle in line for needle in needles)]


class Load:
    """CONCURRENCY clients requesting ``urls`` in turn until stopped; results per request."""

    def __init__(self, port, urls):
        self.port, self.urls = port, urls
        self.results = []  # (url, status or "dropped", seconds, retried)
        self.lock = threading.Lock()
        self.running = threading.Event()

    def request(self, url):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            connection.request("GET", url, headers={"Host": f"127.0.0.1:{self.port}"})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def client(self, offset):
        index = offset
        while self.running.is_set():
            url = self.urls[index % len(self.urls)]
            index += 1
            started = time.monotonic()
            retried = False
            try:
                status = self.request(url)
            except (OSError, http.client.HTTPException):
                retried = True
                try:
                    status = self.request(url)
                except (OSError, http.client.HTTPException):
                    status = "dropped"
            with self.lock:
                self.results.append((url, status, time.monotonic() - started, retried))

    def __enter__(self):
        self.running.set()
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CONCURRENCY)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running.clear()
        for thread in self.threads:
            thread.join()


def report(name, load, log_lines, expected):
    """Print a phase's figures; the number of responses that were not what ``expected`` says
    for their URL (a 500 and a dropped request never are)."""
    statuses = collections.Counter(status for _url, status, _s, _r in load.results)
    longest = max((seconds for _url, _st, seconds, _r in load.results), default=0)
    retried = sum(1 for _url, _st, _s, again in load.results if again)
    shown = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str))
    print(f"\n## {name}")
    print(f"requests {len(load.results)}; {shown}; retried after a cut connection {retried}; ", end="")
    print(f"longest {longest:.2f} s")
    by_status = collections.defaultdict(list)
    for url, status in expected.items():
        by_status[status].append(url)
    if len(by_status) > 1:
        for status, urls in sorted(by_status.items()):
            print(f"  expected {status}: {', '.join(urls)}")
    for line in log_lines:
        print(f"  log: {line[-160:]}")
    wrong = collections.Counter(
        (url, status) for url, status, _s, _r in load.results if status != expected[url]
    )
    for (url, status), count in sorted(wrong.items(), key=str):
        print(f"  FAIL: {url}: {status} ×{count}, expected {expected[url]}")
    missing = [url for url in expected if not any(result[0] == url for result in load.results)]
    for url in missing:
        print(f"  FAIL: {url} was never requested")
    return sum(wrong.values()) + len(missing)


def run_phase(site, name, urls, during=None, expected=None):
    """Load ``urls`` for PHASE_SECONDS (``during`` half-way); ``expected`` {url: status}, default 200."""
    site.mark()
    load = Load(site.port, urls)
    with load:
        time.sleep(PHASE_SECONDS / 2)
        if during:
            during()
        time.sleep(PHASE_SECONDS / 2)
    return report(
        name,
        load,
        site.log_lines("Cache unavailable", "Cache answering", "Database unavailable", "Booting worker"),
        expected or dict.fromkeys(urls, 200),
    )


def warm(port, urls, after=0.0):
    """Request each of ``urls`` once, so the page cache holds it; any other answer than 200 fails.

    ``after``: seconds to wait first, so that every worker has tried the cache again after an
    outage (``CACHE_RETRY_SECONDS``) and really stores what it renders.
    """
    time.sleep(after)
    for url in urls:
        status = Load(port, [url]).request(url)
        if status != 200:
            raise SystemExit(f"{url}: {status} while warming the page cache")


def main():
    workdir = Path(tempfile.mkdtemp(prefix="kb-faults-"))
    env = site_environment(
        f"sqlite:///{workdir / 'site.sqlite3'}",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        KB_API_ANON_RATE="1000000/minute",  # the drill is one client; throttling is not under test
    )
    print(f"Building a throwaway site in {workdir} …")
    prepare_site(env)
    redis = RedisServer().start() if redis_available() else None
    if redis:
        env["REDIS_URL"] = redis.url
    else:
        print("redis-server not found (apt-get install -y redis-server): the Redis phases are skipped.")
    site = Site(env, free_port(), workdir / "gunicorn.log")
    port = site.port
    failures = 0
    try:
        site.start()
        warm(port, PAGES)
        everyday = PAGES + NOT_PAGE_CACHED
        failures += run_phase(site, "1. Baseline", everyday)
        if redis:
            failures += run_phase(site, "2. Redis stopped", everyday, during=redis.stop)
            failures += run_phase(site, "3. Redis started again", everyday, during=redis.start)
            redis.freeze()
            failures += run_phase(
                site, "4. Redis hung (SIGSTOP), resumed half-way", everyday, during=redis.thaw
            )
        # The pages and the content version the next phase falls back on (Redis came back empty,
        # and a worker skips it for CACHE_RETRY_SECONDS after the hang).
        retry_seconds = float(env.get("CACHE_RETRY_SECONDS", "5"))  # the site's setting, as in kb/settings.py
        warm(port, PAGES, after=retry_seconds + 0.5 if redis else 0)
        site.stop()
        refusing = f"postgres://kb@127.0.0.1:{free_port()}/kb"  # nothing listens there
        site.start(DATABASE_URL=refusing)
        never = NOT_PAGE_CACHED + NEVER_CACHED
        if redis:  # the cached pages come from Redis; nothing else can be answered
            name = "5. Database refusing (cached pages 200; API and never-cached pages 503)"
            expected = dict.fromkeys(PAGES, 200) | dict.fromkeys(never, 503)
        else:  # the page cache was in the stopped workers' memory: nothing to fall back on
            name = "5. Database refusing (no shared page cache without Redis: every page 503)"
            expected = dict.fromkeys(PAGES + never, 503)
        failures += run_phase(site, name, PAGES + never, expected=expected)
        site.stop()
        site.start()

        def kill_a_worker():
            victim = min(site.workers())
            print(f"  killing worker {victim}")
            os.kill(victim, signal.SIGKILL)

        failures += run_phase(
            site, "6. A worker killed mid-load", everyday + NEVER_CACHED, during=kill_a_worker
        )
        print(f"\n  workers after the phase: {len(site.workers())}")
    finally:
        site.stop()
        if redis:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        "\nRESULT:",
        f"FAIL ({failures} responses not as expected)" if failures else "every response as expected",
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
