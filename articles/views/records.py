"""The home page, every kind's list and record pages, the timeline and the tags."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from taggit.models import Tag, TaggedItem

from .. import models as m
from ..facets import build_url
from ..kinds import KINDS, KINDS_BY_MODEL, record_counts
from ..listings import case_index, real_cases
from ..pagecache import cached_page
from ..params import TimelineForm
from ..timeline import milestone_lines, row_year
from .base import RELATED_LIMIT, PageTitleMixin, SafeMethodsMixin, page_links, page_of, read_only, render_page

MILESTONES_PER_YEAR = 12  # on the whole timeline; a year's own page lists the rest
MILESTONES_PER_PAGE = 50  # on a year's page


def cases_with(request, param, slug):
    """(how many, ids of the first RELATED_LIMIT) cases with a facet value, best documented first."""
    index = case_index(request)
    bits = index.bits[param].get(slug, 0)
    return bits.bit_count(), index.page_ids(bits, 0, RELATED_LIMIT)


@cached_page()
@read_only
def home(request):
    # Case totals come from the case list's index: real cases only, not the invented example.
    index = case_index(request)
    real = real_cases(index)
    factors = list(m.SuccessFactor.objects.order_by("position", "title"))
    for factor in factors:
        factor.case_count = (index.bits["factor"].get(factor.slug, 0) & real).bit_count()
    counts = record_counts()
    sections = [(kind, real.bit_count() if kind.model is m.CaseStudy else counts[kind.key]) for kind in KINDS]
    challenges = m.Challenge.objects.order_by("position", "title").annotate(
        strategy_count=Count("mitigations")
    )
    context = {"sections": sections, "challenges": challenges, "factors": factors}
    return render_page(request, "articles/home.html", context)


class EntryDetailView(SafeMethodsMixin, DetailView):
    """A record page: the shared header, source, last update and editor's note come from the template.

    Used as it is for kinds whose page needs nothing more (``as_view(model=…)`` in urls.py);
    the template is ``articles/<model>_detail.html``.
    """

    page_cache = cached_page()

    def get_queryset(self):
        return self.model.objects.for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = KINDS_BY_MODEL[self.model]
        context["breadcrumbs"] = [(kind.label, kind.list_url_name)]
        return context


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
        context["case_factors"] = m.in_order(rows, ids, key="case_id")
        return context


class ChallengeDetailView(EntryDetailView):
    model = m.Challenge

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        challenge = self.object
        count, ids = cases_with(self.request, "challenge", challenge.slug)
        context["case_count"] = count
        context["cases"] = m.in_order(m.CaseStudy.objects.filter(pk__in=ids).with_lessons_on(challenge), ids)
        context["advice"] = challenge.related_advice()
        return context


class EntryListView(SafeMethodsMixin, PageTitleMixin, ListView):
    """A kind's list page (``as_view(model=…)`` in urls.py), template ``articles/<model>_list.html``."""

    page_cache = cached_page()

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


class TimelineView(SafeMethodsMixin, PageTitleMixin, ListView):
    """Concepts with a year and the real cases' milestones, merged by year.

    Bounded at any number of cases: each year shows its first ``MILESTONES_PER_YEAR`` milestones
    and how many it has; ``?year=2023`` shows one year's milestones in full, page by page.
    """

    page_cache = cached_page("year", "page")
    template_name = "articles/timeline.html"
    context_object_name = "concepts"
    page_title = _("Timeline")
    page_intro = _("Milestones of large models and of the companies built on them, by year.")
    breadcrumbs = ((_("Concepts"), "articles:concept-list"),)

    def get_queryset(self):
        return m.Concept.objects.timeline()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = TimelineForm(self.request.GET)
        chosen = form.chosen_year()
        milestones = m.Milestone.objects.for_timeline()
        counts = milestones.count_by_year()
        years = {}

        def year_entry(year):
            return years.setdefault(year, {"year": year, "concepts": [], "milestones": [], "total": 0})

        for concept in context["concepts"]:
            if chosen is None or concept.year == chosen:
                year_entry(concept.year)["concepts"].append(concept)
        for text, total in counts.items():
            if text.isdigit() and (chosen is None or int(text) == chosen):
                year_entry(int(text))["total"] = total
        notices = form.notices()
        if chosen is None:
            shown = milestones.first_of_each_year(MILESTONES_PER_YEAR).timeline_rows()
        else:
            page, notice = page_of(
                form, milestones.filter(date__startswith=str(chosen)).timeline_rows(), MILESTONES_PER_PAGE
            )
            shown, context["page_obj"] = page.object_list, page
            context["page_links"] = page_links(
                page, lambda n: build_url(self.request.path, {"year": [chosen], "page": [n]})
            )
            notices += filter(None, [notice])
        for row in shown:
            year = row_year(row)
            if year in years:
                years[year]["milestones"].append(row)
        for entry in years.values():
            entry["more"] = entry["total"] - len(entry["milestones"]) if chosen is None else 0
            entry["milestone_lines"] = milestone_lines(entry["milestones"])
        context.update(
            years=[years[year] for year in sorted(years)],
            chosen_year=chosen,
            all_years=sorted(int(text) for text in counts if text.isdigit()),
            notices=notices,
        )
        return context


class TagListView(SafeMethodsMixin, PageTitleMixin, ListView):
    page_cache = cached_page()
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


@cached_page()
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
    return render_page(request, "articles/tag_detail.html", context)
