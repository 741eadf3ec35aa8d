"""The faceted lists' data: what each list filters on, how its index is built, and the search of
a request's facet choices.

The site's list pages, the case timeline, the case downloads and the API all search through
the same :class:`Listing`, so their choices, matches and counts agree by construction; none of
them needs to create or subclass another's view. Filtering and counting run on an in-memory
index (:mod:`articles.facet_index`), rebuilt when the content version changes.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from . import models as m
from .facet_index import RankedPage, build_index, index_for
from .facets import FacetSet
from .pagecache import current_version


@dataclass
class FacetSearch:
    """A request's facet choices applied to a list: what matches, and the facets to show."""

    index: object
    facet_set: FacetSet
    matching: int  # bitmap of the matching records, in the index's positions
    facets: list  # the facets with their values and counts, for the page or the API

    @property
    def notices(self):
        return self.facet_set.notices

    def ranked(self, queryset):
        """The matches as a sliceable sequence that reads only the rows of the slice asked for."""
        return RankedPage(self.index, self.matching, lambda ids: queryset.filter(pk__in=ids))


class Listing:
    """A faceted list. ``facets`` maps each query parameter to its label (in the order shown).
    ``tag`` and the ``choice_facets`` (a choice field of the record itself; several chosen values
    mean OR) are handled here; for any other facet ``options()`` gives the values that exist and
    ``facet_pairs()`` the (record id, value) pairs. Several values of one facet must all apply."""

    model = None
    key = None  # the index's name
    facets = {}
    choice_facets = {}  # param -> field name

    @property
    def any_of(self):
        return tuple(self.choice_facets)

    def options(self):
        """{param: {slug: label}} of the facets that are neither ``tag`` nor a choice field."""
        return {}

    def facet_pairs(self, param):
        raise NotImplementedError

    def ordered(self, queryset):
        return queryset

    @cached_property
    def content_type(self):
        return ContentType.objects.get_for_model(self.model)

    def tag_options(self):
        """Tags used by at least one record of this kind, the most used first."""
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

    def index(self, request=None):
        """The index at the request's content version (read once per request by the page cache)."""
        version = getattr(request, "content_version", None) or current_version()[0]
        if request is not None:
            request.content_version = version  # read once per request (the page cache may have)
        return index_for(self.key, version, self.build_index)

    def search(self, request, path=None, kept=(), scope=None):
        """The request's facet choices on this list. ``kept``: parameters links keep without
        filtering by them; ``scope(index)``: the records searched (a bitmap; None for all)."""
        index = self.index(request)
        facet_set = FacetSet(
            path or request.path, request.GET, options=index.options, labels=self.facets, kept=kept
        )
        within = scope(index) if scope else None
        matching, counts = index.search(facet_set.selected, any_of=self.any_of, within=within)
        return FacetSearch(index, facet_set, matching, facet_set.facets(counts, any_of=self.any_of))


class CaseListing(Listing):
    """Case studies by success factor, challenge faced (through lessons), outcome, layer, region,
    access and tag; the best-documented real cases first."""

    model = m.CaseStudy
    key = "cases"
    facets = {
        "factor": _("Success factor"),
        "challenge": _("Challenge faced"),
        "outcome": _("Outcome"),
        "layer": _("Layer"),
        "region": _("Region"),
        "access": _("Access"),
        "sector": _("Sector"),
        "customer": _("Customers"),
        "tag": _("Topic"),
    }
    choice_facets = {"outcome": "outcome", "layer": "layer", "region": "region", "access": "access"}
    list_facets = {"sector": "sectors", "customer": "customers"}  # several values per case, any of

    @property
    def any_of(self):
        return (*self.choice_facets, *self.list_facets)

    def options(self):
        return {
            "factor": {f.slug: f.title for f in m.SuccessFactor.objects.order_by("position", "title")},
            "challenge": {c.slug: c.title for c in m.Challenge.objects.order_by("position", "title")},
            **{
                param: dict(self.model._meta.get_field(name).options.choices)
                for param, name in self.list_facets.items()
            },
        }

    def facet_pairs(self, param):
        if param == "factor":
            return m.CaseFactor.objects.values_list("case_id", "factor__slug")
        if param in self.list_facets:
            rows = self.model.objects.values_list("pk", self.list_facets[param])
            return [(pk, value) for pk, values in rows for value in values or ()]
        return m.Lesson.objects.filter(challenge__isnull=False).values_list("case_id", "challenge__slug")

    def ordered(self, queryset):
        return queryset.best_documented_first()


class ResourceListing(Listing):
    """Resources by kind (any of the chosen kinds) and tag."""

    model = m.Resource
    key = "resources"
    facets = {"kind": _("Kind"), "tag": _("Topic")}
    choice_facets = {"kind": "kind"}

    def ordered(self, queryset):
        return queryset.order_by("kind", "position", "title")


CASES = CaseListing()
RESOURCES = ResourceListing()
LISTINGS = {"cases": CASES, "resources": RESOURCES}  # by kind key


def case_index(request=None):
    """The case list's facet index, which every page that counts or lists cases shares."""
    return CASES.index(request)


def real_cases(index):
    """Bitmap of the cases that are not the invented example."""
    return index.everything & ~index.bits.get("outcome", {}).get(m.CaseStudy.Outcome.ILLUSTRATIVE, 0)
