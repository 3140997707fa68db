"""Sends the emails whose (re)try is due: for cron, where the task queue cannot defer."""

from django.core.management.base import BaseCommand

from common.services.outbox import send_due_emails


class Command(BaseCommand):
    help = "Send queued emails and the retries that are due."
    # Run from a timer every few minutes: the system checks are `manage.py check --deploy`'s,
    # at deploy time, not each run's (docs/performance.md).
    requires_system_checks = []

    def handle(self, *args, **options) -> None:
        sent = send_due_emails()
        self.stdout.write(f"{sent} emails tried.")
