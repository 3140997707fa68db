"""Sends the emails whose (re)try is due: for cron, where the task queue cannot defer."""

from django.core.management.base import BaseCommand

from common.services.outbox import send_due_emails


class Command(BaseCommand):
    help = "Send queued emails and the retries that are due."

    def handle(self, *args, **options) -> None:
        sent = send_due_emails()
        self.stdout.write(f"{sent} emails tried.")
