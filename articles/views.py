"""Reader-facing pages. Each view names the queryset that feeds it (see models.py)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag, TaggedItem

from . import models as m
from .facets import FacetSet, build_url
from .search import (
    SEARCH_TYPES,
    SEARCH_TYPES_BY_KEY,
    QueryError,
    highlight_pattern,
    matching,
    search_groups,
    split_terms,
)


@dataclass(frozen=True)
class Section:
    url_name: str
    model: type
    label: str
    description: str


CASES_PER_PAGE = 20
RESOURCES_PER_PAGE = 30
SEARCH_PER_PAGE = 20

# Record kinds in the order the home page and tag pages present them.
SECTIONS = (
    Section(
        "articles:case-list",
        m.CaseStudy,
        _("Case studies"),
        _("Who founded on large models, and what made it work."),
    ),
    Section(
        "articles:challenge-list",
        m.Challenge,
        _("Challenges"),
        _("What stands in a founder's way, and how to get past it."),
    ),
    Section("articles:strategy-list", m.Strategy, _("Strategies"), _("Ways to mitigate each challenge.")),
    Section(
        "articles:factor-list",
        m.SuccessFactor,
        _("Success factors"),
        _("What the successful cases had in common."),
    ),
    Section(
        "articles:concept-list",
        m.Concept,
        _("Concepts"),
        _("CNN, RNN, LSTM, GAN, Transformer and the technology around them."),
    ),
    Section(
        "articles:advantage-list",
        m.Advantage,
        _("Advantages"),
        _("Why large models open a window for founders."),
    ),
    Section("articles:trend-list", m.Trend, _("Trends"), _("Where large-model entrepreneurship is heading.")),
    Section("articles:advice-list", m.Advice, _("Advice"), _("Practical advice, by area.")),
    Section(
        "articles:resource-list",
        m.Resource,
        _("Resources"),
        _("Books, courses, papers, frameworks, platforms and reports."),
    ),
    Section("articles:faq-list", m.FAQ, _("FAQ"), _("Short answers to common questions.")),
)
SECTIONS_BY_MODEL = {section.model: section for section in SECTIONS}


def read_only(view):
    """GET and HEAD only: any other method gets 405 (not a CSRF 403, since nothing is written)."""
    return csrf_exempt(require_safe(view))


class SafeMethodsMixin:
    """Read-only pages answer GET and HEAD; other methods get 405."""

    http_method_names = ["get", "head"]

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


def page_of(request, queryset, per_page):
    """The requested page; a missing, non-numeric or out-of-range number gives a valid page."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", "1")
    if not number.isdigit() or len(number) > 9:
        number = 1
    return paginator.get_page(number)


@read_only
def home(request):
    sections = [(section, section.model.objects.count()) for section in SECTIONS]
    context = {
        "sections": sections,
        "challenges": m.Challenge.objects.for_listing(),
        "factors": m.SuccessFactor.objects.annotate(case_count=Count("case_factors")).order_by(
            "position", "title"
        ),
    }
    return render(request, "articles/home.html", context)


class EntryDetailView(SafeMethodsMixin, DetailView):
    """A record page: the shared header, source, last update and editor's note come from the template."""

    list_url_name = None
    list_label = None

    def get_queryset(self):
        manager = self.model.objects
        return manager.for_detail() if hasattr(manager, "for_detail") else manager.prefetch_related("tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.list_label, self.list_url_name)]
        return context


class PageTitleMixin:
    """Title and intro of a list page, taken from SECTIONS unless set on the view."""

    page_title = None
    page_intro = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        section = SECTIONS_BY_MODEL.get(getattr(self, "model", None))
        context["page_title"] = self.page_title or (section and section.label)
        context["page_intro"] = self.page_intro or (section and section.description)
        return context


class EntryListView(SafeMethodsMixin, PageTitleMixin, ListView):
    def get_queryset(self):
        manager = self.model.objects
        return manager.for_listing() if hasattr(manager, "for_listing") else manager.prefetch_related("tags")


# -- Case studies ------------------------------------------------------------


class CaseListView(SafeMethodsMixin, ListView):
    """Case studies filtered by success factor and tag (AND), with counts per value."""

    template_name = "articles/casestudy_list.html"

    def get(self, request, *args, **kwargs):
        content_type = ContentType.objects.get_for_model(m.CaseStudy)
        factors = {f.slug: f.title for f in m.SuccessFactor.objects.order_by("position", "title")}
        tags = {
            t.slug: t.name
            for t in Tag.objects.filter(taggit_taggeditem_items__content_type=content_type)
            .distinct()
            .order_by("name")
        }
        facet_set = FacetSet(
            request.path,
            request.GET,
            options={"factor": factors, "tag": tags},
            labels={"factor": _("Success factor"), "tag": _("Topic")},
        )
        queryset = m.CaseStudy.objects.all()
        for slug in facet_set.selected["factor"]:
            queryset = queryset.filter(factors__slug=slug)
        for slug in facet_set.selected["tag"]:
            queryset = queryset.filter(tags__slug=slug)
        matching_ids = queryset.values("pk")

        factor_counts = dict(
            m.CaseFactor.objects.filter(case__in=matching_ids)
            .order_by()
            .values_list("factor__slug")
            .annotate(n=Count("case", distinct=True))
        )
        tag_counts = dict(
            TaggedItem.objects.filter(content_type=content_type, object_id__in=matching_ids)
            .order_by()
            .values_list("tag__slug")
            .annotate(n=Count("object_id", distinct=True))
        )
        page = page_of(request, m.CaseStudy.objects.filter(pk__in=matching_ids).for_listing(), CASES_PER_PAGE)
        context = {
            "page_obj": page,
            "cases": page.object_list,
            "facets": facet_set.facets({"factor": factor_counts, "tag": tag_counts}),
            "facet_set": facet_set,
            "chips": facet_set.chips(),
            "page_links": _page_links(page, facet_set.page_url),
        }
        return render(request, self.template_name, context)


def _page_links(page, url_for):
    if not page.paginator.num_pages > 1:
        return None
    return {
        "previous": url_for(page.previous_page_number()) if page.has_previous() else None,
        "next": url_for(page.next_page_number()) if page.has_next() else None,
    }


class CaseDetailView(EntryDetailView):
    model = m.CaseStudy
    list_url_name, list_label = "articles:case-list", _("Case studies")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resources"] = (
            m.Resource.objects.filter(concepts__cases=self.object).distinct().order_by("kind", "position")
        )
        return context


class FactorListView(EntryListView):
    model = m.SuccessFactor

    def get_queryset(self):
        return super().get_queryset().annotate(case_count=Count("case_factors"))


class FactorDetailView(EntryDetailView):
    model = m.SuccessFactor
    list_url_name, list_label = "articles:factor-list", _("Success factors")

    def get_queryset(self):
        return m.SuccessFactor.objects.prefetch_related(
            "tags",
            m.models.Prefetch(
                "case_factors",
                queryset=m.CaseFactor.objects.select_related("case").order_by("case__position"),
            ),
        )


# -- Challenges and strategies ----------------------------------------------------


class ChallengeListView(EntryListView):
    model = m.Challenge


class ChallengeDetailView(EntryDetailView):
    model = m.Challenge
    list_url_name, list_label = "articles:challenge-list", _("Challenges")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        challenge = self.object
        cases = {}
        for lesson in challenge.lessons.all():
            cases.setdefault(lesson.case, []).append(lesson)
        advice = {}
        for mitigation in challenge.mitigations.all():
            for item in mitigation.strategy.advice.all():
                advice.setdefault(item.pk, item)
        context["cases_with_lessons"] = list(cases.items())
        context["advice"] = sorted(advice.values(), key=lambda a: (a.position, a.title))
        return context


class StrategyListView(EntryListView):
    model = m.Strategy


class StrategyDetailView(EntryDetailView):
    model = m.Strategy
    list_url_name, list_label = "articles:strategy-list", _("Strategies")


# -- Concepts and timeline ----------------------------------------------------------


class ConceptListView(EntryListView):
    model = m.Concept

    def get_queryset(self):
        return m.Concept.objects.for_listing().order_by("kind", "position", "title")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_kind = {kind: [] for kind in m.Concept.Kind}
        for concept in context["object_list"]:
            by_kind[concept.kind].append(concept)
        context["groups"] = [(kind.label, items) for kind, items in by_kind.items() if items]
        return context


class ConceptDetailView(EntryDetailView):
    model = m.Concept
    list_url_name, list_label = "articles:concept-list", _("Concepts")


class TimelineView(SafeMethodsMixin, ListView):
    template_name = "articles/timeline.html"
    context_object_name = "concepts"

    def get_queryset(self):
        return m.Concept.objects.timeline()


# -- Advantages, trends, advice, FAQ ------------------------------------------------


class AdvantageListView(EntryListView):
    model = m.Advantage


class AdvantageDetailView(EntryDetailView):
    model = m.Advantage
    list_url_name, list_label = "articles:advantage-list", _("Advantages")


class TrendListView(EntryListView):
    model = m.Trend


class TrendDetailView(EntryDetailView):
    model = m.Trend
    list_url_name, list_label = "articles:trend-list", _("Trends")

    def get_queryset(self):
        return m.Trend.objects.for_listing()


class AdviceListView(EntryListView):
    model = m.Advice

    def get_queryset(self):
        return m.Advice.objects.prefetch_related("tags", "strategies")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_area = {area: [] for area in m.Advice.Area}
        for item in context["object_list"]:
            by_area[item.area].append(item)
        context["groups"] = [(area.label, items) for area, items in by_area.items() if items]
        return context


class AdviceDetailView(EntryDetailView):
    model = m.Advice
    list_url_name, list_label = "articles:advice-list", _("Advice")

    def get_queryset(self):
        return m.Advice.objects.prefetch_related("tags", "strategies__challenges")


class FAQListView(EntryListView):
    model = m.FAQ


class FAQDetailView(EntryDetailView):
    model = m.FAQ
    list_url_name, list_label = "articles:faq-list", _("FAQ")


# -- Resources ------------------------------------------------------------------


class ResourceListView(SafeMethodsMixin, ListView):
    """Resources filtered by kind and tag, with counts per value."""

    template_name = "articles/resource_list.html"

    def get(self, request, *args, **kwargs):
        content_type = ContentType.objects.get_for_model(m.Resource)
        kinds = dict(m.Resource.Kind.choices)
        tags = {
            t.slug: t.name
            for t in Tag.objects.filter(taggit_taggeditem_items__content_type=content_type)
            .distinct()
            .order_by("name")
        }
        facet_set = FacetSet(
            request.path,
            request.GET,
            options={"kind": kinds, "tag": tags},
            labels={"kind": _("Kind"), "tag": _("Topic")},
        )
        queryset = m.Resource.objects.all()
        if facet_set.selected["kind"]:
            queryset = queryset.filter(kind__in=facet_set.selected["kind"])
        for slug in facet_set.selected["tag"]:
            queryset = queryset.filter(tags__slug=slug)
        matching_ids = queryset.values("pk")
        kind_counts = dict(
            m.Resource.objects.filter(pk__in=matching_ids)
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        )
        tag_counts = dict(
            TaggedItem.objects.filter(content_type=content_type, object_id__in=matching_ids)
            .order_by()
            .values_list("tag__slug")
            .annotate(n=Count("object_id", distinct=True))
        )
        page = page_of(
            request,
            m.Resource.objects.filter(pk__in=matching_ids)
            .for_listing()
            .order_by("kind", "position", "title"),
            RESOURCES_PER_PAGE,
        )
        context = {
            "page_obj": page,
            "resources": page.object_list,
            "facets": facet_set.facets({"kind": kind_counts, "tag": tag_counts}),
            "facet_set": facet_set,
            "chips": facet_set.chips(),
            "page_links": _page_links(page, facet_set.page_url),
        }
        return render(request, self.template_name, context)


class ResourceDetailView(EntryDetailView):
    model = m.Resource
    list_url_name, list_label = "articles:resource-list", _("Resources")

    def get_queryset(self):
        return m.Resource.objects.for_listing()


# -- Tags -------------------------------------------------------------------------


class TagListView(SafeMethodsMixin, ListView):
    template_name = "articles/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return (
            Tag.objects.annotate(count=Count("taggit_taggeditem_items"))
            .filter(count__gt=0)
            .order_by("-count", "name")
        )


@read_only
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    groups = []
    for section in SECTIONS:
        items = list(section.model.objects.filter(tags=tag).order_by("position", "title"))
        if items:
            groups.append({"section": section, "items": items})
    context = {
        "tag": tag,
        "groups": groups,
        "total": sum(len(group["items"]) for group in groups),
        "breadcrumbs": [(_("Tags"), "articles:tag-list")],
    }
    return render(request, "articles/tag_detail.html", context)


# -- Search -----------------------------------------------------------------------


@read_only
def search(request):
    query = request.GET.get("q", "")
    only = request.GET.get("type", "")
    context = {"query": query.strip(), "types": SEARCH_TYPES, "only": None}
    status = 200
    try:
        terms = split_terms(query)
    except QueryError as exc:
        context["error"] = str(exc)
        context["query"] = ""
        return render(request, "articles/search.html", context, status=400)
    if only and only not in SEARCH_TYPES_BY_KEY:
        context["error"] = _("Unknown result type “%(type)s”; showing all types.") % {"type": only[:50]}
        only = ""
    context["terms"] = terms
    context["pattern"] = highlight_pattern(terms)
    if terms:
        if only:
            search_type = SEARCH_TYPES_BY_KEY[only]
            context["only"] = search_type
            page = page_of(request, matching(search_type, terms).prefetch_related("tags"), SEARCH_PER_PAGE)
            context["page_obj"] = page
            context["results"] = page.object_list
            context["total"] = page.paginator.count
            context["page_links"] = _page_links(
                page,
                lambda n: build_url(request.path, {"q": [query.strip()], "type": [only], "page": [n]}),
            )
        else:
            groups = search_groups(terms)
            context["groups"] = groups
            context["total"] = sum(group.count for group in groups)
    return render(request, "articles/search.html", context, status=status)


# -- Operations -------------------------------------------------------------------


@read_only
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# -- Errors ---------------------------------------------------------------------


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
