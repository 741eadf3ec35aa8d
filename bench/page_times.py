"""Server time per page, without the network: Django's test client against the configured database.

    DJANGO_DEBUG=1 .venv/bin/python bench/page_times.py [--repeat 30]

Reads only (the database must hold the content: `manage.py load_kb`). Prints the
mean and best time per page, and the number of SQL queries of one request with
the time they took.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

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


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    print(f"{connection.vendor}, {args.repeat} requests per page")
    print(f"{'page':64} {'mean ms':>8} {'best ms':>8} {'queries':>8} {'SQL ms':>8}")
    for url in PAGES:
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - started, sql))

        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url}: HTTP {response.status_code} (is the content loaded?)")
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        print(
            f"{url:64} {statistics.mean(times) * 1000:8.1f} {min(times) * 1000:8.1f} "
            f"{len(queries):8d} {sum(t for t, _sql in queries) * 1000:8.1f}"
        )


if __name__ == "__main__":
    main()
