"""What the reader-facing views share: read-only views, page titles and notices, paging."""

from functools import wraps

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..kinds import KINDS_BY_MODEL
from ..params import PagedForm, QueryForm
from .errors import method_not_allowed

RELATED_LIMIT = 20  # related records listed on a detail or tag page; the rest through a link


def read_only(view):
    """GET and HEAD only: any other method gets a 405 page.

    The mark (``view.read_only``) lets :class:`articles.middleware.ReadOnlyViewsMiddleware`
    answer 405 before the CSRF check would answer 403, without exempting the page
    from CSRF protection. Whether the page is cached is the view's own mark (``cached_page``).
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


def render_page(request, template, context, status=200):
    """``render``, marking a page that shows notices about its parameters: the page cache does
    not store it (``PageCacheMiddleware``)."""
    response = render(request, template, context, status=status)
    response.has_notices = bool(context.get("notices"))
    return response


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

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.has_notices = bool(context.get("notices"))
        return response


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


def page_links(page, url_for):
    """Previous and next page addresses (None when there is one page)."""
    if not page.paginator.num_pages > 1:
        return None
    return {
        "previous": url_for(page.previous_page_number()) if page.has_previous() else None,
        "next": url_for(page.next_page_number()) if page.has_next() else None,
    }
