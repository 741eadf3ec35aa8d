"""Operations: the health check for load balancers, robots.txt, the favicon, language redirects.

The health check is never page-cached (it has no ``cached_page`` mark): it says the state of
this host now.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..cache import cache_state
from ..pagecache import cached_page
from .base import read_only


@read_only
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


@read_only
def healthz(request):
    """The state of this host for load balancers and operators.

    200 while it can serve readers (the database answers), 503 when it cannot. The body
    says the state of the database and of the shared cache: "ok", "down" or, for the
    cache, "not configured". A cache that is down degrades speed, not service: 200.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "down"
    cache = cache_state()
    healthy_cache = cache in ("ok", "not configured")
    status = "unavailable" if database != "ok" else ("ok" if healthy_cache else "degraded")
    response = JsonResponse(
        {"status": status, "database": database, "cache": cache}, status=200 if database == "ok" else 503
    )
    response["Cache-Control"] = "no-store"
    return response


@cached_page()
@read_only
def robots_txt(request):
    """Crawlers may read the site, not the admin or the endless results of search, the self-check
    and the comparison (their own pages, listed in the sitemap, may be read: ``?`` starts a result)."""
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        *(
            f"Disallow: {prefix}{page}/?"
            for prefix in ("/", "/en/")
            for page in ("search", "self-check", "compare", "report")
        ),
        *(f"Disallow: {prefix}cases/export." for prefix in ("/", "/en/")),
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# The old switch was a form that stored the choice in a cookie. It now only redirects to the
# page in the language asked for and writes nothing (no cookie, no session), so a forged
# request can do no harm: CSRF protection has nothing to protect here, and old pages' forms
# (whose token may have expired) keep working.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def old_language_switch(request):
    data = request.POST if request.method == "POST" else request.GET
    language = data.get("language")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    # Read ``next`` in the language its own prefix says, then give it in the one asked for.
    with translation.override(translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        return redirect(translate_url(next_url, language))


def default_language_redirect(request, rest):
    """``/zh-hans/cases/`` → ``/cases/``: Chinese, the default language, has no prefix."""
    target = "/" + rest.lstrip("/\\")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)
