"""`manage.py send_meeting_reminders`: the day-before reminder of every meeting, once each."""

from django.core.management.base import BaseCommand

from meetings.services.reminders import send_meeting_reminders


class Command(BaseCommand):
    help = (
        "Email both sides of every meeting that starts within the next 24 hours and has had no "
        "reminder yet. Safe to run as often as you like (e.g. hourly from cron)."
    )
    # Run from a timer every few minutes: the system checks are `manage.py check --deploy`'s,
    # at deploy time, not each run's (docs/performance.md).
    requires_system_checks = []

    def handle(self, *args, **options):
        count = send_meeting_reminders()
        self.stdout.write(f"{count} meeting reminder(s) queued.")
