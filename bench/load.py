"""Bounded load test against a running site on this machine (loopback only).

    python bench/load.py --url http://127.0.0.1:8000 --clients 32 --seconds 20

Each client is a thread with its own keep-alive connection that requests the
main pages in turn until the time is up. Prints throughput, latency
percentiles and errors, per page and overall; exits 1 if any request failed
(status >= 400 or a connection error).
"""

import argparse
import http.client
import ipaddress
import socket
import statistics
import sys
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

PAGES = [
    "/",
    "/cases/",
    "/cases/?factor=strong-team",
    "/cases/?factor=strong-team&factor=open-collaboration&tag=nlp",
    "/cases/openai-gpt3/",
    "/challenges/",
    "/challenges/data-privacy-security/",
    "/strategies/privacy-preserving-tech/",
    "/concepts/",
    "/timeline/",
    "/resources/?kind=paper",
    "/tags/nlp/",
    "/search/?q=%E9%9A%90%E7%A7%81",  # 隐私
    "/search/?q=Transformer",
    "/faq/",
    "/static/css/site.css",
]


def loopback_only(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as exc:
        sys.exit(f"cannot resolve {host}: {exc}")
    if not all(ipaddress.ip_address(address).is_loopback for address in addresses):
        sys.exit(f"refusing to load-test {host}: not a loopback address")


def client(host, port, deadline, offset, results, errors):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    index = offset
    while time.monotonic() < deadline:
        path = PAGES[index % len(PAGES)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            errors[path].append(repr(exc))
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
            continue
        elapsed = time.perf_counter() - started
        if status >= 400:
            errors[path].append(f"HTTP {status}")
        results[path].append(elapsed)
    connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    if not 1 <= args.clients <= 256 or not 1 <= args.seconds <= 300:
        sys.exit("--clients must be 1..256 and --seconds 1..300")
    parts = urlsplit(args.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    loopback_only(host)

    results, errors = defaultdict(list), defaultdict(list)
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=client, args=(host, port, deadline, i, results, errors), daemon=True)
        for i in range(args.clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    duration = time.monotonic() - started

    all_times = [t for times in results.values() for t in times]
    error_count = sum(len(e) for e in errors.values())
    print(f"{args.clients} clients, {duration:.1f} s against {args.url}")
    print(f"{'page':64} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for path in PAGES:
        times = results.get(path, [])
        if times:
            print(
                f"{path:64} {len(times):8d} {statistics.median(times) * 1000:8.1f} "
                f"{percentile(times, 0.95) * 1000:8.1f} {len(errors.get(path, [])):6d}"
            )
    if all_times:
        print(
            f"total: {len(all_times)} requests, {len(all_times) / duration:.1f} req/s, "
            f"p50 {statistics.median(all_times) * 1000:.1f} ms, "
            f"p95 {percentile(all_times, 0.95) * 1000:.1f} ms, "
            f"p99 {percentile(all_times, 0.99) * 1000:.1f} ms, errors {error_count}"
        )
    for path, messages in errors.items():
        print(f"errors on {path}: {sorted(set(messages))[:3]}")
    return 1 if error_count or not all_times else 0


if __name__ == "__main__":
    sys.exit(main())
