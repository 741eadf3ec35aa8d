"""Reader-facing pages. Each view names the queryset that feeds it (see models.py)."""

import sys
from functools import wraps

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView, View
from taggit.models import Tag, TaggedItem

from . import charts, downloads, founder
from . import models as m
from .cache import cache_state
from .facet_index import RankedPage, build_index, index_for
from .facets import FacetSet, build_url
from .founder import COMPARE_MAX, COMPARE_MIN, comparison_rows, factor_gaps, setbacks, similar_cases
from .kb_io import export_bundle
from .kinds import KINDS, KINDS_BY_KEY, KINDS_BY_MODEL
from .pagecache import current_version, not_cached
from .params import MAX_VALUES, CompareForm, PagedForm, QueryForm, SearchForm, SelfCheckForm, quoted
from .search import highlight_pattern, matching, search_groups

CASES_PER_PAGE = 20
RELATED_LIMIT = 20  # related records listed on a detail or tag page; the rest through a link
RESOURCES_PER_PAGE = 30
SEARCH_PER_PAGE = 20
SEARCH_EXAMPLES = ("隐私", "联邦学习", "计算资源", "Transformer")  # offered on the empty search page


def read_only(view):
    """GET and HEAD only: any other method gets a 405 page.

    The mark (``view.read_only``) lets :class:`articles.middleware.ReadOnlyViewsMiddleware`
    answer 405 before the CSRF check would answer 403, without exempting the page
    from CSRF protection.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed(request)
        return view(request, *args, **kwargs)

    wrapper.read_only = True
    return wrapper


class SafeMethodsMixin:
    """Read-only pages answer GET and HEAD; other methods get 405."""

    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    dispatch.read_only = True  # as_view() copies it onto the view function

    def http_method_not_allowed(self, request, *args, **kwargs):
        return method_not_allowed(request)


def page_of(form: PagedForm, queryset, per_page):
    """The requested page and a notice when the page asked for does not exist.

    No page number means page 1; one that is not a positive whole number, or is
    past the end, gives the nearest real page and says so, rather than an error page.
    """
    paginator = Paginator(queryset, per_page)
    number = form.page_number()
    asked = form.page_given()
    page = paginator.get_page(number or 1)
    if asked and (number is None or number != page.number):
        notice = _("There is no page “%(asked)s”; showing page %(shown)d of %(total)d.") % {
            "asked": asked,
            "shown": page.number,
            "total": paginator.num_pages,
        }
        return page, notice
    return page, None


@read_only
def home(request):
    # Case totals come from the case list's index: real cases only, not the invented example.
    index = case_index(request)
    real = charts.real_cases(index)
    factors = list(m.SuccessFactor.objects.order_by("position", "title"))
    for factor in factors:
        factor.case_count = (index.bits["factor"].get(factor.slug, 0) & real).bit_count()
    sections = [
        (kind, real.bit_count() if kind.model is m.CaseStudy else kind.model.objects.count())
        for kind in KINDS
    ]
    context = {"sections": sections, "challenges": m.Challenge.objects.for_listing(), "factors": factors}
    return render(request, "articles/home.html", context)


class EntryDetailView(SafeMethodsMixin, DetailView):
    """A record page: the shared header, source, last update and editor's note come from the template.

    Used as it is for kinds whose page needs nothing more (``as_view(model=…)`` in urls.py);
    the template is ``articles/<model>_detail.html``.
    """

    def get_queryset(self):
        return self.model.objects.for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = KINDS_BY_MODEL[self.model]
        context["breadcrumbs"] = [(kind.label, kind.list_url_name)]
        return context


class PageTitleMixin:
    """Title, intro, breadcrumbs and notices of a list page.

    Title and intro come from the kind unless set on the view. A list that reads no
    query parameter names any it is given (``QueryForm``); lists that read some
    replace ``notices`` with their own form's.
    """

    page_title = None
    page_intro = None
    breadcrumbs = ()

    def page_context(self):
        kind = KINDS_BY_MODEL.get(getattr(self, "model", None))
        return {
            "page_title": self.page_title or (kind and kind.label),
            "page_intro": self.page_intro or (kind and kind.description),
            "breadcrumbs": list(self.breadcrumbs),
            "notices": QueryForm(self.request.GET).notices(),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.page_context()}


class EntryListView(SafeMethodsMixin, PageTitleMixin, ListView):
    """A kind's list page (``as_view(model=…)`` in urls.py), template ``articles/<model>_list.html``."""

    def get_queryset(self):
        return self.model.objects.for_listing()


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
    """A list filtered by facets from the query string, with counts per value.

    Filtering and counting run on an in-memory index of the list (``articles.facet_index``),
    rebuilt when the content changes; a request reads only its page's rows.

    Subclasses name their facets: ``facets`` maps each query parameter to its label (in
    the order shown). ``tag`` and the ``choice_facets`` are handled here; for any other
    facet ``options()`` gives the values that exist and ``facet_pairs()`` the (record id,
    value) pairs. Several values of one facet must all apply (AND), except in a choice facet.
    """

    model = None
    template_name = None
    per_page = 20
    facets = {}
    # Facets on a choice field of the record itself (param -> field name). A record has one
    # value, so the values exclude each other: several chosen values mean OR, and each
    # value's count says what it would add.
    choice_facets = {}

    @property
    def any_of(self):
        return tuple(self.choice_facets)

    def options(self):
        """{param: {slug: label}} of the facets that are neither ``tag`` nor a choice field."""
        return {}

    def facet_pairs(self, param):
        """(record id, value slug) pairs of a facet that is neither ``tag`` nor a choice field."""
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

    def build_index(self):
        options = self.options()
        pairs = {}
        for param in self.facets:
            if param in self.choice_facets:
                name = self.choice_facets[param]
                options[param] = dict(self.model._meta.get_field(name).choices)
                pairs[param] = self.model.objects.values_list("pk", name)
            elif param == "tag":
                options[param] = self.tag_options()
                tagged = TaggedItem.objects.filter(content_type=self.content_type)
                pairs[param] = tagged.values_list("object_id", "tag__slug")
            else:
                pairs[param] = self.facet_pairs(param)
        ordered = self.ordered(self.model.objects.all()).values_list("pk", flat=True)
        return build_index(list(ordered), pairs, {param: options[param] for param in self.facets})

    # The index's name: views that show the same list (subclasses of a list view: the case
    # timeline, the case downloads) share it rather than each building a copy.
    index_key = None

    def get_index(self, request):
        version = getattr(request, "content_version", None) or current_version()[0]
        return index_for(self.index_key, version, self.build_index)

    kept_params = ()  # parameters the links keep without filtering by them

    def scope(self, index):
        """The records this list shows, as a bitmap (None: all of them)."""
        return None

    def facet_search(self, request):
        """(index, facet set, matching bitmap, facet context) of the request's facet choices."""
        index = self.get_index(request)
        facet_set = FacetSet(
            request.path, request.GET, options=index.options, labels=self.facets, kept=self.kept_params
        )
        matching, counts = index.search(facet_set.selected, any_of=self.any_of, within=self.scope(index))
        context = {
            **self.page_context(),
            "facets": facet_set.facets(counts, any_of=self.any_of),
            "facet_set": facet_set,
            "chips": facet_set.chips(),
            "notices": facet_set.notices,
        }
        return index, facet_set, matching, context

    def get(self, request, *args, **kwargs):
        index, facet_set, matching, context = self.facet_search(request)
        listing = RankedPage(index, matching, lambda ids: self.model.objects.filter(pk__in=ids).for_listing())
        page, page_notice = page_of(facet_set.form, listing, self.per_page)
        context.update(
            {
                "page_obj": page,
                "object_list": page.object_list,
                "notices": [*context["notices"], *filter(None, [page_notice])],
                "page_links": _page_links(page, facet_set.page_url),
            }
        )
        context.update(self.extra_context(facet_set, page))
        return render(request, self.template_name, context)

    def extra_context(self, facet_set, page):
        return {}


class CaseListView(FacetedListView):
    """Case studies by success factor, challenge faced (through lessons), outcome, layer, region,
    access and tag; the best-documented real cases first."""

    model = m.CaseStudy
    index_key = "cases"
    template_name = "articles/casestudy_list.html"
    page_intro = _(
        "Choose success factors, challenges, outcomes and more; every choice narrows the list, "
        "and the numbers show how many cases would remain. The best-documented real cases come first."
    )
    per_page = CASES_PER_PAGE
    facets = {
        "factor": _("Success factor"),
        "challenge": _("Challenge faced"),
        "outcome": _("Outcome"),
        "layer": _("Layer"),
        "region": _("Region"),
        "access": _("Access"),
        "tag": _("Topic"),
    }
    choice_facets = {"outcome": "outcome", "layer": "layer", "region": "region", "access": "access"}

    def options(self):
        return {
            "factor": {f.slug: f.title for f in m.SuccessFactor.objects.order_by("position", "title")},
            "challenge": {c.slug: c.title for c in m.Challenge.objects.order_by("position", "title")},
        }

    def facet_pairs(self, param):
        if param == "factor":
            return m.CaseFactor.objects.values_list("case_id", "factor__slug")
        return m.Lesson.objects.filter(challenge__isnull=False).values_list("case_id", "challenge__slug")

    def ordered(self, queryset):
        return queryset.best_documented_first()

    kept_params = ("c",)

    def extra_context(self, facet_set, page):
        """The comparison being put together (``?c=…``): its cases, and an add or remove link per card
        that comes back to the same page and card."""
        chosen = comparison_cases(facet_set.kept["c"])
        slugs = [case.slug for case in chosen]
        here = {"page": [str(page.number)]} if page.number > 1 else {}
        for case in page.object_list:
            case.in_comparison = case.slug in slugs
            anchor = f"#case-{case.slug}"
            if case.in_comparison:
                others = [slug for slug in slugs if slug != case.slug]
                case.compare_url = facet_set.url_keeping(c=others, **here) + anchor
            elif len(slugs) < COMPARE_MAX and not case.is_illustrative:
                case.compare_url = facet_set.url_keeping(c=[*slugs, case.slug], **here) + anchor
        return {
            "comparison": [
                (case, facet_set.url_keeping(c=[slug for slug in slugs if slug != case.slug]))
                for case in chosen
            ],
            "comparison_url": build_url(reverse("articles:compare"), {"c": slugs}),
            "export_csv_url": build_url(reverse("articles:case-export-csv"), facet_set.selected),
            "export_json_url": build_url(reverse("articles:case-export-json"), facet_set.selected),
            "comparison_full": len(slugs) >= COMPARE_MAX,
            "comparison_min": COMPARE_MIN,
        }


def comparison_cases(slugs):
    """The cases named by ``slugs`` (the first COMPARE_MAX that exist), in the order given."""
    if not slugs:
        return []
    found = {
        case.slug: case
        for case in m.CaseStudy.objects.filter(slug__in=slugs[:MAX_VALUES])
        .exclude(outcome=m.CaseStudy.Outcome.ILLUSTRATIVE)
        .only("slug", "title")
    }
    return [found[slug] for slug in slugs if slug in found][:COMPARE_MAX]


def _page_links(page, url_for):
    if not page.paginator.num_pages > 1:
        return None
    return {
        "previous": url_for(page.previous_page_number()) if page.has_previous() else None,
        "next": url_for(page.next_page_number()) if page.has_next() else None,
    }


def case_index(request):
    """The case list's facet index, which pages that count or list cases share."""
    return CaseListView().get_index(request)


def cases_with(request, param, slug):
    """(how many, ids of the first RELATED_LIMIT) cases with a facet value, best documented first."""
    index = case_index(request)
    bits = index.bits[param].get(slug, 0)
    return bits.bit_count(), index.page_ids(bits, 0, RELATED_LIMIT)


class CaseDetailView(EntryDetailView):
    model = m.CaseStudy

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resources"] = m.Resource.objects.about_case(self.object)
        return context


class FactorDetailView(EntryDetailView):
    model = m.SuccessFactor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count, ids = cases_with(self.request, "factor", self.object.slug)
        rows = m.CaseFactor.objects.of_factor(self.object).filter(case_id__in=ids)
        context["case_count"] = count
        context["case_factors"] = sorted(rows, key=lambda row: ids.index(row.case_id))
        return context


# -- Challenges and strategies ----------------------------------------------------


class ChallengeDetailView(EntryDetailView):
    model = m.Challenge

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        challenge = self.object
        count, ids = cases_with(self.request, "challenge", challenge.slug)
        cases = m.CaseStudy.objects.filter(pk__in=ids).with_lessons_on(challenge)
        context["case_count"] = count
        context["cases"] = sorted(cases, key=lambda case: ids.index(case.pk))
        context["advice"] = challenge.related_advice()
        return context


# -- Founder tools ----------------------------------------------------------------


class SelfCheckView(SafeMethodsMixin, View):
    """创业自测: a founder's profile (GET, so the result is a link) against the case library.

    The ranking, the factor gaps and the setbacks are worked out in ``articles.founder``.
    Nothing about the founder is kept: the result is never stored in the page cache and
    is sent with ``Cache-Control: private, no-store``.
    """

    def get(self, request):
        index = case_index(request)
        form = SelfCheckForm(request.GET, index.options["factor"], index.options["challenge"])
        context = {
            "page_title": _("Self-check"),
            "page_intro": _(
                "Describe your venture. The knowledge base finds the real cases most like it, the success "
                "factors they had that you did not tick, what went wrong for the similar ones, and the "
                "strategies for the challenges you expect."
            ),
            "breadcrumbs": [],
            "form": form,
            "notices": form.notices(),
            "layer_weight": founder.LAYER_WEIGHT,
        }
        if form.is_bound and form.is_valid():
            profile = form.profile()
            matches = similar_cases(index, profile)
            real = charts.real_cases(index)
            if not index.bits["layer"].get(profile.layer, 0) & real:
                context["notices"].append(
                    _(
                        "No real case in the knowledge base is at the layer “%(layer)s” yet; "
                        "the matches below share only your other answers."
                    )
                    % {"layer": dict(form.fields["layer"].choices)[profile.layer]}
                )
            context.update(
                {
                    "profile": profile,
                    "matches": matches,
                    "gaps": factor_gaps(matches, profile),
                    "setbacks": setbacks(matches),
                    "challenges": list(m.Challenge.objects.filter(slug__in=profile.challenges).for_detail()),
                    "share_url": request.build_absolute_uri(),
                    "answers": form.answers(),
                }
            )
        response = render(request, "articles/self_check.html", context)
        if form.is_bound:
            request.page_cacheable = False  # a founder's answers stay out of the shared cache
            response["Cache-Control"] = "private, no-store"
        return response


class CompareView(SafeMethodsMixin, View):
    """案例对比: two to four cases side by side (``/compare/?c=a&c=b``).

    ``diff=1`` keeps only the rows where the cases differ.
    """

    labels = {
        "organisation": _("Organisation"),
        "founded": _("Founded"),
        "headquarters": _("Headquarters"),
        "founders": _("Founders"),
        "layer": _("Layer"),
        "access": _("Access"),
        "outcome": _("Outcome"),
        "flagship": _("Flagship product"),
        "figures": _("Key figures"),
        "sources": _("Sources"),
    }

    def get(self, request):
        form = CompareForm(request.GET)
        slugs = form.slugs()
        notices = form.notices()
        (text, terms), problem = form.to_add()
        if problem:
            notices.append(problem)
        elif terms:
            found = (
                matching(KINDS_BY_KEY["cases"], terms)
                .exclude(outcome=m.CaseStudy.Outcome.ILLUSTRATIVE)
                .first()
            )
            if found is None:
                notices.append(_("No real case matches “%(text)s”.") % {"text": text})
            elif found.slug in slugs:
                notices.append(_("%(title)s is already in the comparison.") % {"title": found.title})
            else:  # the comparison with it, at its own address
                params = {"c": [*slugs, found.slug]}
                if form.only_differences():
                    params["diff"] = ["1"]
                return redirect(build_url(request.path, params))
        outcomes = dict(
            m.CaseStudy.objects.filter(slug__in=slugs[:MAX_VALUES]).values_list("slug", "outcome")
        )
        unknown = [slug for slug in slugs if slug not in outcomes]
        if unknown:
            notices.append(_("No case %(slugs)s; it was left out.") % {"slugs": quoted(unknown)})
        invented = [slug for slug, outcome in outcomes.items() if outcome == m.CaseStudy.Outcome.ILLUSTRATIVE]
        if invented:
            notices.append(
                _("%(slugs)s is an invented example, not a real case; it was left out.")
                % {"slugs": quoted(invented)}
            )
        found = {slug for slug in outcomes if slug not in invented}
        chosen = [slug for slug in slugs if slug in found]
        if len(chosen) > COMPARE_MAX:
            notices.append(
                _("At most %(max)d cases can be compared; the first %(max)d are shown.")
                % {"max": COMPARE_MAX}
            )
            chosen = chosen[:COMPARE_MAX]
        cases = {case.slug: case for case in m.CaseStudy.objects.filter(slug__in=chosen).for_detail()}
        cases = [cases[slug] for slug in chosen]
        only_differences = form.only_differences()
        rows = comparison_rows(cases, self.labels) if len(cases) >= COMPARE_MIN else []
        shown = [row for row in rows if row.differs or not only_differences or row.kind == "sources"]
        context = {
            "page_title": _("Compare cases"),
            "page_intro": _(
                "Two to four cases side by side. Rows where the cases differ are marked ≠. "
                "Add cases from the case list with “Add to comparison”."
            ),
            "breadcrumbs": [(_("Case studies"), "articles:case-list")],
            "notices": notices,
            "cases": [
                (case, build_url(request.path, {"c": [s for s in chosen if s != case.slug]}))
                for case in cases
            ],
            "rows": shown,
            "hidden_rows": len(rows) - len(shown),
            "only_differences": only_differences,
            "toggle_url": build_url(request.path, {"c": chosen, "diff": [] if only_differences else ["1"]}),
            "chosen": chosen,
            "list_url": build_url(reverse("articles:case-list"), {"c": chosen}),
            "compare_min": COMPARE_MIN,
            "compare_max": COMPARE_MAX,
        }
        return render(request, "articles/compare.html", context)


class InsightsView(SafeMethodsMixin, View):
    """数据图表: factors against outcomes, and the challenge map, each drawn and as a table."""

    def get(self, request):
        index = case_index(request)
        real = charts.real_cases(index)
        met_any = 0
        for bits in index.bits.get("challenge", {}).values():
            met_any |= bits
        met_any &= real
        layers = []  # (layer, label, ids of its best-documented cases, how many met a challenge)
        for layer, label in m.CaseStudy.Layer.choices:
            bits = index.bits.get("layer", {}).get(layer, 0) & met_any
            if bits:
                layers.append(
                    (layer, label, index.page_ids(bits, 0, charts.MAP_CASES_PER_LAYER), bits.bit_count())
                )
        ids = [pk for _layer, _label, layer_ids, _total in layers for pk in layer_ids]
        cases = {
            case.pk: case
            for case in m.CaseStudy.objects.filter(pk__in=ids).only(
                "slug", "title", "organisation", "outcome"
            )
        }
        case_list = reverse("articles:case-list")
        challenge_map = charts.challenge_map(
            challenges=list(
                m.Challenge.objects.order_by("position", "title").only("slug", "title", "position")
            ),
            mitigations=list(m.Mitigation.objects.select_related("strategy").order_by("position")),
            groups=[
                (
                    layer,
                    label,
                    [cases[pk] for pk in layer_ids if pk in cases],
                    total,
                    build_url(case_list, {"layer": [layer]}),
                )
                for layer, label, layer_ids, total in layers
            ],
            lessons=m.Lesson.objects.filter(case_id__in=ids, challenge__isnull=False).only(
                "case_id", "challenge_id", "title"
            ),
        )
        context = {
            "page_title": _("Charts"),
            "page_intro": _(
                "What the case library shows, in pictures and in tables: which success factors go with "
                "survival, and which cases met which challenges."
            ),
            "breadcrumbs": [],
            "notices": QueryForm(request.GET).notices(),
            "factor_chart": charts.factors_by_outcome(index),
            "challenge_map": challenge_map,
            "real_total": real.bit_count(),
        }
        return render(request, "articles/insights.html", context)


class CaseTimelineView(CaseListView):
    """案例时间轴: founding, funding, releases and exits of the cases on one axis.

    Filtered by the case list's facets.
    """

    template_name = "articles/case_timeline.html"
    page_title = _("Case timeline")
    page_intro = _(
        "Founding, funding, model releases, pivots and exits of the real cases on one time axis. "
        "Narrow it with the same filters as the case list."
    )
    kept_params = ()

    def scope(self, index):
        return charts.real_cases(index)  # the invented example has no dates: not drawn, not counted

    def get(self, request, *args, **kwargs):
        index, facet_set, matching, context = self.facet_search(request)
        ids = index.page_ids(matching, 0, charts.TIMELINE_CASES)
        cases = {
            case.pk: case for case in m.CaseStudy.objects.filter(pk__in=ids).only("slug", "title", "outcome")
        }
        milestones = m.Milestone.objects.filter(case_id__in=ids).order_by("date", "position")
        context.update(
            {
                "chart": charts.timeline([cases[pk] for pk in ids if pk in cases], list(milestones)),
                "milestone_kinds": charts.marker_legend(),
                "matching_total": matching.bit_count(),
                "drawn_limit": charts.TIMELINE_CASES,
                "list_url": build_url(reverse("articles:case-list"), facet_set.selected),
            }
        )
        return render(request, self.template_name, context)


# -- Open data: downloads -------------------------------------------------------------


class CaseExportView(CaseListView):
    """The case list with its filters as CSV or as a JSON bundle (``/cases/export.csv?outcome=acquired``).

    A download has no page to show a notice on, so an unknown filter value is a 400 that
    names it rather than a file without the filter.
    """

    kept_params = ()
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        index, _facet_set, matching, context = self.facet_search(request)
        if context["notices"]:
            return bad_request(request, message=" ".join(str(notice) for notice in context["notices"]))
        ids = index.page_ids(matching, 0, matching.bit_count())
        if self.file_format == "json":
            return downloads.json_response(export_bundle({"cases": ids}), "cases.json")
        site_url = f"{request.scheme}://{request.get_host()}"
        return downloads.csv_response(downloads.case_rows(ids, site_url), "cases.csv")


@read_only
def knowledge_base_download(request):
    """Every record in one JSON file that ``load_kb`` reads."""
    return downloads.json_response(export_bundle(), "knowledge-base.json")


class OpenDataView(SafeMethodsMixin, PageTitleMixin, View):
    """开放数据: the feeds, downloads and API, and how to use them."""

    page_title = _("Open data")
    page_intro = _(
        "Follow the knowledge base in a feed reader, download it, or read it from your own programs. "
        "Each record page says how to cite it."
    )

    def get(self, request):
        context = {**self.page_context(), "kinds": KINDS, "case_facets": CaseListView.facets}
        return render(request, "articles/open_data.html", context)


# -- Concepts and timeline ----------------------------------------------------------


class TimelineView(SafeMethodsMixin, PageTitleMixin, ListView):
    """Concepts with a year and the real cases' milestones, merged by year."""

    template_name = "articles/timeline.html"
    context_object_name = "concepts"
    page_title = _("Timeline")
    page_intro = _("Milestones of large models and of the companies built on them, by year.")
    breadcrumbs = ((_("Concepts"), "articles:concept-list"),)

    def get_queryset(self):
        return m.Concept.objects.timeline()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = {}
        for concept in context["concepts"]:
            years.setdefault(concept.year, {"year": concept.year, "concepts": [], "milestones": []})
            years[concept.year]["concepts"].append(concept)
        for milestone in m.Milestone.objects.for_timeline():
            if milestone.year is None:
                continue
            years.setdefault(milestone.year, {"year": milestone.year, "concepts": [], "milestones": []})
            years[milestone.year]["milestones"].append(milestone)
        context["years"] = [years[year] for year in sorted(years)]
        return context


# -- Advantages, trends, advice, FAQ ------------------------------------------------


# -- Resources ------------------------------------------------------------------


class ResourceListView(FacetedListView):
    """Resources by kind (any of the chosen kinds) and tag."""

    model = m.Resource
    index_key = "resources"
    template_name = "articles/resource_list.html"
    per_page = RESOURCES_PER_PAGE
    facets = {"kind": _("Kind"), "tag": _("Topic")}
    choice_facets = {"kind": "kind"}

    def ordered(self, queryset):
        return queryset.order_by("kind", "position", "title")


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
    content_types = ContentType.objects.get_for_models(*(kind.model for kind in KINDS))
    groups = []
    for kind in KINDS:
        count = counts.get(content_types[kind.model].pk, 0)
        if count:
            items = kind.model.objects.filter(tags=tag).order_by("position", "title")[:RELATED_LIMIT]
            groups.append({"kind": kind, "count": count, "items": items})
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
    form = SearchForm(request.GET, KINDS_BY_KEY)
    context = {
        "page_title": _("Search"),
        "breadcrumbs": [],
        "notices": form.notices(),
        "query": "",
        "search_examples": SEARCH_EXAMPLES,
    }
    error = form.query_error()
    if error:
        context["error"] = error
        return render(request, "articles/search.html", context, status=400)
    query, terms = form.cleaned_data["q"]
    only = form.cleaned_data["type"]
    context.update(query=query, pattern=highlight_pattern(terms))
    if terms and only:
        page, page_notice = page_of(form, matching(only, terms), SEARCH_PER_PAGE)
        context["notices"] += filter(None, [page_notice])
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


@not_cached
@read_only
def healthz(request):
    """The state of this host for load balancers and operators.

    200 while it can serve readers (the database answers), 503 when it cannot. The body
    says the state of the database and of the shared cache: "ok", "down" or, for the
    cache, "not configured". A cache that is down degrades speed, not service: 200.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "down"
    cache = cache_state()
    healthy_cache = cache in ("ok", "not configured")
    status = "unavailable" if database != "ok" else ("ok" if healthy_cache else "degraded")
    response = JsonResponse(
        {"status": status, "database": database, "cache": cache}, status=200 if database == "ok" else 503
    )
    response["Cache-Control"] = "no-store"
    return response


@read_only
def robots_txt(request):
    """Crawlers may read the site, not the admin or the endless results of search, the self-check
    and the comparison (their own pages, listed in the sitemap, may be read: ``?`` starts a result)."""
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        *(
            f"Disallow: {prefix}{page}/?"
            for prefix in ("/", "/en/")
            for page in ("search", "self-check", "compare")
        ),
        *(f"Disallow: {prefix}cases/export." for prefix in ("/", "/en/")),
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# -- Languages ----------------------------------------------------------------------


# The old switch was a form that stored the choice in a cookie. It now only redirects to the
# page in the language asked for and writes nothing (no cookie, no session), so a forged
# request can do no harm: CSRF protection has nothing to protect here, and old pages' forms
# (whose token may have expired) keep working.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def old_language_switch(request):
    data = request.POST if request.method == "POST" else request.GET
    language = data.get("language")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    # Read ``next`` in the language its own prefix says, then give it in the one asked for.
    with translation.override(translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        return redirect(translate_url(next_url, language))


def default_language_redirect(request, rest):
    """``/zh-hans/cases/`` → ``/cases/``: Chinese, the default language, has no prefix."""
    target = "/" + rest.lstrip("/\\")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)


# -- Errors ---------------------------------------------------------------------


API_PREFIX = "/api/"


def error_page(request, status, title, message, template="error.html", headers=None):
    """An error in the site's style, saying what went wrong; under /api/, the same as JSON."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": str(message)}, status=status)  # the API's error shape
    else:
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
    exception = sys.exc_info()[1]
    if isinstance(exception, (OperationalError, InterfaceError)):
        # The database went away outside a view (a middleware, a context processor).
        from .middleware import database_unavailable

        return database_unavailable(request, exception)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error."}, status=500)
    return render(request, "500.html", status=500)
