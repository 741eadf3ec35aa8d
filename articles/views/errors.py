"""Error pages in the site's style, saying what went wrong; under /api/ the same as JSON.

They use only what cannot fail the same way: no absolute URLs from the Host header, no
database, no cache.
"""

import logging
import sys
import time

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("kb.database")

API_PREFIX = "/api/"
RETRY_AFTER = 30  # seconds a reader is asked to wait while the database is down
LOG_EVERY = 60.0  # seconds between two log lines about the same database outage
_outage = {"logged_at": None}


def error_page(request, status, title, message, template="error.html", headers=None):
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": str(message)}, status=status)  # the API's error shape
    else:
        context = {"status": status, "error_title": title, "error_message": message}
        response = render(request, template, context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_request(request, exception=None, message=None):
    return error_page(
        request,
        400,
        _("Bad request"),
        message or _("The address or form could not be understood. Check it and try again."),
    )


def permission_denied(request, exception=None):
    return error_page(request, 403, _("Access denied"), _("You do not have permission to open this page."))


def csrf_failure(request, reason=""):
    return error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "For your security, forms need a valid token from this site. Go back, reload the page "
            "and submit again; make sure your browser accepts cookies from this site."
        ),
    )


def method_not_allowed(request, allowed=("GET", "HEAD")):
    return error_page(
        request,
        405,
        _("Method not allowed"),
        _("This page can only be read (%(methods)s); it accepts no %(method)s requests.")
        % {"methods": ", ".join(allowed), "method": request.method[:10]},
        headers={"Allow": ", ".join(allowed)},
    )


def page_not_found(request, exception):
    return error_page(
        request,
        404,
        _("Page not found"),
        _("There is no page at this address. It may have been renamed or never existed."),
        template="404.html",
    )


def database_unavailable(request, exception):
    """503 with ``Retry-After``; the outage is logged once a minute, not once per request."""
    now = time.monotonic()
    if _outage["logged_at"] is None or now - _outage["logged_at"] > LOG_EVERY:
        _outage["logged_at"] = now
        logger.warning("Database unavailable (%s: %s); answering 503.", type(exception).__name__, exception)
    return error_page(
        request,
        503,
        _("Temporarily unavailable"),
        _("The knowledge base cannot reach its database right now. Please try again in a minute."),
        headers={"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"},
    )


def server_error(request):
    exception = sys.exc_info()[1]
    if isinstance(exception, (OperationalError, InterfaceError)):
        # The database went away outside a view (a middleware, a context processor).
        return database_unavailable(request, exception)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error."}, status=500)
    return render(request, "500.html", status=500)
