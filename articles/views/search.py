"""Search across every record kind (``articles.search``)."""

from django.utils.translation import gettext_lazy as _

from ..facets import build_url
from ..kinds import KINDS_BY_KEY
from ..pagecache import cached_page
from ..params import SearchForm
from ..search import attach_tag_names, highlight_pattern, matching, search_groups
from ..synonyms import expand
from .base import page_links, page_of, read_only, render_page

SEARCH_PER_PAGE = 20
SEARCH_EXAMPLES = ("隐私", "联邦学习", "计算资源", "Transformer")  # offered on the empty search page


@cached_page()  # the empty search page; results (any ``q``) are not stored
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
        return render_page(request, "articles/search.html", context, status=400)
    query, terms = form.cleaned_data["q"]
    terms = expand(terms)  # each term with the editors' synonyms, read once for the page
    only = form.cleaned_data["type"]
    context.update(query=query, pattern=highlight_pattern(terms))
    if terms and only:
        page, page_notice = page_of(form, matching(only, terms), SEARCH_PER_PAGE)
        attach_tag_names(page.object_list)
        context["notices"] += filter(None, [page_notice])
        context.update(
            only=only,
            page_obj=page,
            results=page.object_list,
            total=page.paginator.count,
            page_links=page_links(
                page, lambda n: build_url(request.path, {"q": [query], "type": [only.key], "page": [n]})
            ),
        )
    elif terms:
        groups = search_groups(terms)
        attach_tag_names([record for group in groups for record in group.results])
        context.update(groups=groups, total=sum(group.count for group in groups))
    return render_page(request, "articles/search.html", context)
