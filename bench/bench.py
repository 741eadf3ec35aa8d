"""Throughput of the main pages as ratios to a static file served in the same run.

    make bench                     # seed size and 10,000 cases on SQLite
    DATABASE_URL=postgres://… make bench   # also 100,000 cases on that PostgreSQL database

For each data size it prepares a database (migrate, load_kb, generate_synthetic), starts
gunicorn on a loopback port (2 sync workers, as on a 2-core host), and runs wrk against the
stylesheet and each page for BENCH_SECONDS (default 5) with 16 connections: first with the
page cache off (``PAGE_CACHE=0``: every request renders the page; this is what the bench
measures), then with it on (every request a cache hit, for comparison). It prints one table,
a row per page and data size: under RENDERED (page cache off) req/s, the ratio to the
stylesheet in the same run, p50/p95 ms under that load, p95 of single requests one at a time
(p95@1) and errors; under FROM THE PAGE CACHE the same for cache hits (a page the page cache
never stores, such as search results, says so at the end of its row); then the workers'
memory. Loopback only; everything it starts it stops. Needs wrk (apt-get install wrk).
"""

import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))

from tests.services import Gunicorn, manage, site_environment  # noqa: E402 - the project's process helpers

PORT = int(os.environ.get("BENCH_PORT", "8777"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PAGES = [
    ("home", "/"),
    ("cases, two factors", "/cases/?factor=strong-team&factor=open-collaboration"),
    ("case", "/cases/openai-gpt3/"),
    ("challenge", "/challenges/data-privacy-security/"),
    ("search 隐私", "/search/?q=%E9%9A%90%E7%A7%81"),
]


def environment(database_url, cached):
    return site_environment(database_url, PAGE_CACHE="1" if cached else "0")


def prepare(database_url, cases):
    env = environment(database_url, cached=False)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_kb", "-v0")
    manage(env, "generate_synthetic", "--remove", "-v0")
    seconds = manage(env, "generate_synthetic", "--cases", str(cases), "-v0") if cases else 0.0
    manage(env, "collectstatic", "--noinput", "-v0")
    return seconds


def get(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
        return response.read().decode()


def stored(path):
    """Whether the page cache stores ``path``: only stored pages are sent with an ETag."""
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
        return "ETag" in response.headers


def serve(env):
    """gunicorn on PORT, answering; stopped with its workers by ``site.stop()``, and in any case
    when this script ends (tests/services.py)."""
    site = Gunicorn(env, PORT).start()
    for _ in range(100):
        try:
            get("/healthz")
            return site
        except OSError:
            time.sleep(0.2)
    site.stop()
    raise SystemExit("gunicorn did not start")


def worker_memory(process):
    """RSS (MiB) of each gunicorn worker."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    sizes = []
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def drain():
    """Wait until the server answers at once again: requests queued by the last run are served."""
    for _ in range(600):
        started = time.monotonic()
        get("/healthz")
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.1)


def wrk(path, connections=CONNECTIONS, seconds=SECONDS):
    drain()
    result = subprocess.run(  # noqa: S603 - wrk on loopback
        [
            shutil.which("wrk"),
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(BASE / "bench" / "report.lua"),
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    values = dict(part.split("=") for part in line.split()[1:])
    return {
        "rps": float(values["requests"]) / float(values["seconds"]),
        "p50": float(values["p50"]),
        "p95": float(values["p95"]),
        "errors": int(values["errors"]) + int(values["status"]),
    }


def pad(text, width):
    """``text`` left-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return text + " " * max(0, width - len(text) - wide)


def print_table(rows):
    """One row per (page, N, database): the rendered figures, then the page cache's."""
    figures = {}
    for name, cases, database, cached, result, ratio in rows:
        figures.setdefault((name, cases, database), {})[cached] = (result, ratio)
    columns = f"{'req/s':>8} {'× css':>6} {'p50 ms':>7} {'p95 ms':>7} {'p95@1':>6} {'errors':>6}"
    width = len(columns)
    print(f"{'':<39} {' RENDERED (page cache off) ':-^{width}}   {' FROM THE PAGE CACHE ':-^{width}}")
    print(f"{'page':<20} {'N':>7} {'database':<10} {columns}   {columns}")
    for (name, cases, database), by_cache in figures.items():
        cells, note = [], ""
        for cached in (False, True):
            if cached not in by_cache:
                cells.append(f"{'—':>{width}}")
                continue
            result, ratio = by_cache[cached]
            if cached and name != "stylesheet" and not result.get("stored"):
                note = "   (never in the page cache: rendered every time)"
            cells.append(
                f"{result['rps']:>8.1f} {ratio:>6.3f} {result['p50']:>7.1f} {result['p95']:>7.1f} "
                f"{result.get('single_p95', 0):>6.1f} {result['errors']:>6}"
            )
        print(f"{pad(name, 20)} {cases:>7} {database:<10} {cells[0]}   {cells[1]}{note}")


def main():
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (apt-get install -y wrk)")
    scenarios = [
        ("SQLite", f"sqlite:///{BASE}/bench-seed.sqlite3", 0),
        ("SQLite", f"sqlite:///{BASE}/bench-10k.sqlite3", 10_000),
    ]
    postgres = os.environ.get("DATABASE_URL", "")
    if postgres.startswith("postgres"):
        scenarios.append(("PostgreSQL", postgres, int(os.environ.get("BENCH_PG_CASES", "100000"))))
    rows, notes = [], []
    for database, url, cases in scenarios:
        seconds = prepare(url, cases)
        if cases:
            notes.append(f"generate_synthetic --cases {cases} on {database}: {seconds:.1f} s")
        for cached in (False, True):
            site = serve(environment(url, cached))
            try:
                stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', get("/")).group(1)
                for _name, path in PAGES:
                    wrk(path, seconds=2)  # warm every worker: the facet index, the page cache when on
                static = wrk(stylesheet)
                rows.append(("stylesheet", cases, database, cached, static, 1.0))
                for name, path in PAGES:
                    result = wrk(path)
                    # Latency of single requests, one at a time (no queueing behind other clients).
                    result["single_p95"] = wrk(path, connections=1, seconds=2)["p95"]
                    result["stored"] = cached and stored(path)
                    rows.append((name, cases, database, cached, result, result["rps"] / static["rps"]))
                memory = worker_memory(site.process)
                notes.append(
                    f"worker RSS after the {database} N={cases} {'cached' if cached else 'uncached'} run: "
                    + ", ".join(f"{size:.0f} MiB" for size in memory)
                )
            finally:
                site.stop()
    print_table(rows)
    for note in notes:
        print(note)
    if any(result["errors"] for *_rest, result, _ratio in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
