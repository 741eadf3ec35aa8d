"""The sitemap (``django.contrib.sitemaps``): every public page in both languages, with
``hreflang`` alternates and ``lastmod``.

``/sitemap.xml`` is an index of one section per record kind plus the other pages; a
section is split into pages of ``limit`` addresses, so each request reads a fixed number of
rows whatever the size of the knowledge base.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from .kinds import KINDS, navigation_items
from .pagecache import current_version


class I18nSitemap(Sitemap):
    i18n = True  # one address per language (Chinese unprefixed, English under /en/)
    alternates = True  # each with <xhtml:link rel="alternate" hreflang="…">
    x_default = True
    limit = 2000  # addresses per sitemap page: at most limit / 2 records per query


class KindSitemap(I18nSitemap):
    def __init__(self, kind):
        self.kind = kind

    def items(self):
        return self.kind.model.objects.order_by("pk").only("pk", "slug", "updated")

    def location(self, item):
        return reverse(self.kind.detail_url_name, args=[item.slug])

    def lastmod(self, item):
        return item.updated

    def get_latest_lastmod(self):
        """For the index: one aggregate, not a pass over every record."""
        return self.kind.model.objects.aggregate(latest=Max("updated"))["latest"]


class PageSitemap(I18nSitemap):
    """The home page, each kind's list and the other pages of the navigation."""

    changefreq = "daily"

    def items(self):
        self.changed = current_version()[1]  # the last change of any content, read once
        return ["articles:home", *(url_name for url_name, _label in navigation_items())]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self.changed

    def get_latest_lastmod(self):
        return current_version()[1]


class TagSitemap(I18nSitemap):
    def items(self):
        return Tag.objects.order_by("pk").only("pk", "slug")

    def location(self, item):
        return reverse("articles:tag-detail", args=[item.slug])


def sections():
    return {"pages": PageSitemap(), "tags": TagSitemap(), **{kind.key: KindSitemap(kind) for kind in KINDS}}
