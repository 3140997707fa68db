"""Emails leave after the transaction that caused them commits."""

from typing import Any

from django.db import transaction

from registrations.emails.registrations import send_registration_email
from registrations.models import Registration


def queue_email(registration: Registration, kind: str, **kwargs: Any) -> None:
    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, kind, **kwargs))
