"""Atom feeds (``django.contrib.syndication``): what is new or changed, newest first.

* ``/feeds/``: every record kind together;
* ``/feeds/<kind>/``: one kind (``/feeds/cases/``);
* ``/feeds/tags/<slug>/``: the records with a tag;
* ``/feeds/challenges/<slug>/``: a challenge, its strategies and the cases that met it.

An entry's ``updated`` is the record's last change, its ``published`` its creation; the feed's
``updated`` is its newest entry's. Each feed reads a fixed number of rows (``FEED_ITEMS`` per
kind), whatever the size of the knowledge base. Pages link to their feed with
``<link rel="alternate" type="application/atom+xml">`` (the ``feed`` context variable).
"""

import heapq

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from taggit.models import Tag

from . import models as m
from .kinds import KINDS, KINDS_BY_KEY, kind_of

FEED_ITEMS = 30


def newest(querysets, limit=FEED_ITEMS):
    """The ``limit`` most recently changed records of several querysets (one query each)."""
    rows = [list(queryset.order_by("-updated", "-pk")[:limit]) for queryset in querysets]
    return heapq.nlargest(limit, (row for part in rows for row in part), key=lambda row: row.updated)


class KnowledgeFeed(Feed):
    feed_type = Atom1Feed
    read_only = True  # GET and HEAD only (articles.middleware.ReadOnlyViewsMiddleware); page-cached
    mixed = True  # entries of several kinds: each title says its kind

    def get_feed(self, obj, request):
        self.request = request
        return super().get_feed(obj, request)

    def feed_guid(self, obj):
        """The feed's own address: an entry's id is its page, which may also be the feed's link."""
        return self.request.build_absolute_uri(self.request.path)

    def author_name(self):
        return _("Large-model startup knowledge base")

    def item_title(self, item):
        # Atom titles are plain text (the XML writer escapes them), so no HTML escaping here.
        if not self.mixed:
            return item.title
        return f"{kind_of(item).model._meta.verbose_name}{pgettext('label separator', ': ')}{item.title}"

    def item_description(self, item):
        return item.summary or item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [str(kind_of(item).label)]


class LatestFeed(KnowledgeFeed):
    def title(self):
        return _("Large-model startup knowledge base: new and changed")

    def link(self):
        return reverse("articles:home")

    def subtitle(self):
        return _("Every record that was added or changed, newest first.")

    def items(self):
        return newest(kind.model.objects.all() for kind in KINDS)


class KindFeed(KnowledgeFeed):
    mixed = False

    def get_object(self, request, slug):
        if slug not in KINDS_BY_KEY:
            raise Http404(slug)
        return KINDS_BY_KEY[slug]

    def title(self, kind):
        return _("Large-model startup knowledge base: %(kind)s") % {"kind": kind.label}

    def link(self, kind):
        return reverse(kind.list_url_name)

    def subtitle(self, kind):
        return kind.description

    def items(self, kind):
        return newest([kind.model.objects.all()])


class TagFeed(KnowledgeFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return _("Large-model startup knowledge base: #%(tag)s") % {"tag": tag.name}

    def link(self, tag):
        return reverse("articles:tag-detail", args=[tag.slug])

    def subtitle(self, tag):
        return _("Records tagged %(tag)s, newest change first.") % {"tag": tag.name}

    def items(self, tag):
        return newest(kind.model.objects.filter(tags=tag) for kind in KINDS)


class ChallengeFeed(KnowledgeFeed):
    def get_object(self, request, slug):
        return get_object_or_404(m.Challenge, slug=slug)

    def title(self, challenge):
        return _("Large-model startup knowledge base: %(challenge)s") % {"challenge": challenge.title}

    def link(self, challenge):
        return challenge.get_absolute_url()

    def subtitle(self, challenge):
        return _("The challenge, its strategies and the cases that met it, newest change first.")

    def items(self, challenge):
        return newest(
            [
                m.Challenge.objects.filter(pk=challenge.pk),
                m.Strategy.objects.filter(mitigations__challenge=challenge),
                m.CaseStudy.objects.filter(lessons__challenge=challenge).distinct(),
            ]
        )
