"""The read-only JSON API (Django REST framework), derived from the record kinds.

Every kind has ``/api/<kind>/`` (a page of records) and ``/api/<kind>/<slug>/``. A record
has the fields of its fixture form (:mod:`articles.kb_io`: the same names, links by slug,
child rows inline) plus ``page_url``, its page on the site. The case and resource lists take the
site's facets (``?outcome=acquired&factor=strong-team``) and answer with the same counts,
computed on the same in-memory index; ``/api/search/`` searches like the site.

Only GET, HEAD and OPTIONS are answered; there is no authentication and nothing to write.
Bad input gets a 400 or 404 with a JSON body naming the problem. Anonymous clients are
throttled per address (``KB_API_ANON_RATE``).
"""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .kb_io import COMMON_FIELDS, export_record, for_export, timestamp
from .kinds import KINDS, KINDS_BY_KEY
from .listings import LISTINGS
from .params import MAX_PAGE, MAX_QUERY_LENGTH, SearchForm
from .search import matching, search_groups
from .synonyms import expand

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
LIST_PARAMS = {"page", "page_size", "format"}


class Pagination(PageNumberPagination):
    """Pages of ``page_size`` records (20, at most 100). A page number or size that is not a whole
    number in range is a 400 naming it; a page past the end is a 404."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    facets = None

    @staticmethod
    def _whole(request, name, maximum):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            return forms.IntegerField(min_value=1, max_value=maximum).clean(raw)
        except DjangoValidationError:
            raise ValidationError(
                {name: [_("Give a whole number from 1 to %(max)d.") % {"max": maximum}]}
            ) from None

    def get_page_number(self, request, paginator):
        return self._whole(request, self.page_query_param, MAX_PAGE) or 1

    def get_page_size(self, request):
        return self._whole(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.facets is not None:
            response.data["facets"] = self.facets
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["facets"] = {
            "type": "object",
            "description": "Faceted lists only: per parameter, each value with its label and how many "
            "records would match with it (the site's counts).",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "string"},
                        "label": {"type": "string"},
                        "count": {"type": "integer"},
                        "selected": {"type": "boolean"},
                    },
                },
            },
        }
        return schema


# -- Serializers, one per kind, from the registry ---------------------------------------------------
#
# A record's JSON is its fixture form (``kb_io.export_record``, the one definition that the
# fixture files and the downloads use too) plus ``page_url``. The declared fields below only
# describe that form for the OpenAPI schema; ``RecordSerializer.to_representation`` does not
# read them, and ``tests/test_api.py`` checks that they name exactly the keys it writes.


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TagNamesField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


@extend_schema_field(OpenApiTypes.DATETIME)
class TimestampField(serializers.Field):
    """A timestamp as the fixtures write it (``2024-02-01T08:00:00+00:00``, in UTC)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return timestamp(value)


class SiteUrlField(serializers.Field):
    """The record's page on the site, absolute."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


extend_schema_field(OpenApiTypes.URI)(SiteUrlField)


def _child_serializer(child):
    attrs = {name: serializers.SlugRelatedField(slug_field="slug", read_only=True) for name in child.refs}
    attrs["Meta"] = type("Meta", (), {"model": child.model, "fields": [*child.fields, *child.refs]})
    return type(f"{child.model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


class RecordSerializer(serializers.ModelSerializer):
    kind = None

    def to_representation(self, instance):
        return {
            **export_record(self.kind, instance),
            "page_url": self.fields["page_url"].to_representation(instance),
        }


def serializer_for(kind):
    attrs = {
        "kind": kind,
        "tags": TagNamesField(),
        "created": TimestampField(),
        "updated": TimestampField(),
        "page_url": SiteUrlField(),
        **{
            name: serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
            for name in kind.m2m
        },
        **{
            child.key: _child_serializer(child)(
                many=True,
                read_only=True,
                **({"source": child.accessor} if child.accessor != child.key else {}),
            )
            for child in kind.children
        },
    }
    fields = [
        "slug",
        *COMMON_FIELDS,
        *kind.fields,
        "tags",
        *kind.m2m,
        *(child.key for child in kind.children),
        "created",
        "updated",
        "page_url",
    ]
    attrs["Meta"] = type("Meta", (), {"model": kind.model, "fields": fields, "read_only_fields": fields})
    return type(f"{kind.model.__name__}Serializer", (RecordSerializer,), attrs)


# -- Views ---------------------------------------------------------------------------------------


def reject_unknown_params(query, allowed):
    stray = sorted(set(query) - set(allowed))
    if stray:
        message = _("Unknown parameter; this endpoint reads %(names)s.") % {
            "names": ", ".join(sorted(allowed))
        }
        raise ValidationError({name: [message] for name in stray})


class KindViewSet(viewsets.ReadOnlyModelViewSet):
    """A kind's records: list (a page) and detail (by slug)."""

    kind = None
    lookup_field = "slug"
    pagination_class = Pagination

    def get_queryset(self):
        return for_export(self.kind).order_by("position", "slug")

    def list(self, request, *args, **kwargs):
        reject_unknown_params(request.query_params, LIST_PARAMS)
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        reject_unknown_params(request.query_params, {"format"})
        return super().retrieve(request, *args, **kwargs)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            slug = self.kwargs.get(self.lookup_field, "")
            raise NotFound(
                _("There is no %(kind)s “%(slug)s”.")
                % {"kind": self.kind.model._meta.verbose_name, "slug": slug}
            ) from None


class FacetedKindViewSet(KindViewSet):
    """A kind whose site list has facets (cases, resources): the same parameters and counts."""

    listing = None  # the site list's Listing, whose index and facets this list uses

    def list(self, request, *args, **kwargs):
        reject_unknown_params(request.query_params, LIST_PARAMS | set(self.listing.facets))
        # The site list's own facet search: the same choices, matches and counts by construction.
        search = self.listing.search(request)
        facet_set = search.facet_set
        unknown = {
            param: choice.unknown for param, choice in facet_set.form.choices().items() if choice.unknown
        }
        if unknown:
            raise ValidationError(
                {
                    param: [
                        _("Unknown value “%(value)s”; facets.%(param)s lists the values.")
                        % {"value": value, "param": param}
                        for value in values
                    ]
                    for param, values in unknown.items()
                }
            )
        kind, model = self.kind, self.kind.model
        listing = search.ranked(for_export(kind, model.objects.all()))
        self.paginator.facets = {
            facet.param: [
                {
                    "value": value.slug,
                    "label": str(value.label),
                    "count": value.count,
                    "selected": value.selected,
                }
                for value in facet.values
            ]
            for facet in search.facets
        }
        page = self.paginate_queryset(listing)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def viewset_for(kind):
    serializer = serializer_for(kind)
    attrs = {"kind": kind, "serializer_class": serializer, "__doc__": f"{kind.label}: {kind.description}"}
    if kind.key in LISTINGS:
        listing = LISTINGS[kind.key]
        attrs["listing"] = listing
        base = FacetedKindViewSet
        parameters = [
            OpenApiParameter(
                param,
                str,
                many=True,
                description=f"{label} (repeat for several values; the list's facets name the values)",
            )
            for param, label in listing.facets.items()
        ]
        decorate = extend_schema_view(list=extend_schema(parameters=parameters))
    else:
        base = KindViewSet
        decorate = extend_schema_view()
    name = f"{kind.model.__name__}ViewSet"
    return decorate(type(name, (base,), attrs))


VIEWSETS = {kind.key: viewset_for(kind) for kind in KINDS}


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.URLField()


class SearchGroupSerializer(serializers.Serializer):
    type = serializers.CharField()
    count = serializers.IntegerField()
    results = SearchResultSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField()
    groups = SearchGroupSerializer(many=True)


class SearchView(APIView):
    """Search every kind as the site does: Chinese and English, terms separated by spaces must all match.

    Without ``type``: the first results of each kind with its count. With ``type``: that kind's
    results, a page at a time (``/api/<type>/``-style pagination).
    """

    pagination_class = Pagination

    def result(self, kind, record):
        return {
            "type": kind.key,
            "slug": record.slug,
            "title": record.title,
            "summary": record.summary,
            "url": self.request.build_absolute_uri(record.get_absolute_url()),
        }

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description=f"Search text (at most {MAX_QUERY_LENGTH} characters)"
            ),
            OpenApiParameter("type", str, enum=list(KINDS_BY_KEY), description="One record kind"),
            OpenApiParameter("page", int),
        ],
        responses=SearchResponseSerializer,
    )
    def get(self, request):
        reject_unknown_params(request.query_params, {"q", "type", "page", "page_size", "format"})
        form = SearchForm(request.query_params, KINDS_BY_KEY)
        error = form.query_error()
        if error:
            raise ValidationError({"q": [str(error)]})
        if form.type_notice:
            raise ValidationError(
                {"type": [_("Choose one of %(types)s.") % {"types": ", ".join(KINDS_BY_KEY)}]}
            )
        query, terms = form.cleaned_data["q"]
        if not terms:
            raise ValidationError({"q": [_("Give the text to search for.")]})
        terms = expand(terms)
        kind = form.cleaned_data["type"]
        if kind:
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(matching(kind, terms), request, view=self)
            return paginator.get_paginated_response([self.result(kind, record) for record in page])
        groups = [  # the site's search results page, as JSON
            {
                "type": group.kind.key,
                "count": group.count,
                "results": [self.result(group.kind, record) for record in group.results],
            }
            for group in search_groups(terms)
        ]
        return Response({"query": query, "count": sum(group["count"] for group in groups), "groups": groups})
