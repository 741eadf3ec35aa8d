"""Project URLs: the reader site in each language, the admin (path configurable).

The language is part of the URL, so a page's address alone says what it shows (and a CDN
or proxy can hold it): Chinese, the default, is unprefixed (``/cases/``), English is under
``/en/`` (``/en/cases/``). ``/zh-hans/…`` and the old language switch redirect.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles.pagecache import cached_page
from articles.sitemaps import sections
from articles.views import operations
from articles.views.base import read_only

SITEMAPS = sections()

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", operations.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        cached_page("p")(read_only(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        cached_page("p")(read_only(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("api/", include("articles.api_urls")),
    path("i18n/setlang/", operations.old_language_switch, name="set_language"),
    re_path(r"^zh-hans/(?P<rest>.*)$", operations.default_language_redirect),
    *i18n_patterns(path("", include("articles.urls")), prefix_default_language=False),
]

handler400 = "articles.views.errors.bad_request"
handler403 = "articles.views.errors.permission_denied"
handler404 = "articles.views.errors.page_not_found"
handler500 = "articles.views.errors.server_error"
