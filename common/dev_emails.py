"""Development only: every email is also saved under var/emails/ and listed on /dev/emails/.

`make run` sends email to the console; reading a confirmation link out of a terminal is awkward,
so the same backend also writes each message as an .eml file, and a DEBUG-only page lists them
with their links (which point at the host and port `make run` serves: SITE_URL).
"""

import datetime as dt
import email
import email.policy
import itertools
import re
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.http import Http404
from django.shortcuts import render

_counter = itertools.count()
LINK = re.compile(r"https?://[^\s<>\"']+")


def email_folder() -> Path:
    return Path(settings.BASE_DIR) / "var" / "emails"


class SavingConsoleBackend(ConsoleBackend):
    """The console backend that also keeps a copy of each message under var/emails/."""

    def send_messages(self, email_messages):
        folder = email_folder()
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")  # machine format: file name
            path = folder / f"{stamp}-{next(_counter):04d}.eml"
            path.write_bytes(message.message().as_bytes())
        return super().send_messages(email_messages)


def _read(path: Path) -> dict:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = parsed.get_body(preferencelist=("plain",))
    body = text.get_content() if text is not None else ""
    attachments = [part.get_filename() for part in parsed.iter_attachments()]
    return {
        "id": path.stem,
        "subject": str(parsed["subject"] or ""),
        "to": str(parsed["to"] or ""),
        "date": str(parsed["date"] or ""),
        "body": body,
        "links": LINK.findall(body),
        "attachments": [name for name in attachments if name],
    }


def email_list(request):
    if not settings.DEBUG:
        raise Http404
    folder = email_folder()
    paths = sorted(folder.glob("*.eml"), reverse=True)[:100] if folder.is_dir() else []
    return render(
        request,
        "dev/emails.html",
        {"emails": [_read(path) for path in paths], "folder": "var/emails/"},
    )


def email_detail(request, email_id: str):
    if not settings.DEBUG or not re.fullmatch(r"[0-9T]+-[0-9]{4}", email_id):
        raise Http404
    path = email_folder() / f"{email_id}.eml"
    if not path.is_file():
        raise Http404
    return render(request, "dev/email_detail.html", {"email": _read(path)})
