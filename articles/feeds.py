"""Atom feeds (``django.contrib.syndication``): what is new or changed, newest first.

* ``/feeds/``: every record kind together;
* ``/feeds/<kind>/``: one kind (``/feeds/cases/``);
* ``/feeds/tags/<slug>/``: the records with a tag;
* ``/feeds/challenges/<slug>/``: a challenge, its strategies and the cases that met it.

An entry's ``updated`` is the record's last change, its ``published`` its creation; the feed's
``updated`` is its newest entry's. Each feed reads a fixed number of rows (``FEED_ITEMS`` per
kind), whatever the size of the knowledge base. Pages link to their feed with
``<link rel="alternate" type="application/atom+xml">`` (the ``feed`` context variable). The feeds
are page-cached: ``articles/urls.py`` marks each with ``cached_page()``.
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
from .views.history import recent_changes, recent_revisions

FEED_ITEMS = 30


def newest(querysets, limit=FEED_ITEMS):
    """The ``limit`` most recently changed records of several querysets (one query each)."""
    rows = [list(queryset.order_by("-updated", "-pk")[:limit]) for queryset in querysets]
    return heapq.nlargest(limit, (row for part in rows for row in part), key=lambda row: row.updated)


class AtomFeedWithOwnId(Atom1Feed):
    """An Atom feed whose id is its own address: an entry's id is its page, which may also be the
    feed's link (a challenge's feed links to the challenge), so the link cannot be the feed's id.

    ``Feed.get_feed`` passes ``feed_url``, the address of the feed being requested, built from
    that request; nothing of the request is kept anywhere else.
    """

    def __init__(self, *args, feed_url=None, feed_guid=None, **kwargs):
        super().__init__(*args, feed_url=feed_url, feed_guid=feed_guid or feed_url, **kwargs)


class KnowledgeFeed(Feed):
    """What the feeds share.

    Django makes one instance of each feed class per URLconf, and every request, in every thread
    of a worker, calls that instance: so a feed keeps nothing on ``self``. What a request needs
    reaches the methods as arguments (``get_object`` gets the request; the other methods get the
    object it returned, or an item).
    """

    feed_type = AtomFeedWithOwnId
    read_only = True  # GET and HEAD only (articles.middleware.ReadOnlyViewsMiddleware)
    mixed = True  # entries of several kinds: each title says its kind

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


class ChangesFeed(KnowledgeFeed):
    """最近更新 as a feed: each published change of a record, with the editor's summary
    (``/feeds/changes/``). Like the page, it reads a fixed number of revisions. Its items are
    changes (``views.history.RecentChange``), not records, so it says how to read each."""

    def title(self):
        return _("Large-model startup knowledge base: recent changes")

    def link(self):
        return reverse("articles:changes")

    def items(self):
        return recent_changes(recent_revisions()[:FEED_ITEMS])

    def item_title(self, item):
        return f"{item.kind.model._meta.verbose_name}{pgettext('label separator', ': ')}{item.title}"

    def item_description(self, item):
        return item.summary or item.title

    def item_link(self, item):
        return item.url or reverse("articles:changes")

    def item_guid(self, item):
        return f"{item.url or reverse('articles:changes')}#{item.date.isoformat()}"

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date

    def item_categories(self, item):
        return [str(item.kind.label)]
