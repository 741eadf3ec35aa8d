"""Rendered pages, cached per content version; conditional GET; headers a CDN can act on.

* Every change to the knowledge base (a save, delete or link change of any record, child
  row or tag, from the admin, a revert, ``load_kb`` or ``generate_synthetic``) bumps
  :class:`~articles.models.ContentVersion` in the change's own transaction: other requests
  see the new version exactly when the change commits, and never if it rolls back.
* A read-only page is cached in the default cache (Redis when configured, so shared by
  every host) under the content version, language and full URL. After a bump the old
  entries are simply never asked for again; they expire on their own.
* The ETag is the release and the content version, so a reader's browser, a proxy or a
  CDN can revalidate with ``If-None-Match`` and get ``304 Not Modified``.
* Those pages are ``Cache-Control: public`` with ``max-age`` and ``s-maxage`` from
  settings: they set no cookie and do not vary on one (the language is in the URL).
"""

import contextlib
import contextvars
import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, quote_etag

from .models import ContentVersion

# Headers never stored with a cached page: they belong to one response, or are set anew.
UNCACHED_HEADERS = {"set-cookie", "date", "etag", "last-modified", "cache-control", "expires", "vary"}
TRACKED_APPS = ("articles", "taggit")
STALE_MAX_AGE = 30  # seconds a page served while the database is down may be kept by others


def release():
    """This build's code and templates, as a short hash: a deploy changes the ETags too."""
    configured = getattr(settings, "RELEASE", "")
    if configured:
        return configured
    digest = hashlib.sha1(usedforsecurity=False)
    base = Path(settings.BASE_DIR)
    for pattern in ("articles/**/*.py", "templates/**/*.html", "locale/**/*.mo"):
        for path in sorted(base.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = release()


# -- The content version ---------------------------------------------------------------


def current_version():
    """(key, changed) of the content: one query by primary key, in plain SQL (it runs on every page).

    The key is the number and the time of the last change: a number that a rolled-back
    transaction used is taken again by the next change, the time is not.
    """
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, changed FROM {table} WHERE id = 1")  # noqa: S608 - our table name
        row = cursor.fetchone()
    if row is None:
        version, _created = ContentVersion.objects.get_or_create(pk=1)
        row = (version.number, version.changed)
    number, changed = row
    if isinstance(changed, str):  # SQLite hands back text
        changed = parse_datetime(changed)
    if timezone.is_naive(changed):
        changed = timezone.make_aware(changed, datetime.UTC)
    return f"{number}.{int(changed.timestamp() * 1_000_000)}", changed


def bump():
    """Mark the content as changed, in the current transaction (if any)."""
    updated = ContentVersion.objects.filter(pk=1).update(number=F("number") + 1, changed=timezone.now())
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 2})


_PAUSED = contextvars.ContextVar("kb_signals_paused", default=False)


@contextlib.contextmanager
def bulk_change():
    """Run a bulk change without the per-row work of the signal handlers (version bump, search
    index); the caller bumps the version and reindexes once at the end."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


def paused():
    return _PAUSED.get()


def is_content(model):
    """A model whose rows are content (records, their rows, tags), outside a bulk change.

    Only the project's own models count, not migrations' historical ones, and not the
    bookkeeping of this module and of the search index, nor readers' reports.
    """
    return (
        not paused()
        and model._meta.apps is global_apps
        and model._meta.app_label in TRACKED_APPS
        and model._meta.model_name not in ("contentversion", "searchentry", "readerreport")
    )


def _content_changed(sender, **kwargs):
    if is_content(sender):
        bump()


def _links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _content_changed(sender)


def connect_signals():
    post_save.connect(_content_changed, dispatch_uid="kb-content-saved")
    post_delete.connect(_content_changed, dispatch_uid="kb-content-deleted")
    m2m_changed.connect(_links_changed, dispatch_uid="kb-content-linked")


# -- The cache ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageCachePolicy:
    """A view's pages may be stored in the page cache; ``params`` are the query parameters they read.

    A request with any other parameter is answered by the view and not stored (its page names
    the unknown parameter), so random query strings cannot fill the cache; neither is a page
    that shows a notice about its parameters (``response.has_notices``).
    """

    params: frozenset = frozenset()

    def __call__(self, view):
        view.page_cache = self
        return view

    def allows(self, query):
        return set(query) <= self.params


def cached_page(*params):
    """Mark a view as page-cached, like Django's ``cache_page``, naming the query parameters its
    pages read: ``@cached_page("q", "page")`` on a function view, ``page_cache = cached_page(...)``
    on a class-based one. A view without the mark is never stored."""
    return PageCachePolicy(frozenset(params))


def policy_of(view_func):
    """The page-cache policy of a resolved view (function, class-based view or feed), or None."""
    return getattr(view_func, "page_cache", None) or getattr(
        getattr(view_func, "view_class", None), "page_cache", None
    )


def page_key(request, version):
    """The cache key of a page: version, host, path and its parameters in a fixed order (``?b=2&a=1``
    and ``?a=1&b=2`` are one page). The host is part of it: feeds, the sitemap and link tags hold
    absolute addresses."""
    query = "&".join(f"{name}={value}" for name in sorted(request.GET) for value in request.GET.getlist(name))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"page:{version}:{hashlib.sha1(address.encode(), usedforsecurity=False).hexdigest()}"


LATEST_KEY = "page:latest-version"
_latest = {"version": None}  # the newest content version this process has read


def remember_version(version, changed):
    """Keep the newest version this process has read, for when the database is down (the shared
    cache keeps it too, with every page stored: see ``PageCacheMiddleware``)."""
    _latest["version"] = (version, changed)


def last_known_version():
    return _latest["version"] or cache.get(LATEST_KEY)


def from_cache(cached):
    """The response a cached (content, headers) pair stands for."""
    content, headers = cached
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def etag_for(version):
    return quote_etag(f"{RELEASE}-{version}")


def _matches(if_none_match, etag):
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def public_headers(response, etag, changed):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed.timestamp())
    patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE, s_maxage=settings.PAGE_S_MAXAGE)
    return response


class PageCacheMiddleware:
    """Serve read-only pages from the cache by content version; answer 304 to a matching ETag.

    It sits near the top of the middleware (after WhiteNoise), so a hit skips sessions,
    CSRF, authentication and the view; the cached response carries the headers the inner
    middleware gave it (CSP, X-Frame-Options …). Only the pages of views marked with
    :func:`cached_page` are stored, and only when the request has no parameter the view does
    not read and the page shows no notice, so a URL found in the cache is one that may be
    served from it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    @staticmethod
    def stale_page(request):
        """The page as last rendered, while the database cannot say whether it changed."""
        if request.method not in ("GET", "HEAD"):
            return None
        known = last_known_version()
        cached = cache.get(page_key(request, known[0])) if known else None
        if cached is None:
            return None
        response = from_cache(cached)
        response["X-KB-Stale"] = "database-unavailable"
        patch_cache_control(response, public=True, max_age=STALE_MAX_AGE, s_maxage=STALE_MAX_AGE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.page_cache_policy = policy_of(view_func)

    @staticmethod
    def storable(request, response):
        policy = getattr(request, "page_cache_policy", None)
        return (
            policy is not None
            and policy.allows(request.GET)
            and response.status_code == 200
            and not getattr(response, "has_notices", False)
            and not response.cookies
            and not response.streaming
            and "Cookie" not in response.get("Vary", "")
        )

    def __call__(self, request):
        if request.path_info.startswith(self.admin_prefix):
            return self.get_response(request)  # never cached: no version to read
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
            response = self.get_response(request)
            if self.storable(request, response):
                patch_cache_control(
                    response, public=True, max_age=settings.PAGE_MAX_AGE, s_maxage=settings.PAGE_S_MAXAGE
                )
            return response
        try:
            version, changed = current_version()
        except DatabaseError:
            # The database is down: a page already rendered is better than none. Otherwise the
            # view answers as well as it can (/healthz), or the 503 page does.
            return self.stale_page(request) or self.get_response(request)
        remember_version(version, changed)
        request.content_version = version
        etag = etag_for(version)
        key = page_key(request, version)
        cached = cache.get(key)
        if cached is not None:
            if _matches(request.headers.get("If-None-Match"), etag):
                return public_headers(HttpResponseNotModified(), etag, changed)
            return public_headers(from_cache(cached), etag, changed)
        response = self.get_response(request)
        if not self.storable(request, response):
            return response
        if request.method == "GET":
            headers = [
                (name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS
            ]
            # With the page, the version it belongs to: where a worker that starts while the
            # database is down finds the pages to serve (a Redis that restarted empty gets it back).
            cache.set_many(
                {key: (response.content, headers), LATEST_KEY: (version, changed)},
                settings.PAGE_CACHE_TIMEOUT,
            )
        if _matches(request.headers.get("If-None-Match"), etag):
            return public_headers(HttpResponseNotModified(), etag, changed)
        return public_headers(response, etag, changed)
