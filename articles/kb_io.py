"""Reading and writing the knowledge base as JSON fixtures.

One file per record kind, loaded in dependency order. Relations are written by
slug, so the files are readable and stable; tags are plain lists of names,
set through taggit's manager (taggit's own fixture round trip loses tags).
``load_kb`` and ``export_kb`` both read the format from the record kinds in
:mod:`articles.kinds`, so it has one definition.
"""

import datetime as dt
import json
from datetime import datetime
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from taggit.models import Tag

from . import search_index
from .kinds import KINDS, KINDS_BY_KEY, KINDS_BY_MODEL, load_order
from .pagecache import bulk_change, bump

COMMON_FIELDS = ("title", "summary", "body", "source", "editor_note", "position")
TIMESTAMP_FIELDS = ("created", "updated")


class FixtureError(Exception):
    """A fixture file or record is broken; the message names both."""


TAGS_FILE = "tags.json"


def allowed_keys(kind):
    keys = {"slug", "tags", *COMMON_FIELDS, *TIMESTAMP_FIELDS, *kind.fields, *kind.m2m}
    return keys | {child.key for child in kind.children}


# ---------------------------------------------------------------------------
# Loading


def _load_json(path):
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise FixtureError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise FixtureError(f"{path}: not valid UTF-8 ({exc})") from None
    except json.JSONDecodeError as exc:
        raise FixtureError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _read(path):
    data = _load_json(path)
    if not isinstance(data, list):
        raise FixtureError(f"{path}: expected a JSON array of records")
    return data


def _parse_timestamp(value):
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    return parsed


BUNDLE_FORMAT = "kb-bundle"
BUNDLE_VERSION = 1


def _read_bundle(path):
    """The ``files`` of a one-file knowledge base (what the site's JSON downloads are)."""
    data = _load_json(path)
    if not (isinstance(data, dict) and data.get("format") == BUNDLE_FORMAT):
        raise FixtureError(f'{path}: not a knowledge-base download (expected "format": "{BUNDLE_FORMAT}")')
    if data.get("version") != BUNDLE_VERSION:
        version = data.get("version")
        raise FixtureError(f"{path}: unsupported version {version!r} (this site reads {BUNDLE_VERSION})")
    files = data.get("files")
    if not isinstance(files, dict):
        raise FixtureError(f"{path}: 'files' must be an object of fixture file name -> records")
    known = {TAGS_FILE, *(kind.fixture for kind in KINDS)}
    unknown = sorted(set(files) - known)
    if unknown:
        raise FixtureError(f"{path}: unknown files {unknown}")
    return files


class Loader:
    """Loads a fixture directory, or a one-file bundle (a ``.json`` download); counts what changed.

    A bundle holds the fixture files under ``files``; a kind it leaves out is left as it is.
    """

    def __init__(self, source, force=False):
        self.directory = Path(source)
        self.bundle = _read_bundle(self.directory) if self.directory.is_file() else None
        self.force = force  # overwrite records changed in the database after the file was written
        self.warnings = []  # newer database changes kept (or, with force, overwritten)
        self.stats = {}
        self.changed = {}  # kind key -> (kind, ids of the records this load created or changed)

    def _records(self, name):
        """(where, records) of one fixture file; ``where`` names it in messages."""
        if self.bundle is None:
            path = self.directory / name
            return path, _read(path)
        where = f"{self.directory} [{name}]"
        records = self.bundle.get(name, [])
        if not isinstance(records, list):
            raise FixtureError(f"{where}: expected a JSON array of records")
        return where, records

    def load(self):
        # The per-row signal work (content version, search index) is done once at the end,
        # for the records that changed, instead of for every row a record is saved with.
        with transaction.atomic(), bulk_change():
            self._load_tags()
            for kind in load_order():
                self._load_kind(kind)
            for kind, ids in self.changed.values():
                search_index.reindex(kind, ids)
            if any(counts["created"] or counts["updated"] for counts in self.stats.values()):
                bump()  # cached pages show the new content once this commits
        return self.stats

    def _count(self, label, outcome):
        self.stats.setdefault(label, {"created": 0, "updated": 0, "unchanged": 0, "kept": 0})
        self.stats[label][outcome] += 1

    def _load_tags(self):
        path, records = self._records(TAGS_FILE)
        for index, record in enumerate(records, start=1):
            where = f"{path}: record #{index}"
            if not isinstance(record, dict) or set(record) != {"name", "slug"}:
                raise FixtureError(f"{where}: a tag needs exactly the keys 'name' and 'slug'")
            name, slug = record["name"], record["slug"]
            if not (isinstance(name, str) and name.strip() and isinstance(slug, str) and slug):
                raise FixtureError(f"{where}: tag name and slug must be non-empty strings")
            where = f"{path}: record #{index} (tag {name!r})"
            tag = Tag.objects.filter(name=name).first()
            if tag is None:
                if Tag.objects.filter(slug=slug).exists():
                    raise FixtureError(f"{where}: slug {slug!r} belongs to another tag")
                Tag.objects.create(name=name, slug=slug)
                self._count(TAGS_FILE, "created")
            elif tag.slug != slug:
                tag.slug = slug
                tag.save(update_fields=["slug"])
                self._count(TAGS_FILE, "updated")
            else:
                self._count(TAGS_FILE, "unchanged")

    def _load_kind(self, kind):
        path, records = self._records(kind.fixture)
        label = kind.fixture
        seen = set()
        for index, record in enumerate(records, start=1):
            slug = record.get("slug") if isinstance(record, dict) else None
            where = f"{path}: record #{index}" + (f" (slug {slug!r})" if slug else "")
            try:
                if not isinstance(record, dict):
                    raise FixtureError("a record must be a JSON object")
                if not slug or not isinstance(slug, str):
                    raise FixtureError("missing 'slug'")
                if slug in seen:
                    raise FixtureError("duplicate slug in this file")
                seen.add(slug)
                unknown = set(record) - allowed_keys(kind)
                if unknown:
                    raise FixtureError(f"unknown keys {sorted(unknown)}")
                newer = self._newer_in_database(kind, record)
                if newer and not self.force:
                    self.warnings.append(
                        f"{where}: kept the database's newer change ({newer[0]}; the file has {newer[1]}). "
                        "Run load_kb --force to overwrite it."
                    )
                    self._count(label, "kept")
                    continue
                if newer:
                    self.warnings.append(f"{where}: overwrote the database's newer change ({newer[0]}).")
                outcome = self._load_record(kind, record)
            except FixtureError as exc:
                raise FixtureError(f"{where}: {exc}") from None
            except ValidationError as exc:
                raise FixtureError(f"{where}: {'; '.join(_messages(exc))}") from None
            except (TypeError, ValueError) as exc:
                raise FixtureError(f"{where}: {exc}") from None
            self._count(label, outcome)

    def _newer_in_database(self, kind, record):
        """(database time, file time) when the record was changed in the database after the file's
        ``updated`` and differs from it (an editor's work that loading would overwrite), else None."""
        if "updated" not in record:
            return None
        instance = kind.model.objects.select_for_update().filter(slug=record["slug"]).first()
        if instance is None:
            return None
        in_file = _parse_timestamp(record["updated"])
        if instance.updated <= in_file:
            return None
        current = export_record(kind, for_export(kind).get(pk=instance.pk))
        if all(
            _same(current.get(name), value) for name, value in record.items() if name not in TIMESTAMP_FIELDS
        ):
            return None
        return timestamp(instance.updated), timestamp(in_file)

    def _lookup(self, model, slug, key):
        if slug is None:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            raise FixtureError(f"'{key}' refers to unknown {model._meta.verbose_name} {slug!r}") from None

    def _load_record(self, kind, record):
        model = kind.model
        instance = model.objects.filter(slug=record["slug"]).first()
        created = instance is None
        if created:
            instance = model(slug=record["slug"])
        changed = created
        for name in (*COMMON_FIELDS, *kind.fields):
            if name not in record:
                continue
            value = _python(model._meta.get_field(name), record[name])
            if getattr(instance, name) != value:
                setattr(instance, name, value)
                changed = True
        instance.full_clean(exclude=["tags"])
        if changed:
            instance.save()

        changed |= self._set_tags(instance, record.get("tags", []))
        for attribute, related_model in kind.m2m.items():
            wanted = [self._lookup(related_model, slug, attribute) for slug in record.get(attribute, [])]
            manager = getattr(instance, attribute)
            if {obj.pk for obj in manager.all()} != {obj.pk for obj in wanted}:
                manager.set(wanted)
                changed = True
        for child in kind.children:
            changed |= self._set_children(instance, child, record.get(child.key, []))
        problems = instance.integrity_problems()
        if problems:
            raise FixtureError("; ".join(str(problem) for problem in problems))
        changed |= self._set_timestamps(instance, record, created)
        if changed:
            self.changed.setdefault(kind.key, (kind, []))[1].append(instance.pk)
            # A revision of its own per record, so that reverting one record to what a
            # load wrote never touches another record.
            instance.refresh_from_db()
            with reversion.create_revision():
                # The public change history shows this comment: it names the file, not its path.
                reversion.set_comment(f"load_kb {Path(str(self.directory)).name}")
                reversion.add_to_revision(instance)
        if created:
            return "created"
        return "updated" if changed else "unchanged"

    def _set_tags(self, instance, names):
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise FixtureError("'tags' must be a list of tag names")
        tags = []
        for name in names:
            tag = Tag.objects.filter(name=name).first()
            if tag is None:
                raise FixtureError(f"tag {name!r} is not defined in {TAGS_FILE}")
            tags.append(tag)
        if {t.pk for t in instance.tags.all()} == {t.pk for t in tags}:
            return False
        instance.tags.set(tags)
        return True

    def _set_children(self, instance, child, rows):
        if not isinstance(rows, list):
            raise FixtureError(f"'{child.key}' must be a list")
        wanted = []
        for position, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise FixtureError(f"'{child.key}' item #{position} must be an object")
            unknown = set(row) - {*child.fields, *child.refs}
            if unknown:
                raise FixtureError(f"'{child.key}' item #{position}: unknown keys {sorted(unknown)}")
            values = {"position": position}
            for name in child.fields:
                values[name] = _python(child.model._meta.get_field(name), row.get(name))
            for name, model in child.refs.items():
                if name in child.required_refs and not row.get(name):
                    raise FixtureError(f"'{child.key}' item #{position}: missing '{name}'")
                values[name] = self._lookup(model, row.get(name), f"{child.key}.{name}")
            wanted.append(values)

        manager = getattr(instance, child.accessor)
        existing = [
            {
                "position": obj.position,
                **{name: getattr(obj, name) for name in child.fields},
                **{name: getattr(obj, name) for name in child.refs},
            }
            for obj in manager.order_by("position")
        ]
        if existing == wanted:
            return False
        manager.all().delete()
        for values in wanted:
            obj = child.model(**{child.parent_field: instance}, **values)
            obj.full_clean()
            obj.save()
        return True

    def _set_timestamps(self, instance, record, created):
        values = {}
        for name in TIMESTAMP_FIELDS:
            if name in record:
                values[name] = _parse_timestamp(record[name])
        if not values:
            return False
        current = {name: getattr(instance, name) for name in values}
        if not created and current == values:
            return False
        type(instance).objects.filter(pk=instance.pk).update(**values)
        return True


def _same(current, in_file):
    """A record's value equals the file's; child rows compare on the keys the file gives."""
    if isinstance(in_file, list) and isinstance(current, list) and all(isinstance(r, dict) for r in in_file):
        return len(current) == len(in_file) and all(
            isinstance(row, dict) and all(row.get(k) == v for k, v in wanted.items())
            for row, wanted in zip(current, in_file, strict=True)
        )
    if isinstance(in_file, list) and isinstance(current, list):
        return sorted(map(str, current)) == sorted(map(str, in_file))
    return current == in_file


def _python(field, value):
    """A fixture value as the model field holds it (so that comparing with the database is exact)."""
    if value is None:
        return None if field.null else ""
    try:
        return field.to_python(value)
    except ValidationError as exc:
        raise FixtureError(f"{field.name}: {'; '.join(exc.messages)}") from None


def _plain(value):
    """A field value as JSON writes it."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return [f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()]
    return list(exc.messages)


def load_directory(source, force=False):
    """Load every fixture of a directory, or of a bundle file, in one transaction.

    Raises FixtureError, naming the file and the record, on any problem; nothing is then changed.
    A record changed in the database after the file's ``updated`` is kept unless ``force``;
    returns (counts per file, warnings naming each such record).
    """
    loader = Loader(source, force=force)
    return loader.load(), loader.warnings


# ---------------------------------------------------------------------------
# Exporting


def timestamp(value):
    """A timestamp as the fixtures write it, in UTC (the database's time zone)."""
    return value.astimezone(dt.UTC).isoformat()


def for_export(kind, queryset=None):
    """``queryset`` (default: every record of ``kind``) with what a record's fixture form reads."""
    queryset = kind.model.objects.all() if queryset is None else queryset
    return queryset.prefetch_related("tags", *kind.m2m, *(child.prefetch() for child in kind.children))


def export_records(kind):
    """Every record of ``kind`` in the fixture format, in fixture order."""
    return [export_record(kind, obj) for obj in for_export(kind).order_by("position", "slug")]


def export_record(kind, obj):
    """One record in the fixture format (fetched with :func:`for_export`)."""
    record = {"slug": obj.slug}
    for name in (*COMMON_FIELDS, *kind.fields):
        record[name] = _plain(getattr(obj, name))
    record["tags"] = sorted(tag.name for tag in obj.tags.all())
    for attribute in kind.m2m:
        record[attribute] = sorted(related.slug for related in getattr(obj, attribute).all())
    for child in kind.children:
        rows = sorted(getattr(obj, child.accessor).all(), key=lambda row: (row.position, row.pk))
        record[child.key] = [
            {
                **{name: _plain(getattr(row, name)) for name in child.fields},
                **{name: (getattr(row, name).slug if getattr(row, name) else None) for name in child.refs},
            }
            for row in rows
        ]
    record["created"] = timestamp(obj.created)
    record["updated"] = timestamp(obj.updated)
    return record


def kinds_needed(keys):
    """The kinds ``keys`` refer to (through links and child rows), recursively, with ``keys`` themselves."""
    needed, pending = set(), list(keys)
    while pending:
        key = pending.pop()
        if key in needed:
            continue
        needed.add(key)
        kind = KINDS_BY_KEY[key]
        models = [*kind.m2m.values(), *(model for child in kind.children for model in child.refs.values())]
        pending += [KINDS_BY_MODEL[model].key for model in models]
    return needed


CHUNK = 1000  # records read per query batch when exporting chosen records


def chosen(kind, ids):
    """The records of ``kind`` with the given ids, in that order, fetched as :func:`for_export` does,
    ``CHUNK`` at a time (an id list can be longer than a database takes in one query)."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = {obj.pk: obj for obj in for_export(kind, kind.model.objects.filter(pk__in=chunk))}
        yield from (found[pk] for pk in chunk if pk in found)


def export_bundle(selected=None):
    """The knowledge base as one JSON object that ``load_kb`` reads (a ``.json`` file).

    With ``selected`` ({kind key: record ids}), those kinds hold only those records, in
    that order, and only the kinds they refer to are added, whole, so that the file loads
    into an empty database.
    """
    selected = selected or {}
    keys = kinds_needed(selected) if selected else {kind.key for kind in KINDS}
    files = {TAGS_FILE: [{"name": tag.name, "slug": tag.slug} for tag in Tag.objects.order_by("name")]}
    for kind in KINDS:
        if kind.key in selected:
            files[kind.fixture] = [export_record(kind, obj) for obj in chosen(kind, selected[kind.key])]
        elif kind.key in keys:
            files[kind.fixture] = export_records(kind)
    return {"format": BUNDLE_FORMAT, "version": BUNDLE_VERSION, "files": files}


def _write(path, data):
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def export_directory(directory):
    """Write every record kind to ``directory``, a file each, in the format :func:`load_directory` reads."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, records in export_bundle()["files"].items():
        _write(directory / name, records)
        counts[name] = len(records)
    return counts
