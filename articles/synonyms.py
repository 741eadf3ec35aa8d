"""The editors' synonym table (:class:`~articles.models.SynonymGroup`) applied to search terms.

A query term that is a word of a group stands for every word of it: 智能体 also finds
"Agent", "privacy" also finds 隐私. The table is read once per content version (an edit of a
group changes the version, like any content) and kept in memory beside the facet indexes.
"""

from .facet_index import index_for
from .models import SynonymGroup
from .pagecache import current_version


def _build():
    table = {}
    for group in SynonymGroup.objects.all():
        words = group.word_list()
        for word in words:
            table.setdefault(word.lower(), []).extend(w for w in words if w.lower() != word.lower())
    return {word: tuple(dict.fromkeys(others)) for word, others in table.items()}


def table(version=None):
    """{lower-case word: the other words of its groups}."""
    return index_for("synonyms", version or current_version()[0], _build)


def expand(terms, version=None):
    """Each term with its synonyms: [[term, synonym, …], …] (a term without any stays alone).
    Terms expanded already (lists) are returned as they are, without reading the table."""
    if all(isinstance(term, list) for term in terms):
        return list(terms)
    found = table(version)
    return [term if isinstance(term, list) else [term, *found.get(term.lower(), ())] for term in terms]
