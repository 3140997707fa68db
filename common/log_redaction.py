"""Keeps link tokens out of logs: a logging filter for the app (gunicorn's logger class, which
uses it, is in common/gunicorn_logging.py, so that a process that is not gunicorn doesn't load
gunicorn's logging).

A confirmation or manage link is a key to someone's registration; logs are kept longer and read
by more people than the link's inbox. Pure Python, no Django import: gunicorn loads it early.
"""

import logging
import re

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
