"""Search across every record kind, for Chinese as well as English.

Chinese has no spaces between words, so full-text tokenisers either treat a
phrase as one token (FTS5 default, PostgreSQL ``simple``) or need three
characters (trigram) and miss two-character words such as 隐私. A substring
match (``icontains``) over titles, summaries, bodies and tag names finds them
on SQLite and PostgreSQL alike, and is fast enough for a knowledge base of a
few thousand records. Space-separated terms must all match (AND).
"""

import re
from dataclasses import dataclass

from django.db.models import Case, Q, Value, When

from .kinds import KINDS, Kind

RESULTS_PER_GROUP = 10
ENTRY_FIELDS = ("title", "summary", "body", "editor_note", "tags__name")


def matching_ids(kind: Kind, terms):
    """Ids of the ``kind`` records that contain every term somewhere (a values queryset)."""
    fields = (*ENTRY_FIELDS, *kind.search_fields)
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return kind.model.objects.filter(condition).values("pk")


def matching(kind: Kind, terms, ids=None):
    """QuerySet of the matching records, those whose title holds a term first.

    Filtering by id keeps the joins over tags and children from duplicating rows;
    ``ids`` may be given when they were already fetched.
    """
    if ids is None:
        ids = matching_ids(kind, terms)
    in_title = Q()
    for term in terms:
        in_title |= Q(title__icontains=term)
    return (
        kind.model.objects.filter(pk__in=ids)
        .annotate(title_rank=Case(When(in_title, then=Value(0)), default=Value(1)))
        .order_by("title_rank", "position", "title")
        .prefetch_related("tags")
    )


@dataclass
class SearchGroup:
    kind: Kind
    count: int
    results: list


def search_groups(terms, limit=RESULTS_PER_GROUP):
    """Groups of results per record kind, skipping empty kinds.

    One query per kind finds the ids (the costly OR over fields and joins is planned
    once); kinds with results take two more, for the first records and their tags.
    """
    groups = []
    for kind in KINDS:
        ids = list(matching_ids(kind, terms).values_list("pk", flat=True))
        if not ids:
            continue
        results = list(matching(kind, terms, ids=ids)[:limit])
        groups.append(SearchGroup(kind, len(ids), results))
    return groups


def highlight_pattern(terms):
    """A case-insensitive regex that matches any of ``terms``."""
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in ordered), re.IGNORECASE)
