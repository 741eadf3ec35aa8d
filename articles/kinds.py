"""The record kinds of the knowledge base, declared once.

Everything that has to know "which kinds of record exist" derives it from
:data:`KINDS`: the header navigation, the home page's sections, search, tag
pages, breadcrumbs, version history, and the fixture format that ``load_kb``
and ``export_kb`` share. Adding a kind is the model, one :class:`Kind` entry
here, its admin, its two URLs and templates, and its fixture file (README,
"Adding a record kind").
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from . import models as m


@dataclass(frozen=True)
class Child:
    """Rows written inline in their parent's fixture record, e.g. a case's lessons."""

    key: str  # the key in the parent's JSON record
    model: type
    parent_field: str
    fields: tuple = ()
    refs: dict = field(default_factory=dict)  # field name -> model looked up by slug
    required_refs: tuple = ()

    @property
    def accessor(self):
        """The parent's reverse accessor for these rows, e.g. ``case_factors``."""
        return self.model._meta.get_field(self.parent_field).related_query_name()

    def prefetch(self):
        """Prefetch of these rows with the records they refer to (one query for all parents)."""
        return Prefetch(self.accessor, queryset=self.model.objects.select_related(*self.refs))


@dataclass(frozen=True)
class Page:
    """A page that is not a record kind's list but sits in the navigation (timeline, tags)."""

    url_name: str
    label: str


@dataclass(frozen=True)
class Kind:
    """One record kind: its model, how readers find it, how it is stored and versioned."""

    key: str  # plural, ASCII: the search type (``?type=cases``) and the list's URL segment
    model: type
    label: str
    description: str
    fixture: str  # file name in fixtures/
    fields: tuple = ()  # the model's own fields in the fixture, beyond every Entry's
    m2m: dict = field(default_factory=dict)  # attribute -> related model, written as slugs
    children: tuple = ()  # Child rows written inside each record
    versioned_children: tuple = ()  # reverse accessors whose rows are versioned with the record
    search_fields: tuple = ()  # looked at by search, beyond every Entry's fields
    tag_filter: bool = False  # the list page filters by tag (?tag=), so tag pages link to it
    nav_after: tuple = ()  # Pages shown right after this kind in the navigation

    @property
    def url_prefix(self):
        """URL names are articles:<prefix>-list and articles:<prefix>-detail (the model says which)."""
        return self.model.url_prefix

    @property
    def list_url_name(self):
        return f"articles:{self.url_prefix}-list"

    @property
    def detail_url_name(self):
        return f"articles:{self.url_prefix}-detail"

    @property
    def dependencies(self):
        """Models this kind's fixture refers to by slug (they load first)."""
        models = set(self.m2m.values())
        for child in self.children:
            models.update(child.refs.values())
        return models - {self.model}


# In the order the home page, the navigation, search and tag pages present them.
# Kind(key, model, label, description, fixture file, **options)
KINDS = (
    Kind(
        "cases",
        m.CaseStudy,
        _("Case studies"),
        _("Who founded on large models, what it took, and what became of them."),
        "cases.json",
        fields=(
            *(
                "organisation",
                "product",
                "founded_year",
                "founded_month",
                "hq_city",
                "hq_country",
                "founders",
            ),
            *("region", "outcome", "outcome_date", "outcome_note", "layer", "access", "sectors", "customers"),
            *("aliases", "disagreements", "last_verified"),
        ),
        m2m={"concepts": m.Concept},
        children=(
            Child(
                "factors", m.CaseFactor, "case", ("explanation",), {"factor": m.SuccessFactor}, ("factor",)
            ),
            Child("lessons", m.Lesson, "case", ("title", "body"), {"challenge": m.Challenge}),
            Child("sources", m.Source, "case", ("title", "publisher", "url", "date", "kind")),
            Child("milestones", m.Milestone, "case", ("date", "kind", "title", "source")),
            Child("figures", m.KeyFigure, "case", ("label", "metric", "value", "unit", "as_of", "source")),
        ),
        versioned_children=("case_factors", "lessons", "sources", "milestones", "key_figures"),
        search_fields=(
            *("organisation", "product", "founders", "aliases", "outcome_note", "vocabulary_text"),
            *("lessons__title", "lessons__body", "case_factors__explanation"),
        ),
        tag_filter=True,
        nav_after=(
            Page("articles:self-check", _("Self-check")),
            Page("articles:compare", _("Compare")),
            Page("articles:insights", _("Charts")),
            Page("articles:case-timeline", _("Case timeline")),
        ),
    ),
    Kind(
        "challenges",
        m.Challenge,
        _("Challenges"),
        _("What stands in a founder's way, and how to get past it."),
        "challenges.json",
        children=(
            Child("strategies", m.Mitigation, "challenge", ("how",), {"strategy": m.Strategy}, ("strategy",)),
        ),
        versioned_children=("mitigations",),
    ),
    # The challenges a strategy mitigates are edited inline on it too, so they are versioned with it.
    Kind(
        "strategies",
        m.Strategy,
        _("Strategies"),
        _("Ways to mitigate each challenge."),
        "strategies.json",
        m2m={"advice": m.Advice},
        versioned_children=("mitigations",),
    ),
    Kind(
        "factors",
        m.SuccessFactor,
        _("Success factors"),
        _("What the successful cases had in common."),
        "factors.json",
    ),
    Kind(
        "concepts",
        m.Concept,
        _("Concepts"),
        _("CNN, RNN, LSTM, GAN, Transformer and the technology around them."),
        "concepts.json",
        fields=("name_en", "kind", "year", "year_is_decade"),
        search_fields=("name_en",),
        nav_after=(Page("articles:timeline", _("Timeline")),),
    ),
    Kind(
        "advantages",
        m.Advantage,
        _("Advantages"),
        _("Why large models open a window for founders."),
        "advantages.json",
    ),
    Kind(
        "trends",
        m.Trend,
        _("Trends"),
        _("Where large-model entrepreneurship is heading."),
        "trends.json",
        m2m={"challenges": m.Challenge, "concepts": m.Concept},
    ),
    Kind(
        "advice",
        m.Advice,
        _("Advice"),
        _("Practical advice, by area."),
        "advice.json",
        fields=("area",),
    ),
    Kind(
        "resources",
        m.Resource,
        _("Resources"),
        _("Books, courses, papers, frameworks, platforms and reports."),
        "resources.json",
        fields=("kind", "authors", "year", "url"),
        m2m={"concepts": m.Concept},
        search_fields=("authors",),
        tag_filter=True,
        nav_after=(Page("articles:tag-list", _("Tags")),),
    ),
    Kind(
        "faq",
        m.FAQ,
        _("FAQ"),
        _("Short answers to common questions."),
        "faqs.json",
        nav_after=(Page("articles:open-data", _("Open data")),),
    ),
)

KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
KINDS_BY_MODEL = {kind.model: kind for kind in KINDS}
KINDS_BY_PREFIX = {kind.url_prefix: kind for kind in KINDS}


def record_counts():
    """{kind key: number of records} of every kind, in one query (the ORM's union of ten counts
    costs more to compile than to run; this SQL names only the kinds' tables)."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT %s, COUNT(*) FROM {quote(kind.model._meta.db_table)}"  # noqa: S608 - table names from the models
        for kind in KINDS
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind.key for kind in KINDS])
        return dict(cursor.fetchall())


def kind_of(model):
    """The Kind of a model class or instance."""
    return KINDS_BY_MODEL[model if isinstance(model, type) else type(model)]


def load_order():
    """The kinds in an order where every kind comes after the kinds its fixture refers to."""
    ordered, loaded, pending = [], set(), list(KINDS)
    while pending:
        ready = [kind for kind in pending if kind.dependencies <= loaded]
        if not ready:
            raise RuntimeError(f"circular fixture references among {[k.key for k in pending]}")
        for kind in ready:
            ordered.append(kind)
            loaded.add(kind.model)
            pending.remove(kind)
    return ordered


def navigation_items():
    """(url name, label) of the header navigation: each kind's list, then the pages after it."""
    items = []
    for kind in KINDS:
        items.append((kind.list_url_name, kind.label))
        items.extend((page.url_name, page.label) for page in kind.nav_after)
    return items


def child_models():
    """Models whose rows are versioned with a parent record."""
    models = []
    for kind in KINDS:
        for accessor in kind.versioned_children:
            model = kind.model._meta.get_field(accessor).related_model
            if model not in models:
                models.append(model)
    return models
