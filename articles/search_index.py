"""A full-text index for Chinese and English: CJK bigrams, the way Lucene's CJK analyzer works.

Chinese has no spaces, so each run of CJK characters is indexed as its overlapping
two-character tokens (隐私保护 → 隐私 私保 保护) followed by its single characters; other
text as lower-case words. A query term becomes the same tokens: a two-character or longer
Chinese term is the phrase of its bigrams (found wherever the term occurs as a substring),
a single character its unigram, an English term a prefix (``transform*``). All terms must
match (AND).

One row per record (:class:`~articles.models.SearchEntry`, its ``tokens``) holds the text
search looks at: title, summary, body, editor's note, tag names and the kind's
``search_fields`` (a case's founders, other names, lessons …). On SQLite the rows are
mirrored into an FTS5 table; on PostgreSQL a stored ``document`` column holds
``to_tsvector('simple', tokens)`` under a GIN index. The index is kept current on every
save (signals, in the same transaction) and rebuilt by ``generate_synthetic`` and
``rebuild_search_index``.
"""

import re

from django.db import connection, connections
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from taggit.models import Tag, TaggedItem

from .kinds import KINDS, KINDS_BY_MODEL
from .models import SearchEntry
from .pagecache import is_content

# What search looks at in every record; each kind adds its own ``search_fields``.
ENTRY_FIELDS = ("title", "summary", "body", "editor_note", "tags__name")

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK}]+|[^\W_]+", re.UNICODE)
CJK_RUN = re.compile(rf"^[{CJK}]+$")
FTS_TABLE = "articles_searchentry_fts"


def tokenize(text):
    """Index tokens of ``text``: bigrams and words in order, then CJK single characters."""
    stream, singles = [], []
    for match in TOKEN.finditer(text.lower()):
        run = match.group(0)
        if CJK_RUN.match(run):
            if len(run) == 1:
                stream.append(run)
            else:
                stream.extend(run[i : i + 2] for i in range(len(run) - 1))
            singles.extend(run)
        else:
            stream.append(run)
    return " ".join([*stream, *singles])


def term_parts(term):
    """A query term as (tokens that must be adjacent, prefix last token?)."""
    parts = []
    for match in TOKEN.finditer(term.lower()):
        run = match.group(0)
        if CJK_RUN.match(run):
            parts.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
        else:
            parts.append(run)
    last_is_word = bool(parts) and not CJK_RUN.match(parts[-1])
    return parts, last_is_word


def _alternatives(terms):
    """Each term as a list of alternatives: a plain term, or a list (the term and its synonyms)."""
    return [term if isinstance(term, list) else [term] for term in terms]


def fts5_query(terms):
    """All terms must match; a term given as a list matches by any of its words."""
    clauses = []
    for alternatives in _alternatives(terms):
        phrases = []
        for term in alternatives:
            parts, prefix = term_parts(term)
            if parts:
                phrases.append('"' + " ".join(parts) + '"' + ("*" if prefix else ""))
        if phrases:
            clauses.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(clauses)


def tsquery(terms):
    clauses = []
    for alternatives in _alternatives(terms):
        phrases = []
        for term in alternatives:
            parts, prefix = term_parts(term)
            if not parts:
                continue
            words = [part.replace("'", "").replace("\\", "") for part in parts]
            if prefix:
                words[-1] += ":*"
            phrases.append("(" + " <-> ".join(words) + ")")
        if phrases:
            clauses.append(phrases[0] if len(phrases) == 1 else "(" + " | ".join(phrases) + ")")
    return " & ".join(clauses)


def _match(terms):
    """(SQL that selects kind and record_id of the matching index rows, params), or None."""
    if connection.vendor == "sqlite":
        query = fts5_query(terms)
        sql = f"SELECT kind, record_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    else:
        query = tsquery(terms)
        sql = "SELECT kind, record_id FROM articles_searchentry WHERE document @@ to_tsquery('simple', %s)"
    return (sql, [query]) if query else None


def counts(terms):
    """{kind key: number of matching records}, in one query."""
    match = _match(terms)
    if match is None:
        return {}
    sql, params = match
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, COUNT(*) FROM ({sql}) AS hits GROUP BY kind", params)  # noqa: S608
        return dict(cursor.fetchall())


def filter_matching(queryset, kind_key, terms):
    """``queryset`` (of the kind's model) narrowed to the records that match, by a subquery."""
    match = _match(terms)
    if match is None:
        return queryset.none()
    sql, params = match
    hits = f"SELECT record_id FROM ({sql}) AS hits WHERE kind = %s"  # noqa: S608
    if connection.vendor == "postgresql":
        # ARRAY(…) runs the index search once, before the rows are read by primary key (with
        # a plain IN (…) the planner may sort the whole table first, misjudging how few match).
        hits = f"SELECT unnest(ARRAY({hits}))"
    return queryset.filter(pk__in=RawSQL(hits, [*params, kind_key]))  # noqa: S611 - values are bound parameters


# -- Keeping the index current ----------------------------------------------------------


def document(kind, record):
    """All the text search looks at for ``record``, as one string."""

    texts = []
    for name in (*ENTRY_FIELDS, *kind.search_fields):
        path = name.split("__")
        texts.extend(_values(record, path))
    return "\n".join(text for text in texts if text)


def _values(obj, path):
    if obj is None:
        return []
    head, rest = path[0], path[1:]
    value = getattr(obj, head)
    if hasattr(value, "all"):  # a related manager
        values = []
        for item in value.all():
            values.extend(_values(item, rest) if rest else [str(item)])
        return values
    return _values(value, rest) if rest else [str(value) if value is not None else ""]


def _prefetch(kind):
    paths = {name.rsplit("__", 1)[0] for name in kind.search_fields if "__" in name}
    return kind.model.objects.prefetch_related("tags", *paths)


def index_records(kind, records):
    """Write the index rows of ``records`` (of ``kind``), replacing what was there."""
    write_rows(kind, [(record.pk, document(kind, record)) for record in records])


def write_rows(kind, documents):
    """Write index rows from (record id, text) pairs, replacing what was there."""

    rows = [(pk, tokenize(text)) for pk, text in documents]
    ids = [pk for pk, _tokens in rows]
    SearchEntry.objects.filter(kind=kind.key, record_id__in=ids).delete()
    SearchEntry.objects.bulk_create(
        [SearchEntry(kind=kind.key, record_id=pk, tokens=tokens) for pk, tokens in rows], batch_size=2000
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE kind = %s AND record_id IN ({marks})",  # noqa: S608
                    [kind.key, *chunk],
                )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (tokens, kind, record_id) VALUES (%s, %s, %s)",  # noqa: S608
                [(tokens, kind.key, pk) for pk, tokens in rows],
            )


def unindex_many(kind, ids):

    SearchEntry.objects.filter(kind=kind.key, record_id__in=ids).delete()
    if connection.vendor == "sqlite" and ids:
        marks = ",".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            sql = f"DELETE FROM {FTS_TABLE} WHERE kind = %s AND record_id IN ({marks})"  # noqa: S608
            cursor.execute(sql, [kind.key, *ids])


def unindex(kind, record_id):

    SearchEntry.objects.filter(kind=kind.key, record_id=record_id).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            sql = f"DELETE FROM {FTS_TABLE} WHERE kind = %s AND record_id = %s"  # noqa: S608
            cursor.execute(sql, [kind.key, record_id])


def reindex(kind, ids):
    ids = list(ids)
    for start in range(0, len(ids), 2000):
        index_records(kind, _prefetch(kind).filter(pk__in=ids[start : start + 2000]))


def rebuild():
    """Index every record of every kind from scratch."""

    SearchEntry.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    for kind in KINDS:
        reindex(kind, kind.model.objects.values_list("pk", flat=True))


def records_touched(instance):
    """(kind, record id) pairs whose index text ``instance`` is part of."""
    kind = KINDS_BY_MODEL.get(type(instance))
    if kind:
        return [(kind, instance.pk)]
    if isinstance(instance, TaggedItem):
        model = instance.content_type.model_class() if instance.content_type_id else None
        kind = KINDS_BY_MODEL.get(model)
        return [(kind, instance.object_id)] if kind else []
    if isinstance(instance, Tag):
        return [
            (KINDS_BY_MODEL[item.content_type.model_class()], item.object_id)
            for item in TaggedItem.objects.filter(tag=instance).select_related("content_type")
            if item.content_type.model_class() in KINDS_BY_MODEL
        ]
    touched = []
    for kind in KINDS:
        for field in type(instance)._meta.get_fields():
            if getattr(field, "many_to_one", False) and field.related_model is kind.model:
                parent_id = getattr(instance, field.attname, None)
                if parent_id and any(
                    name.split("__")[0] == field.related_query_name() for name in kind.search_fields
                ):
                    touched.append((kind, parent_id))
    return touched


def _saved(sender, instance, **kwargs):
    if not is_content(sender):
        return
    for kind, record_id in records_touched(instance):
        reindex(kind, [record_id])


def _deleted(sender, instance, **kwargs):
    if not is_content(sender):
        return
    for kind, record_id in records_touched(instance):
        if type(instance) is kind.model:
            unindex(kind, record_id)
        else:
            reindex(kind, [record_id])  # a child row or tag link went: its record's text changed


def _linked(sender, instance, action, **kwargs):
    if action.startswith("post_") and is_content(type(instance)):
        for kind, record_id in records_touched(instance):
            reindex(kind, [record_id])


def _after_migrate(sender, using="default", **kwargs):
    """A database that has content but no index (e.g. just migrated) gets one."""
    tables = connections[using].introspection.table_names()
    if SearchEntry._meta.db_table not in tables or KINDS[0].model._meta.db_table not in tables:
        return  # migrated back to before the index (or not yet to the content)
    if not SearchEntry.objects.exists() and any(kind.model.objects.exists() for kind in KINDS):
        rebuild()


def connect_signals(app_config):
    post_save.connect(_saved, dispatch_uid="kb-search-saved")
    post_delete.connect(_deleted, dispatch_uid="kb-search-deleted")
    m2m_changed.connect(_linked, dispatch_uid="kb-search-linked")
    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="kb-search-migrated")
