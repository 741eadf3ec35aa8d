"""Request handling around the views: language, malformed queries, read-only pages."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _

from .views.errors import bad_request, database_unavailable, method_not_allowed


class UrlLanguageMiddleware:
    """The interface language comes from the URL only: ``/en/…`` is English, the rest Chinese.

    Unlike Django's LocaleMiddleware it never reads a cookie or Accept-Language, and so
    adds no ``Vary`` header: one URL is one page for every reader, which a CDN can hold.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class RejectMalformedQueryMiddleware:
    """Answer 400, saying what is wrong, to addresses no reader could have meant.

    * NUL characters (``%00``) in the path or query: PostgreSQL text cannot hold
      them, so they would otherwise fail deep inside a lookup (tag slugs, admin search).
    * Query values that are not valid UTF-8 (Django decodes them to U+FFFD): the
      value the sender meant cannot be known, so no filter or search can honour it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            return bad_request(request, message=problem)
        return self.get_response(request)

    @staticmethod
    def problem(request):
        if "\x00" in request.path:
            return _("The address contains a null character.")
        for key, values in request.GET.lists():
            for text in (key, *values):
                name = key.replace("\x00", "").replace("\ufffd", "?")[:40]
                if "\x00" in text:
                    return _("The parameter “%(name)s” contains a null character.") % {"name": name}
                if "\ufffd" in text:
                    return _("The parameter “%(name)s” is not valid UTF-8.") % {"name": name}
        return None


class ReadOnlyViewsMiddleware:
    """Answer 405 to POST, PUT, DELETE … on read-only pages, before the CSRF check.

    Read-only views carry ``read_only = True`` (``articles.views.base.read_only``,
    ``SafeMethodsMixin``). Without this, a POST to one would get the CSRF
    failure page (403), which misleads: the page accepts no POST at all. The
    pages stay under CSRF protection; this only answers earlier.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "read_only", False) and request.method not in ("GET", "HEAD"):
            return method_not_allowed(request)
        allowed = getattr(view_func, "allowed_methods", None)  # a form page: its own methods
        if allowed and request.method not in allowed:
            return method_not_allowed(request, allowed=allowed)
        return None


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with ``Retry-After``, in the site's style.

    Pages already in the page cache are still served (``articles.pagecache``); this is for the
    rest (``articles.views.errors.database_unavailable``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        return database_unavailable(request, exception)
