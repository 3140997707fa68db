"""`manage.py send_session_reminders`: the day-before and hour-before reminders, once each."""

from django.core.management.base import BaseCommand

from registrations.choices import ReminderKind
from registrations.services.reminders import send_session_reminders, send_session_reminders_task


class Command(BaseCommand):
    help = (
        "Email each confirmed attendee who wants reminders about their booked sessions starting "
        "within a day, and again within the hour, with their join links. Safe to run as often "
        "as you like (every 10 minutes from cron); --schedule hands the same work to the task "
        "worker, which then repeats it every SESSION_REMINDERS_EVERY_MINUTES."
    )
    # Run from a timer every few minutes: the system checks are `manage.py check --deploy`'s,
    # at deploy time, not each run's (docs/performance.md).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the repeating task for the task worker instead of sending now.",
        )

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            send_session_reminders_task.enqueue()
            self.stdout.write("Session reminders queued for the task worker.")
            return
        sent = send_session_reminders()
        self.stdout.write(
            f"{sent[ReminderKind.DAY_BEFORE]} day-before and "
            f"{sent[ReminderKind.HOUR_BEFORE]} hour-before reminder email(s) queued."
        )
