"""Link tokens never reach what the app logs."""

import io
import logging

import pytest

from common.log_redaction import RedactTokensFilter, redact_tokens
from registrations.services.registrations import register_attendee
from registrations.tokens import CONFIRM, MANAGE, make_token
from tests.registrations.data import service_data


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "GET /register/confirm/eyJw:1vX:abc-_d/ HTTP/1.1",
            "GET /register/confirm/[token]/ HTTP/1.1",
        ),
        ("/ko/register/manage/eyJw:1vX:abc/", "/ko/register/manage/[token]/"),
        ("https://forum.example.org/register/manage/eyJw:1vX:abc/", None),
        ("/register/manage/sessions/", "/register/manage/sessions/"),
        ("/register/manage/calendar.ics", "/register/manage/calendar.ics"),
        ("/register/manage/", "/register/manage/"),
        ("GET /meetings/enter/eyJw:1vX:abc/ HTTP/1.1", "GET /meetings/enter/[token]/ HTTP/1.1"),
        ("/ko/meetings/calendar/eyJwSecret.ics", "/ko/meetings/calendar/[token].ics"),
        ("/meetings/calendar/renew/", "/meetings/calendar/renew/"),
        ("GET /ko/register/join/eyJw:1vX:abc/ HTTP/1.1", "GET /ko/register/join/[token]/ HTTP/1.1"),
        ("/register/online/12/", "/register/online/12/"),
    ],
)
def test_tokens_are_replaced_in_any_text(line, expected):
    redacted = redact_tokens(line)
    assert "eyJw" not in redacted
    if expected is not None:
        assert redacted == expected


@pytest.fixture
def app_log():
    """What the configured console handler writes (settings.LOGGING), read into a string."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactTokensFilter) for f in handler.filters)
    ]
    assert len(handlers) == 1
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    yield stream
    handlers[0].setStream(previous)


@pytest.mark.django_db
def test_the_apps_own_log_lines_keep_no_token(client, open_edition, app_log):
    registration = register_attendee(edition=open_edition, data=service_data())
    token = make_token(registration, purpose=CONFIRM)
    # What Django logs for a refused request names its path.
    logging.getLogger("django.request").warning("Bad Request: %s", f"/register/confirm/{token}/")
    logging.getLogger("django.server").info(
        '"GET %s HTTP/1.1" 302 0', f"/register/manage/{make_token(registration, purpose=MANAGE)}/"
    )
    assert app_log.getvalue().splitlines() == [
        "Bad Request: /register/confirm/[token]/",
        '"GET /register/manage/[token]/ HTTP/1.1" 302 0',
    ]


@pytest.mark.django_db
def test_token_pages_send_no_referrer(client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    for url in (
        f"/register/confirm/{make_token(registration, purpose=CONFIRM)}/",
        f"/register/manage/{make_token(registration, purpose=MANAGE)}/",
        "/register/confirm/not-a-token/",
    ):
        response = client.get(url)
        assert (response.status_code, response.headers["Referrer-Policy"]) == (302, "no-referrer")
        assert "/register/" in response.headers["Location"]
        assert "[token]" not in response.headers["Location"]
