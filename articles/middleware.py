"""Chinese by default: the interface language comes from the reader's choice only."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class RejectNullBytesMiddleware:
    """Answer 400 to URLs carrying NUL characters, which PostgreSQL text cannot hold.

    Without this, a ``%00`` in a path or query value could reach a database
    lookup (tag slugs, admin search) and fail there with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in value for value in self._query_values(request)):
            return HttpResponseBadRequest(
                "Bad request: the address contains a null character (%00).",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _query_values(request):
        for key, values in request.GET.lists():
            yield key
            yield from values
