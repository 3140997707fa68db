"""A database outage answers 503 with a retry hint, never a 500.

PostgreSQL restarting (or failing over) drops every connection: the requests in flight and those
arriving until it is back raise OperationalError or InterfaceError. They get a short page that
needs no database, status 503 and `Retry-After`, which browsers, proxies and scripts understand
as "come back shortly". The middleware catches what views raise; `server_error` (the root URLs'
handler500) catches what middleware raises (a session saved after the view, for instance).
"""

import logging
import sys

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from common.db import DATABASE_DOWN_ERRORS

logger = logging.getLogger("forum.outage")

RETRY_AFTER_SECONDS = 30


def unavailable_response() -> HttpResponse:
    # Rendered without the request: context processors would ask the database again.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN_ERRORS):
            logger.warning(
                "Database unavailable on %s %s: %s", request.method, request.path, exception
            )
            return unavailable_response()
        return None


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a database outage raised outside a view is a 503 too."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN_ERRORS):
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
        return unavailable_response()
    return defaults.server_error(request, template_name)
