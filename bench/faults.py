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
fails twice counts as dropped. Per phase it prints requests, status counts, retries, drops and
the longest response, and the log lines the site wrote about the outage. It exits non-zero on
any 500 or dropped request.
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
PAGES = [
    "/",
    "/cases/",
    "/cases/deepseek/",
    "/challenges/",
    "/faq/",
    "/insights/",
    "/cases/?outcome=acquired",
]
UNCACHED = [
    "/search/?q=%E9%9A%90%E7%A7%81",
    "/api/cases/?outcome=acquired",
]  # q=隐私  # never in the page cache


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
        self.results = []  # (status or "dropped", seconds, retried)
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
                self.results.append((status, time.monotonic() - started, retried))

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
    statuses = collections.Counter(status for status, _s, _r in load.results)
    longest = max((seconds for _st, seconds, _r in load.results), default=0)
    retried = sum(1 for _st, _s, again in load.results if again)
    shown = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str))
    print(f"\n## {name}")
    print(f"requests {len(load.results)}; {shown}; retried after a cut connection {retried}; ", end="")
    print(f"longest {longest:.2f} s")
    for line in log_lines:
        print(f"  log: {line[-160:]}")
    bad = (
        statuses.get(500, 0)
        + statuses.get("dropped", 0)
        + sum(
            count
            for status, count in statuses.items()
            if status not in expected and status not in (500, "dropped")
        )
    )
    if bad:
        print(f"  FAIL: {bad} responses outside {sorted(map(str, expected))}")
    return bad


def run_phase(site, name, urls, during=None, expected=(200,)):
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
        expected,
    )


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
        for url in PAGES:  # warm the page cache
            Load(port, [url]).request(url)
        failures += run_phase(site, "1. Baseline", PAGES + UNCACHED)
        if redis:
            failures += run_phase(site, "2. Redis stopped", PAGES + UNCACHED, during=redis.stop)
            failures += run_phase(site, "3. Redis started again", PAGES + UNCACHED, during=redis.start)
            redis.freeze()
            failures += run_phase(
                site, "4. Redis hung (SIGSTOP), resumed half-way", PAGES + UNCACHED, during=redis.thaw
            )
            for url in PAGES:  # the version and pages the next phase falls back on
                Load(port, [url]).request(url)
        site.stop()
        refusing = f"postgres://kb@127.0.0.1:{free_port()}/kb"  # nothing listens there
        site.start(DATABASE_URL=refusing)
        expected = (200, 503) if redis else (503,)
        failures += run_phase(
            site, "5. Database refusing (cached pages 200, others 503)", PAGES + UNCACHED, expected=expected
        )
        site.stop()
        site.start()

        def kill_a_worker():
            victim = min(site.workers())
            print(f"  killing worker {victim}")
            os.kill(victim, signal.SIGKILL)

        failures += run_phase(site, "6. A worker killed mid-load", PAGES + UNCACHED, during=kill_a_worker)
        print(f"\n  workers after the phase: {len(site.workers())}")
    finally:
        site.stop()
        if redis:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("\nRESULT:", "FAIL" if failures else "no 500s, no dropped requests")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
