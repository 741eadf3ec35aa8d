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
from django.utils.translation import gettext_lazy as _

from . import models as m

MAX_QUERY_LENGTH = 100
MAX_TERMS = 5
RESULTS_PER_GROUP = 10


@dataclass(frozen=True)
class SearchType:
    key: str
    model: type
    label: str
    fields: tuple


SEARCH_TYPES = (
    SearchType(
        "cases",
        m.CaseStudy,
        _("Case studies"),
        (
            "organisation",
            "product",
            "key_figures",
            "lessons__title",
            "lessons__body",
            "case_factors__explanation",
        ),
    ),
    SearchType("challenges", m.Challenge, _("Challenges"), ()),
    SearchType("strategies", m.Strategy, _("Strategies"), ()),
    SearchType("factors", m.SuccessFactor, _("Success factors"), ()),
    SearchType("concepts", m.Concept, _("Concepts"), ("name_en",)),
    SearchType("advantages", m.Advantage, _("Advantages"), ()),
    SearchType("trends", m.Trend, _("Trends"), ()),
    SearchType("advice", m.Advice, _("Advice"), ()),
    SearchType("resources", m.Resource, _("Resources"), ("authors",)),
    SearchType("faq", m.FAQ, _("FAQ"), ()),
)
SEARCH_TYPES_BY_KEY = {search_type.key: search_type for search_type in SEARCH_TYPES}
ENTRY_FIELDS = ("title", "summary", "body", "editor_note", "tags__name")


class QueryError(ValueError):
    """The query cannot be searched; the message says why, for the reader."""


def split_terms(query):
    """Split a query into distinct terms; raise QueryError when it is unusable."""
    query = query.strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("The search text is too long (at most %(max)d characters).") % {"max": MAX_QUERY_LENGTH}
        )
    if "\x00" in query:
        raise QueryError(_("The search text contains a null character."))
    terms = []
    for term in query.split():
        if term.casefold() not in (t.casefold() for t in terms):
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise QueryError(_("Use at most %(max)d search terms.") % {"max": MAX_TERMS})
    return terms


def matching_ids(search_type, terms):
    """Ids of the ``search_type`` records that contain every term somewhere (a values queryset)."""
    fields = (*ENTRY_FIELDS, *search_type.fields)
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return search_type.model.objects.filter(condition).values("pk")


def matching(search_type, terms, ids=None):
    """QuerySet of the matching records, those whose title holds a term first.

    Filtering by id keeps the joins over tags and children from duplicating rows;
    ``ids`` may be given when they were already fetched.
    """
    if ids is None:
        ids = matching_ids(search_type, terms)
    in_title = Q()
    for term in terms:
        in_title |= Q(title__icontains=term)
    return (
        search_type.model.objects.filter(pk__in=ids)
        .annotate(title_rank=Case(When(in_title, then=Value(0)), default=Value(1)))
        .order_by("title_rank", "position", "title")
    )


@dataclass
class SearchGroup:
    search_type: SearchType
    count: int
    results: list


def search_groups(terms, limit=RESULTS_PER_GROUP):
    """Groups of results per record kind, skipping empty kinds.

    One query per kind finds the ids (the costly OR over fields and joins is planned
    once); kinds with results take two more, for the first records and their tags.
    """
    groups = []
    for search_type in SEARCH_TYPES:
        ids = list(matching_ids(search_type, terms).values_list("pk", flat=True))
        if not ids:
            continue
        results = list(matching(search_type, terms, ids=ids).prefetch_related("tags")[:limit])
        groups.append(SearchGroup(search_type, len(ids), results))
    return groups


def highlight_pattern(terms):
    """A case-insensitive regex that matches any of ``terms``."""
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in ordered), re.IGNORECASE)
