"""A browser visit to a confirmation link, served by gunicorn as in production, leaves no token
in the access log: not in the request line, and not as the Referer of the page's static files."""

import datetime as dt
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import sync_playwright

from registrations.models import Registration
from registrations.services.registrations import register_attendee
from registrations.tokens import CONFIRM, make_token
from tests.e2e.test_registration_journey import launch
from tests.factories import EditionFactory, RegistrationSettingsFactory, consent_texts_for
from tests.races import database_url, free_port
from tests.registrations.data import service_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def open_edition(transactional_db):
    edition = EditionFactory(
        is_current=True,
        registration_opens=timezone.now() - dt.timedelta(days=1),
        registration_closes=timezone.now() + dt.timedelta(days=30),
    )
    RegistrationSettingsFactory(edition=edition)
    consent_texts_for(edition)
    return edition


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn run from the project directory, so it reads gunicorn.conf.py as in production."""
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}},
        # The deployed settings module, in development mode (plain HTTP), with the key the test
        # that made the link signed it with.
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DEBUG": "1",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
    }
    process = subprocess.Popen(  # noqa: S603 — our own app server with fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "forum.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access_log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 — our server
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    yield url, access_log
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


def test_a_browser_visit_to_a_confirm_link_leaves_no_token_in_the_access_log(
    open_edition, gunicorn
):
    url, access_log = gunicorn
    registration = register_attendee(edition=open_edition, data=service_data())
    token = make_token(registration, purpose=CONFIRM)

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"{url}/register/confirm/{token}/", wait_until="networkidle")
        page.click("#confirm-button")
        page.wait_for_url(f"{url}/register/manage/", wait_until="networkidle")
        heading = page.inner_text("h1")
        browser.close()

    assert heading == "My registration"
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    time.sleep(0.5)  # gunicorn writes the last lines as the responses leave
    log = access_log.read_text()
    lines = log.splitlines()
    assert token not in log
    assert token.split(":")[0] not in log  # not even the payload part
    # The link was visited once: its answer moved the token into the session and sent the browser
    # on to a page without it, which showed the button, took the POST and went on.
    requests = [
        line.split('"')[1]
        for line in lines
        if "/static/" not in line and "/healthz" not in line and "favicon" not in line
    ]
    assert requests == [
        "GET /register/confirm/[token]/ HTTP/1.1",
        "GET /register/confirm/ HTTP/1.1",
        "POST /register/confirm/ HTTP/1.1",
        "GET /register/manage/ HTTP/1.1",
    ]
    static = [line for line in lines if "/static/" in line]
    assert static != []  # the pages' stylesheets and scripts were fetched, with no token
