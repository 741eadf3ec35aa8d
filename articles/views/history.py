"""The public change history: a record's published changes, and 最近更新 across every kind.

Each change is a reversion revision: its date, the editor's one-line summary (the revision's
comment, asked for in the admin) and which fields changed. Editors' names are shown only with
``KB_PUBLIC_EDITOR_NAMES``; readers' reports never are.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision, Version

from ..facets import build_url
from ..kinds import KINDS, KINDS_BY_PREFIX, child_models
from ..pagecache import cached_page
from ..params import PagedForm
from .base import page_links, page_of, read_only, render_page

CHANGES_PER_PAGE = 20
IGNORED_FIELDS = {"updated", "created", "body_html", "position"}


@dataclass
class Change:
    """One published change of a record."""

    date: object
    summary: str
    editor: str = ""
    fields: list = field(default_factory=list)  # labels of the fields that changed
    first: bool = False  # the record's first version: nothing to compare with


def _data(version):
    """A version's stored fields (its serialized JSON), without deserializing model instances."""
    try:
        return json.loads(version.serialized_data)[0]["fields"]
    except (ValueError, LookupError, TypeError):
        return {}


def _editor(revision):
    if settings.KB_PUBLIC_EDITOR_NAMES and revision.user_id:
        return revision.user.get_full_name() or revision.user.get_username()
    return ""


def record_changes(record, versions, older):
    """The Change of each of ``versions`` (newest first); ``older`` is the version before the last."""
    model = type(record)
    labels = {f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    children = {ContentType.objects.get_for_model(child).pk: child for child in child_models()}
    revision_ids = [v.revision_id for v in versions] + ([older.revision_id] if older else [])
    rows = {}  # revision id -> {child model: sorted serialized rows}
    for row in Version.objects.filter(revision_id__in=revision_ids, content_type_id__in=children).only(
        "revision_id", "content_type_id", "serialized_data"
    ):
        rows.setdefault(row.revision_id, {}).setdefault(children[row.content_type_id], []).append(
            json.dumps(_data(row), sort_keys=True)
        )
    changes = []
    chain = [*versions, older]
    for version, previous in zip(versions, chain[1:], strict=True):
        if previous is None:
            revision = version.revision
            changes.append(
                Change(revision.date_created, revision.get_comment(), _editor(revision), first=True)
            )
            continue
        now, before = _data(version), _data(previous)
        changed = [
            labels.get(name, name)
            for name in now
            if name not in IGNORED_FIELDS and now[name] != before.get(name)
        ]
        here, there = (
            rows.get(version.revision_id, {}),
            rows.get(previous.revision_id, {}) if previous else {},
        )
        for child in sorted({*here, *there}, key=lambda c: c._meta.verbose_name_plural):
            if sorted(here.get(child, [])) != sorted(there.get(child, [])):
                changed.append(str(child._meta.verbose_name_plural))
        revision = version.revision
        changes.append(Change(revision.date_created, revision.get_comment(), _editor(revision), changed))
    return changes


@cached_page("page")
@read_only
def record_history(request, prefix, slug):
    """A record's change history: ``/history/<url prefix>/<slug>/`` (``/history/case/openai-gpt3/``)."""
    found = KINDS_BY_PREFIX.get(prefix)
    if found is None:
        raise Http404
    record = get_object_or_404(found.model, slug=slug)
    versions = Version.objects.get_for_object(record).select_related("revision", "revision__user")
    form = PagedForm(request.GET)
    page, notice = page_of(form, versions, CHANGES_PER_PAGE)
    shown = list(page.object_list)
    start = (page.number - 1) * CHANGES_PER_PAGE + len(shown)
    older = versions[start] if start < page.paginator.count else None
    context = {
        "page_title": _("Change history"),
        "breadcrumbs": [(found.label, found.list_url_name)],
        "record": record,
        "changes": record_changes(record, shown, older),
        "total": page.paginator.count,
        "page_obj": page,
        "page_links": page_links(page, lambda n: build_url(request.path, {"page": [n]})),
        "notices": [*form.notices(), *filter(None, [notice])],
    }
    return render_page(request, "articles/record_history.html", context)


@dataclass
class RecentChange:
    date: object
    summary: str
    editor: str
    kind: object
    title: str
    url: str


def recent_changes(revisions):
    """The records each revision changed (one line per record), newest first."""
    kinds = {ContentType.objects.get_for_model(kind.model).pk: kind for kind in KINDS}
    lines = []
    for revision in revisions:
        for version in revision.version_set.all():
            kind = kinds.get(version.content_type_id)
            if kind is None:
                continue
            slug = _data(version).get("slug", "")
            try:
                url = reverse(kind.detail_url_name, kwargs={"slug": slug})
            except NoReverseMatch:
                url = ""
            lines.append(
                RecentChange(
                    revision.date_created,
                    revision.get_comment(),
                    _editor(revision),
                    kind,
                    version.object_repr,
                    url,
                )
            )
    return lines


def recent_revisions():
    """Revisions of the records (newest first) with their versions: a bounded page is read from it."""
    kinds = [ContentType.objects.get_for_model(kind.model).pk for kind in KINDS]
    return (
        Revision.objects.filter(version__content_type_id__in=kinds)
        .distinct()
        .order_by("-date_created", "-pk")
        .select_related("user")
        .prefetch_related("version_set")
    )


@cached_page("page")
@read_only
def changes(request):
    """最近更新: the latest published changes across every kind, with a feed."""
    form = PagedForm(request.GET)
    page, notice = page_of(form, recent_revisions(), CHANGES_PER_PAGE)
    context = {
        "page_title": _("Recent changes"),
        "page_intro": _(
            "What the editors changed lately, newest first. Each record page has its own history."
        ),
        "breadcrumbs": [],
        "changes": recent_changes(page.object_list),
        "page_obj": page,
        "page_links": page_links(page, lambda n: build_url(request.path, {"page": [n]})),
        "notices": [*form.notices(), *filter(None, [notice])],
    }
    return render_page(request, "articles/changes.html", context)
