"""Tags of many records at once, and a record's tag links as HTML.

A page that shows the tags of a list of records (search results, case cards) reads them here
in one query for all kinds, where a ``prefetch_related("tags")`` per kind would take one
query per kind and build a model instance per tag. The tag links of record pages and case
cards are built by :func:`tag_list` (templates use the ``tag_list`` tag).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext
from taggit.models import TaggedItem

from .links import url_builder
from .markup import html, join


def tags_by_record(records):
    """{record: [(slug, name), …]} for ``records`` (model instances of any kinds), in one query."""
    ids = {}
    for record in records:
        ids.setdefault(type(record), []).append(record.pk)
    if not ids:
        return {}
    content_types = ContentType.objects.get_for_models(*ids)  # cached after the first request
    wanted = Q()
    for model, pks in ids.items():
        wanted |= Q(content_type=content_types[model], object_id__in=pks)
    found = {}
    rows = (
        TaggedItem.objects.filter(wanted)
        .order_by("pk")
        .values_list("content_type", "object_id", "tag__slug", "tag__name")
    )
    for content_type, object_id, slug, name in rows:
        found.setdefault((content_type, object_id), []).append((slug, name))
    return {record: found.get((content_types[type(record)].pk, record.pk), []) for record in records}


def tag_list(tags, record_lang=""):
    """The tag links of a record: ``tags`` as (slug, name) pairs; nothing when there are none."""
    if not tags:
        return ""
    tag_url = url_builder("articles:tag-detail", "slug")
    items = join(
        html('<li{}><a class="tag" href="{}">#{}</a></li>', record_lang, tag_url(slug=slug), name)
        for slug, name in tags
    )
    return html('\n<ul class="tag-list" aria-label="{}">\n  {}\n</ul>\n', gettext("Tags"), items)
