"""Project URLs: the reader site in each language, the admin (path configurable).

The language is part of the URL, so a page's address alone says what it shows (and a CDN
or proxy can hold it): Chinese, the default, is unprefixed (``/cases/``), English is under
``/en/`` (``/en/cases/``). ``/zh-hans/…`` and the old language switch redirect.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from articles import views

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/setlang/", views.old_language_switch, name="set_language"),
    re_path(r"^zh-hans/(?P<rest>.*)$", views.default_language_redirect),
    *i18n_patterns(path("", include("articles.urls")), prefix_default_language=False),
]

handler400 = "articles.views.bad_request"
handler403 = "articles.views.permission_denied"
handler404 = "articles.views.page_not_found"
handler500 = "articles.views.server_error"
