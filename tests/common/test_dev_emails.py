"""Development: emails are saved under var/emails/ and listed, with working links, when DEBUG."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail

from common import dev_emails


@pytest.fixture
def email_folder(tmp_path, monkeypatch):
    folder = tmp_path / "emails"
    monkeypatch.setattr(dev_emails, "email_folder", lambda: folder)
    return folder


def send_one():
    connection = dev_emails.SavingConsoleBackend(stream=open("/dev/null", "w"))  # noqa: SIM115
    message = mail.EmailMultiAlternatives(
        subject="Please confirm your email address",
        body="Confirm my email address:\nhttp://127.0.0.1:8600/register/confirm/abc/\n",
        to=["jiwon.park@example.co.kr"],
        connection=connection,
    )
    message.attach("sessions.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.send()
    connection.stream.close()


def test_each_email_is_saved_and_listed_with_its_links(client, settings, email_folder, db):
    settings.DEBUG = True
    send_one()
    assert len(list(email_folder.glob("*.eml"))) == 1
    page = client.get("/dev/emails/").text
    assert "Please confirm your email address" in page
    assert '<a href="http://127.0.0.1:8600/register/confirm/abc/">' in page
    detail_url = re.search(r'href="(/dev/emails/[^"]+/)"', page).group(1)
    detail = client.get(detail_url).text
    assert "jiwon.park@example.co.kr" in detail and "sessions.ics" in detail
    assert 'href="http://127.0.0.1:8600/register/confirm/abc/"' in detail


def test_the_page_does_not_exist_without_debug(client, settings, email_folder, db):
    settings.DEBUG = False
    send_one()
    assert client.get("/dev/emails/").status_code == 404
    name = next(email_folder.glob("*.eml")).stem
    assert client.get(f"/dev/emails/{name}/").status_code == 404


def test_make_run_gives_the_emails_its_own_host_and_port():
    root = Path(__file__).resolve().parents[2]
    dry_run = subprocess.run(  # noqa: S603 — our own Makefile, fixed arguments
        [shutil.which("make"), "-n", "-o", "demo", "run", "PORT=8600"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8600}"' in dry_run
    assert "runserver 127.0.0.1:8600" in dry_run
