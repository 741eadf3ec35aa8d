"""Chinese by default: the interface language comes from the reader's choice only."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but ignores the browser's Accept-Language.

    The site is Chinese first; a reader switches to English with the language
    switch (Django's ``set_language``), which stores the choice in a cookie.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Cookie",))
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
            from .views import bad_request

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

    Read-only views carry ``read_only = True`` (``articles.views.read_only``,
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
            from .views import method_not_allowed

            return method_not_allowed(request)
        return None
