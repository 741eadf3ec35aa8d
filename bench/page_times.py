"""Server time per page, without the network: Django's test client against the configured database.

    make pagetimes                 # or: .venv/bin/python bench/page_times.py [--repeat 30] [--no-cached]

Reads only (the database must hold the content: `manage.py load_kb`; with debug off the static
files must be collected, which `make pagetimes` does). What it measures is **rendering**: every
request runs with the page cache off (``PAGE_CACHE_ENABLED = False``), as on a cache miss or the
first request after an edit. Per page it prints the mean and best time of ``--repeat`` requests,
and the number of SQL queries of one request with the time they took. Each page is requested
once before it is measured, so a faceted list's in-memory index is built (and its queries are
not counted), as in a worker that has been serving for a while.

A second column group, labelled *from the page cache*, times the same pages with the page cache
on after one request has stored them: every request is then a cache hit, which costs one query
(the content version) and a cache read. Pages that are never cached (search) say so. It is for
comparison only; leave it out with ``--no-cached``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("PAGE_CACHE", "0")  # rendering is what is measured; the cached column turns it on

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

PAGES = [
    "/",
    "/cases/",
    "/cases/?factor=strong-team&factor=open-collaboration&tag=nlp",
    "/cases/openai-gpt3/",
    "/challenges/data-privacy-security/",
    "/concepts/",
    "/timeline/",
    "/resources/?kind=paper",
    "/tags/nlp/",
    "/search/?q=%E9%9A%90%E7%A7%81",
]
WIDTH = 64  # the page column


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url}: HTTP {response.status_code} (is the content loaded?)")
    return response


def measure(client, url, repeat):
    """(response, [seconds per request], [(seconds, sql) of one request]) after one warm-up request."""
    get(client, url)  # warm-up: the facet index, and with the page cache on, the stored page
    queries = []

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(count):
        response = get(client, url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return response, times, queries


def milliseconds(seconds):
    return f"{seconds * 1000:8.1f}"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page and column")
    parser.add_argument("--no-cached", action="store_true", help="leave out the column of page cache hits")
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{connection.vendor}, {args.repeat} requests per page and column, server time without the network")
    print("RENDERED: page cache off (PAGE_CACHE_ENABLED=False); queries of one request after a warm-up")
    if not args.no_cached:
        print(f"FROM THE PAGE CACHE: page cache on ({backend}), every request a hit; for comparison only")
    print()
    rendered_head = f"{'mean ms':>8} {'best ms':>8} {'queries':>8} {'SQL ms':>8}"
    cached_head = f"{'mean ms':>8} {'queries':>8}"
    groups = f"{'':{WIDTH}} {'RENDERED (page cache off)':-^{len(rendered_head)}}"
    if not args.no_cached:
        groups += f"   {'FROM THE PAGE CACHE':-^{len(cached_head)}}"
    print(groups)
    print(f"{'page':{WIDTH}} {rendered_head}" + ("" if args.no_cached else f"   {cached_head}"))
    for url in PAGES:
        with override_settings(PAGE_CACHE_ENABLED=False):
            _response, times, queries = measure(client, url, args.repeat)
        line = (
            f"{url:{WIDTH}} {milliseconds(statistics.mean(times))} {milliseconds(min(times))} "
            f"{len(queries):8d} {milliseconds(sum(seconds for seconds, _sql in queries))}"
        )
        if not args.no_cached:
            with override_settings(PAGE_CACHE_ENABLED=True):
                response, times, queries = measure(client, url, args.repeat)
            if "ETag" in response:  # only pages the page cache stores carry one
                line += f"   {milliseconds(statistics.mean(times))} {len(queries):8d}"
            else:
                line += f"   {'never cached':>17}"
        print(line)


if __name__ == "__main__":
    main()
