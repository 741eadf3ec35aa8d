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

import hashlib
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag

CACHED_HEADERS = ("Content-Type", "Content-Language")
TRACKED_APPS = ("articles", "taggit")


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
    """(key, changed) of the content: one query by primary key.

    The key is the number and the time of the last change: a number that a rolled-back
    transaction used is taken again by the next change, the time is not.
    """
    from .models import ContentVersion

    row = ContentVersion.objects.filter(pk=1).values_list("number", "changed").first()
    if row is None:
        version, _created = ContentVersion.objects.get_or_create(pk=1)
        row = (version.number, version.changed)
    number, changed = row
    return f"{number}.{int(changed.timestamp() * 1_000_000)}", changed


def bump():
    """Mark the content as changed, in the current transaction (if any)."""
    from .models import ContentVersion

    updated = ContentVersion.objects.filter(pk=1).update(number=F("number") + 1, changed=timezone.now())
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 2})


def _content_changed(sender, **kwargs):
    # Only the project's own models (not migrations' historical ones) of the content apps.
    if sender._meta.apps is not global_apps or sender._meta.app_label not in TRACKED_APPS:
        return
    if sender._meta.model_name != "contentversion":
        bump()


def _links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _content_changed(sender)


def connect_signals():
    post_save.connect(_content_changed, dispatch_uid="kb-content-saved")
    post_delete.connect(_content_changed, dispatch_uid="kb-content-deleted")
    m2m_changed.connect(_links_changed, dispatch_uid="kb-content-linked")


# -- The cache ------------------------------------------------------------------------------


def not_cached(view):
    """Mark a read-only view whose answer must never come from the page cache (e.g. /healthz)."""
    view.page_cache = False
    return view


def etag_for(version, language):
    return quote_etag(f"{RELEASE}-{version}-{language}")


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
    """Serve read-only pages from the cache by content version; answer 304 to a matching ETag."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "page_cache", None)
        if state is None:
            return response
        key, etag, changed, hit = state
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        if not hit and request.method == "GET" and settings.PAGE_CACHE_ENABLED:
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_TIMEOUT)
        return public_headers(response, etag, changed)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "read_only", False) or not getattr(view_func, "page_cache", True):
            return None
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
            return None
        version, changed = current_version()
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        etag = etag_for(version, language)
        path_hash = hashlib.sha1(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
        key = f"page:{version}:{language}:{path_hash}"
        if _matches(request.headers.get("If-None-Match"), etag):
            request.page_cache = None
            return public_headers(HttpResponseNotModified(), etag, changed)
        cached = cache.get(key)
        request.page_cache = (key, etag, changed, cached is not None)
        if cached is None:
            return None
        content, headers = cached
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response
