"""Open data: the case downloads with the list's filters, the whole knowledge base in one file,
and the page that explains the feeds, downloads and API."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from .. import downloads
from .. import models as m
from ..kb_io import export_bundle
from ..kinds import KINDS
from ..listings import CASES
from ..pagecache import cached_page
from .base import PageTitleMixin, SafeMethodsMixin, read_only, render_page
from .errors import bad_request
from .lists import FacetSearchMixin


class CaseExportView(SafeMethodsMixin, FacetSearchMixin, View):
    """The case list with its filters as CSV or as a JSON bundle (``/cases/export.csv?outcome=acquired``).

    A download has no page to show a notice on, so an unknown filter value is a 400 that
    names it rather than a file without the filter.
    """

    listing = CASES
    model = m.CaseStudy
    file_format = "csv"
    page_cache = cached_page(*CASES.facets)

    def get(self, request, *args, **kwargs):
        search, context = self.facet_search(request)
        if context["notices"]:
            return bad_request(request, message=" ".join(str(notice) for notice in context["notices"]))
        ids = search.index.page_ids(search.matching, 0, search.matching.bit_count())
        if self.file_format == "json":
            return downloads.json_response(export_bundle({"cases": ids}), "cases.json")
        site_url = f"{request.scheme}://{request.get_host()}"
        return downloads.csv_response(downloads.case_rows(ids, site_url), "cases.csv")


@cached_page()
@read_only
def knowledge_base_download(request):
    """Every record in one JSON file that ``load_kb`` reads."""
    return downloads.json_response(export_bundle(), "knowledge-base.json")


class OpenDataView(SafeMethodsMixin, PageTitleMixin, View):
    """开放数据: the feeds, downloads and API, and how to use them."""

    page_cache = cached_page()
    page_title = _("Open data")
    page_intro = _(
        "Follow the knowledge base in a feed reader, download it, or read it from your own programs. "
        "Each record page says how to cite it."
    )

    def get(self, request):
        context = {**self.page_context(), "kinds": KINDS, "case_facets": CASES.facets}
        return render_page(request, "articles/open_data.html", context)
