"""Keeps link tokens out of logs: a logging filter for the app and a logger class for gunicorn.

A confirmation or manage link is a key to someone's registration; logs are kept longer and read
by more people than the link's inbox. Pure Python, no Django import: gunicorn loads it early.
"""

import logging
import re

from gunicorn.glogging import Logger

# /register/confirm/<token>/, /register/manage/<token>/, /register/join/<token>/ (a personal
# join link), /register/survey/<token>/ (the after-forum survey), /meetings/enter/<token>/ and
# the meetings calendar feed's secret (also under /ko/),
# not the manage page's own sub-pages.
TOKEN_IN_PATH = re.compile(
    r"(/register/(?:confirm|manage|join|survey)/|/meetings/enter/|/meetings/calendar/)"
    r"(?!(?:sessions|consents|reminders|cancel|renew)/|calendar\.ics)"
    r"[^/\s?#\"']+?(?=\.ics|[/\s?#\"']|$)"
)


def redact_tokens(text: str) -> str:
    return TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactTokensFilter(logging.Filter):
    """Rewrites a record's message (e.g. django.request's "Bad Request: <path>") without tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's access log with tokens replaced in every field (request line, path, Referer)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_tokens(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
