"""The faceted lists: case studies and resources, filtered by the facets in the query string.

What a list filters on and how its index is built is :mod:`articles.listings`; these views
add the page around it (title, chips, paging, the comparison tray).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from .. import models as m
from ..cards import CARD_FIELDS, attach_cards
from ..facets import build_url
from ..founder import COMPARE_MAX, COMPARE_MIN
from ..listings import CASES, RESOURCES
from ..pagecache import cached_page
from ..params import MAX_VALUES
from .base import PageTitleMixin, SafeMethodsMixin, page_links, page_of, render_page

CASES_PER_PAGE = 20
RESOURCES_PER_PAGE = 30


class FacetSearchMixin(PageTitleMixin):
    """A page that searches a :class:`~articles.listings.Listing` with the request's facet choices."""

    listing = None
    kept_params = ()  # parameters the links keep without filtering by them

    def scope(self, index):
        """The records this page shows, as a bitmap (None: all of them)."""
        return None

    def facet_search(self, request):
        """(search, context) of the request's facet choices: the page's title, facets, chips, notices."""
        search = self.listing.search(request, kept=self.kept_params, scope=self.scope)
        context = {
            **self.page_context(),
            "facets": search.facets,
            "facet_set": search.facet_set,
            "chips": search.facet_set.chips(),
            "notices": search.notices,
        }
        return search, context


class FacetedListView(SafeMethodsMixin, FacetSearchMixin, View):
    """A list filtered by facets from the query string, with counts per value; a page of it is read."""

    template_name = None
    per_page = 20

    def get(self, request, *args, **kwargs):
        search, context = self.facet_search(request)
        page, page_notice = page_of(search.facet_set.form, search.ranked(self.page_queryset()), self.per_page)
        context.update(
            {
                "page_obj": page,
                "object_list": page.object_list,
                "notices": [*context["notices"], *filter(None, [page_notice])],
                "page_links": page_links(page, search.facet_set.page_url),
            }
        )
        context.update(self.extra_context(search.facet_set, page))
        return render_page(request, self.template_name, context)

    def page_queryset(self):
        """What a page of the list reads of each record."""
        return self.model.objects.for_listing()

    def extra_context(self, facet_set, page):
        return {}


def comparison_cases(slugs):
    """The real cases named by ``slugs`` (the first COMPARE_MAX that exist), in the order given."""
    if not slugs:
        return []
    cases = m.CaseStudy.objects.real().filter(slug__in=slugs[:MAX_VALUES]).only("slug", "title")
    return m.in_order(cases, slugs, key="slug")[:COMPARE_MAX]


class CaseListView(FacetedListView):
    """Case studies by success factor, challenge faced, outcome, layer, region, access and tag;
    the best-documented real cases first, and the comparison being put together (``?c=…``)."""

    listing = CASES
    model = m.CaseStudy
    template_name = "articles/casestudy_list.html"
    page_intro = _(
        "Choose success factors, challenges, outcomes and more; every choice narrows the list, "
        "and the numbers show how many cases would remain. The best-documented real cases come first."
    )
    per_page = CASES_PER_PAGE
    kept_params = ("c",)
    page_cache = cached_page(*CASES.facets, "page", "c")

    def page_queryset(self):
        return self.model.objects.only(*CARD_FIELDS)  # the cards bring their own tags and factors

    def extra_context(self, facet_set, page):
        """The cards, and the comparison being put together: its cases, and an add or remove link
        per card that comes back to the same page and card."""
        attach_cards(self.request, list(page.object_list))
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


class ResourceListView(FacetedListView):
    """Resources by kind (any of the chosen kinds) and tag."""

    listing = RESOURCES
    model = m.Resource
    template_name = "articles/resource_list.html"
    per_page = RESOURCES_PER_PAGE
    page_cache = cached_page(*RESOURCES.facets, "page")
