"""`manage.py expire_registrations`: deletes registrations never confirmed in time."""

from django.core.management.base import BaseCommand

from common.ratelimit import purge_expired
from registrations.services.registrations import expire_registrations


class Command(BaseCommand):
    help = (
        "Delete registrations whose email address was not confirmed within the edition's "
        "confirmation hours; their seats go to the waiting lists. Run it hourly."
    )
    # Run from a timer every few minutes: the system checks are `manage.py check --deploy`'s,
    # at deploy time, not each run's (docs/performance.md).
    requires_system_checks = []

    def handle(self, *args, **options):
        count = expire_registrations()
        purge_expired()
        self.stdout.write(self.style.SUCCESS(f"Expired {count} unconfirmed registrations."))
