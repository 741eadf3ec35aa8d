"""Search across every record kind, for Chinese as well as English.

Matching runs on the full-text index of :mod:`articles.search_index` (CJK bigrams, so
two-character words such as 隐私 are found without scanning); space-separated terms
must all match (AND). Results whose title holds a term come first.
"""

import re
from dataclasses import dataclass

from django.db.models import Case, Q, Value, When

from . import search_index
from .kinds import KINDS, Kind
from .synonyms import expand
from .tagging import tags_by_record

RESULTS_PER_GROUP = 10


def matching(kind: Kind, terms):
    """QuerySet of the matching records (a term also matches by its synonyms), those whose
    title holds a term or a synonym first."""
    expanded = expand(terms)
    in_title = Q()
    for term in (word for alternatives in expanded for word in alternatives):
        in_title |= Q(title__icontains=term)
    return (
        search_index.filter_matching(kind.model.objects.all(), kind.key, expanded)
        .annotate(title_rank=Case(When(in_title, then=Value(0)), default=Value(1)))
        .order_by("title_rank", "position", "title")
    )


@dataclass
class SearchGroup:
    kind: Kind
    count: int
    results: list


def search_groups(terms, limit=RESULTS_PER_GROUP):
    """Groups of results per record kind, skipping empty kinds.

    One query counts the matches of every kind; kinds with results take two more, for
    their first records and their tags.
    """
    terms = expand(terms)
    counts = search_index.counts(terms)
    return [
        SearchGroup(kind, counts[kind.key], list(matching(kind, terms)[:limit]))
        for kind in KINDS
        if counts.get(kind.key)
    ]


def attach_tag_names(records):
    """Set ``tag_names`` on each of ``records`` (of any kinds), from one query for all of them."""
    for record, tags in tags_by_record(records).items():
        record.tag_names = [name for _slug, name in tags]


def highlight_pattern(terms):
    """A case-insensitive regex that matches any of ``terms``."""
    if not terms:
        return None
    ordered = sorted({word for alternatives in expand(terms) for word in alternatives}, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in ordered), re.IGNORECASE)
