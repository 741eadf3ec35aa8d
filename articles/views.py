"""Reader-facing pages. Each view names the queryset that feeds it (see models.py)."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView, View
from taggit.models import Tag, TaggedItem

from . import models as m
from .facets import FacetSet, build_url, clean_values, quoted, short
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
RELATED_LIMIT = 20  # related records listed on a detail or tag page; the rest through a link
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
    """GET and HEAD only: any other method gets a 405 page (not a CSRF 403, since nothing is written)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed(request)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


class SafeMethodsMixin:
    """Read-only pages answer GET and HEAD; other methods get 405."""

    http_method_names = ["get", "head"]

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def http_method_not_allowed(self, request, *args, **kwargs):
        return method_not_allowed(request)


def page_of(request, queryset, per_page):
    """The requested page and a notice when the number asked for does not exist.

    A missing page number means page 1; a non-numeric, zero or out-of-range one
    gives the nearest real page and says so, rather than an error page.
    """
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "").strip()
    if not raw:
        return paginator.get_page(1), None
    number = int(raw) if raw.isdigit() and len(raw) <= 9 else None
    page = paginator.get_page(number or 1)
    if number != page.number:
        notice = _("There is no page “%(asked)s”; showing page %(shown)d of %(total)d.") % {
            "asked": raw[:20],
            "shown": page.number,
            "total": paginator.num_pages,
        }
        return page, notice
    return page, None


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
    """Title, intro and breadcrumbs of a list page; title and intro from SECTIONS unless set on the view."""

    page_title = None
    page_intro = None
    breadcrumbs = ()

    def page_context(self):
        section = SECTIONS_BY_MODEL.get(getattr(self, "model", None))
        return {
            "page_title": self.page_title or (section and section.label),
            "page_intro": self.page_intro or (section and section.description),
            "breadcrumbs": list(self.breadcrumbs),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.page_context()}


class EntryListView(SafeMethodsMixin, PageTitleMixin, ListView):
    def get_queryset(self):
        manager = self.model.objects
        return manager.for_listing() if hasattr(manager, "for_listing") else manager.prefetch_related("tags")


class GroupedListView(EntryListView):
    """A list in groups by a choice field, groups in the order of the choices."""

    group_by = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choices = self.model._meta.get_field(self.group_by).choices
        groups = {value: [] for value, _label in choices}
        for item in context["object_list"]:
            groups[getattr(item, self.group_by)].append(item)
        context["groups"] = [(label, groups[value]) for value, label in choices if groups[value]]
        return context


# -- Case studies ------------------------------------------------------------


class FacetedListView(SafeMethodsMixin, PageTitleMixin, View):
    """A list filtered by facets from the query string (AND), with counts per value.

    Subclasses name their facets: ``facets`` maps each query parameter to its
    label, ``options()`` gives the values that exist, ``narrow()`` applies the
    chosen values of one facet and ``counts()`` counts the matching records per value.
    """

    model = None
    template_name = None
    per_page = 20
    facets = {}
    any_of = ()  # facets whose values exclude each other: several chosen values mean OR

    def options(self):
        raise NotImplementedError

    def narrow(self, queryset, param, slugs):
        raise NotImplementedError

    def counts(self, param, matching_ids):
        raise NotImplementedError

    def ordered(self, queryset):
        return queryset

    @cached_property
    def content_type(self):
        return ContentType.objects.get_for_model(self.model)

    def tag_options(self):
        """Tags used by at least one record of this list's kind, the most used first."""
        tags = (
            Tag.objects.filter(taggit_taggeditem_items__content_type=self.content_type)
            .annotate(uses=Count("taggit_taggeditem_items"))
            .order_by("-uses", "name")
        )
        return {tag.slug: tag.name for tag in tags}

    def tag_counts(self, matching_ids):
        return dict(
            TaggedItem.objects.filter(content_type=self.content_type, object_id__in=matching_ids)
            .order_by()
            .values_list("tag__slug")
            .annotate(n=Count("object_id", distinct=True))
        )

    def matching(self, selected, skip=None):
        """Ids of the records that pass the chosen filters (all of them when none is chosen).

        Fetched once as a list when filters are chosen: the joins behind several
        facets are costly for PostgreSQL to plan, and the counts and the page would
        otherwise each plan them again as a subquery.
        """
        queryset = self.model.objects.all()
        filtered = False
        for param, slugs in selected.items():
            if slugs and param != skip:
                queryset = self.narrow(queryset, param, slugs)
                filtered = True
        ids = queryset.values("pk")
        return list(ids.values_list("pk", flat=True)) if filtered else ids

    def get(self, request, *args, **kwargs):
        facet_set = FacetSet(request.path, request.GET, options=self.options(), labels=self.facets)
        matching_ids = self.matching(facet_set.selected)
        counts = {
            # An OR facet counts over the other facets' result, so each value says what it would add.
            param: self.counts(
                param, self.matching(facet_set.selected, skip=param) if param in self.any_of else matching_ids
            )
            for param in self.facets
        }
        listing = self.ordered(self.model.objects.filter(pk__in=matching_ids).for_listing())
        page, page_notice = page_of(request, listing, self.per_page)
        context = {
            **self.page_context(),
            "page_obj": page,
            "object_list": page.object_list,
            "facets": facet_set.facets(counts, any_of=self.any_of),
            "facet_set": facet_set,
            "chips": facet_set.chips(),
            "notices": [*facet_set.notices, *filter(None, [page_notice])],
            "page_links": _page_links(page, facet_set.page_url),
        }
        return render(request, self.template_name, context)


class CaseListView(FacetedListView):
    """Case studies by success factor, challenge faced (through lessons) and tag."""

    model = m.CaseStudy
    template_name = "articles/casestudy_list.html"
    page_intro = _(
        "Choose success factors, challenges and topics; every choice narrows the list, "
        "and the numbers show how many cases would remain."
    )
    per_page = CASES_PER_PAGE
    facets = {"factor": _("Success factor"), "challenge": _("Challenge faced"), "tag": _("Topic")}

    def options(self):
        return {
            "factor": {f.slug: f.title for f in m.SuccessFactor.objects.order_by("position", "title")},
            "challenge": {c.slug: c.title for c in m.Challenge.objects.order_by("position", "title")},
            "tag": self.tag_options(),
        }

    def narrow(self, queryset, param, slugs):
        # One filter() per value: each joins separately, so several values mean AND.
        lookup = {"factor": "factors__slug", "challenge": "lessons__challenge__slug", "tag": "tags__slug"}
        for slug in slugs:
            queryset = queryset.filter(**{lookup[param]: slug})
        return queryset

    def counts(self, param, matching_ids):
        if param == "tag":
            return self.tag_counts(matching_ids)
        rows = {
            "factor": m.CaseFactor.objects.filter(case__in=matching_ids).values_list("factor__slug"),
            "challenge": m.Lesson.objects.filter(case__in=matching_ids, challenge__isnull=False).values_list(
                "challenge__slug"
            ),
        }[param]
        return dict(rows.order_by().annotate(n=Count("case", distinct=True)))


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
        return m.SuccessFactor.objects.prefetch_related("tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case_factors = m.CaseFactor.objects.filter(factor=self.object).select_related("case")
        context["case_count"] = case_factors.count()
        context["case_factors"] = case_factors.order_by("case__position", "case__title")[:RELATED_LIMIT]
        return context


# -- Challenges and strategies ----------------------------------------------------


class ChallengeListView(EntryListView):
    model = m.Challenge


class ChallengeDetailView(EntryDetailView):
    model = m.Challenge
    list_url_name, list_label = "articles:challenge-list", _("Challenges")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        challenge = self.object
        facing = m.CaseStudy.objects.facing(challenge)
        context["case_count"] = facing.count()
        context["cases"] = facing[:RELATED_LIMIT]
        advice = {}
        for mitigation in challenge.mitigations.all():
            for item in mitigation.strategy.advice.all():
                advice.setdefault(item.pk, item)
        context["advice"] = sorted(advice.values(), key=lambda a: (a.position, a.title))
        return context


class StrategyListView(EntryListView):
    model = m.Strategy


class StrategyDetailView(EntryDetailView):
    model = m.Strategy
    list_url_name, list_label = "articles:strategy-list", _("Strategies")


# -- Concepts and timeline ----------------------------------------------------------


class ConceptListView(GroupedListView):
    model = m.Concept
    group_by = "kind"


class ConceptDetailView(EntryDetailView):
    model = m.Concept
    list_url_name, list_label = "articles:concept-list", _("Concepts")


class TimelineView(SafeMethodsMixin, PageTitleMixin, ListView):
    template_name = "articles/timeline.html"
    context_object_name = "concepts"
    page_title = _("Timeline")
    page_intro = _("Milestones of large models, by year.")
    breadcrumbs = ((_("Concepts"), "articles:concept-list"),)

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


class AdviceListView(GroupedListView):
    model = m.Advice
    group_by = "area"

    def get_queryset(self):
        return m.Advice.objects.prefetch_related("tags", "strategies")


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


class ResourceListView(FacetedListView):
    """Resources by kind (any of the chosen kinds) and tag."""

    model = m.Resource
    template_name = "articles/resource_list.html"
    per_page = RESOURCES_PER_PAGE
    facets = {"kind": _("Kind"), "tag": _("Topic")}
    any_of = ("kind",)

    def options(self):
        return {"kind": dict(m.Resource.Kind.choices), "tag": self.tag_options()}

    def narrow(self, queryset, param, slugs):
        if param == "kind":
            # A resource has one kind, so several chosen kinds mean "any of them".
            return queryset.filter(kind__in=slugs)
        for slug in slugs:
            queryset = queryset.filter(tags__slug=slug)
        return queryset

    def counts(self, param, matching_ids):
        if param == "tag":
            return self.tag_counts(matching_ids)
        return dict(
            m.Resource.objects.filter(pk__in=matching_ids)
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        )

    def ordered(self, queryset):
        return queryset.order_by("kind", "position", "title")


class ResourceDetailView(EntryDetailView):
    model = m.Resource
    list_url_name, list_label = "articles:resource-list", _("Resources")

    def get_queryset(self):
        return m.Resource.objects.for_listing()


# -- Tags -------------------------------------------------------------------------


class TagListView(SafeMethodsMixin, PageTitleMixin, ListView):
    template_name = "articles/tag_list.html"
    context_object_name = "tags"
    page_title = _("Tags")
    page_intro = _("Every topic, with how many records carry it.")

    def get_queryset(self):
        return (
            Tag.objects.annotate(count=Count("taggit_taggeditem_items"))
            .filter(count__gt=0)
            .order_by("-count", "name")
        )


@read_only
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    counts = dict(
        TaggedItem.objects.filter(tag=tag).order_by().values_list("content_type").annotate(n=Count("pk"))
    )
    content_types = ContentType.objects.get_for_models(*(section.model for section in SECTIONS))
    filtered_lists = {m.CaseStudy: "articles:case-list", m.Resource: "articles:resource-list"}
    groups = []
    for section in SECTIONS:
        count = counts.get(content_types[section.model].pk, 0)
        if count:
            items = section.model.objects.filter(tags=tag).order_by("position", "title")[:RELATED_LIMIT]
            groups.append(
                {
                    "section": section,
                    "count": count,
                    "items": items,
                    "all_url_name": filtered_lists.get(section.model),
                }
            )
    context = {
        "tag": tag,
        "groups": groups,
        "total": sum(counts.values()),
        "breadcrumbs": [(_("Tags"), "articles:tag-list")],
    }
    return render(request, "articles/tag_detail.html", context)


# -- Search -----------------------------------------------------------------------


@read_only
def search(request):
    """Search every record kind; ``q`` (repeated values are joined), optional ``type`` and ``page``."""
    query = " ".join(value.strip() for value in request.GET.getlist("q") if value.strip())
    types = clean_values(request.GET.getlist("type"))
    notices = []
    stray = [key for key in request.GET if key not in ("q", "type", "page")]
    if stray:
        notices.append(_("Unknown parameter %(names)s was ignored.") % {"names": quoted(stray[:5])})
    context = {
        "query": query,
        "types": SEARCH_TYPES,
        "only": None,
        "notices": notices,
        "page_title": _("Search"),
        "breadcrumbs": [],
    }
    try:
        terms = split_terms(query)
    except QueryError as exc:
        context.update(error=str(exc), query="")
        return render(request, "articles/search.html", context, status=400)
    only = None
    if len(types) > 1:
        notices.append(_("Choose one result type at a time; showing all types."))
    elif types and types[0] not in SEARCH_TYPES_BY_KEY:
        notices.append(_("Unknown result type “%(type)s”; showing all types.") % {"type": short(types[0])})
    elif types:
        only = SEARCH_TYPES_BY_KEY[types[0]]
    context["terms"] = terms
    context["pattern"] = highlight_pattern(terms)
    if terms and only:
        page, page_notice = page_of(request, matching(only, terms).prefetch_related("tags"), SEARCH_PER_PAGE)
        if page_notice:
            notices.append(page_notice)
        context.update(
            only=only,
            page_obj=page,
            results=page.object_list,
            total=page.paginator.count,
            page_links=_page_links(
                page, lambda n: build_url(request.path, {"q": [query], "type": [only.key], "page": [n]})
            ),
        )
    elif terms:
        groups = search_groups(terms)
        context.update(groups=groups, total=sum(group.count for group in groups))
    return render(request, "articles/search.html", context)


# -- Operations -------------------------------------------------------------------


@read_only
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


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


def error_page(request, status, title, message, template="error.html", headers=None):
    """An error in the site's style, saying what went wrong."""
    context = {"status": status, "error_title": title, "error_message": message}
    response = render(request, template, context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_request(request, exception=None, message=None):
    return error_page(
        request,
        400,
        _("Bad request"),
        message or _("The address or form could not be understood. Check it and try again."),
    )


def permission_denied(request, exception=None):
    return error_page(request, 403, _("Access denied"), _("You do not have permission to open this page."))


def csrf_failure(request, reason=""):
    return error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "For your security, forms need a valid token from this site. Go back, reload the page "
            "and submit again; make sure your browser accepts cookies from this site."
        ),
    )


def method_not_allowed(request, allowed=("GET", "HEAD")):
    return error_page(
        request,
        405,
        _("Method not allowed"),
        _("This page can only be read (%(methods)s); it accepts no %(method)s requests.")
        % {"methods": ", ".join(allowed), "method": request.method[:10]},
        headers={"Allow": ", ".join(allowed)},
    )


def page_not_found(request, exception):
    return error_page(
        request,
        404,
        _("Page not found"),
        _("There is no page at this address. It may have been renamed or never existed."),
        template="404.html",
    )


def server_error(request):
    return render(request, "500.html", status=500)
