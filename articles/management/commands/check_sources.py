"""Visit every source address and store its last status, final address and check time.

Run it from cron or a systemd timer (README, "The editor's routine"), never inside a web
request. A page that answers HEAD with an error is asked again with GET (many servers refuse
HEAD); redirects are followed and the final address kept. Results are written without the
per-row signals, and the content version is bumped once if a source's broken state changed,
so the pages that show it are rendered anew.
"""

import asyncio
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles import models as m
from articles.pagecache import bump

CHECK_FIELDS = ["checked_at", "check_status", "final_url", "check_error"]


@dataclass
class Result:
    status: int | None
    final_url: str
    error: str


async def visit(client, url):
    """(status, final address, error) of ``url``: HEAD, then GET when HEAD gets an error."""
    try:
        response = await client.head(url)
        if response.status_code >= 400:
            async with client.stream("GET", url) as streamed:
                response = streamed  # the status and address are enough: the body is not read
        final = str(response.url)
        return Result(response.status_code, final if final != url else "", "")
    except httpx.TimeoutException:
        return Result(None, "", "timeout")
    except httpx.TooManyRedirects:
        return Result(None, "", "too many redirects")
    except httpx.HTTPError as exc:
        return Result(None, "", f"{type(exc).__name__}: {exc}"[:200])


async def check_all(urls, concurrency, timeout, user_agent):
    """{url: Result} for ``urls``, at most ``concurrency`` requests at a time."""
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=10,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": user_agent},
        limits=httpx.Limits(max_connections=concurrency),
    ) as client:

        async def one(url):
            async with limit:
                return url, await visit(client, url)

        return dict(await asyncio.gather(*(one(url) for url in urls)))


class Command(BaseCommand):
    help = "Check every source link (status, final address, time) for the review queue and the case pages."

    def add_arguments(self, parser):
        parser.add_argument("--case", action="append", default=[], help="only this case (slug); repeatable")
        parser.add_argument("--unchecked", action="store_true", help="only sources never checked")
        parser.add_argument("--concurrency", type=int, default=settings.KB_LINK_CHECK_CONCURRENCY)
        parser.add_argument("--timeout", type=float, default=settings.KB_LINK_CHECK_TIMEOUT, help="seconds")

    def handle(self, *args, case, unchecked, concurrency, timeout, **options):
        sources = m.Source.objects.order_by("pk")
        if case:
            sources = sources.filter(case__slug__in=case)
        if unchecked:
            sources = sources.filter(checked_at=None)
        sources = list(sources)
        urls = sorted({source.url for source in sources})
        agent = settings.KB_LINK_CHECK_USER_AGENT
        results = asyncio.run(check_all(urls, max(1, concurrency), timeout, agent))
        now = timezone.now()
        changed_state = False
        for source in sources:
            was_broken = source.is_broken
            result = results[source.url]
            source.checked_at = now
            source.check_status = result.status
            source.final_url = result.final_url
            source.check_error = result.error
            changed_state |= was_broken != source.is_broken
        m.Source.objects.bulk_update(sources, CHECK_FIELDS, batch_size=500)
        if changed_state:
            bump()  # the case pages that mark broken sources are rendered anew
        broken = [source for source in sources if source.is_broken]
        for source in broken:
            reason = source.check_status or source.check_error
            self.stdout.write(f"broken: {source.case_id} [{source.position}] {source.url} ({reason})")
        summary = f"Checked {len(urls)} addresses of {len(sources)} sources; {len(broken)} broken."
        self.stdout.write(self.style.SUCCESS(summary))
