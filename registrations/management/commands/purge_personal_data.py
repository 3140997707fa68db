"""`manage.py purge_personal_data`: deletes attendee data once an edition's retention ends."""

from django.core.management.base import BaseCommand

from registrations.services.privacy import purge_personal_data


class Command(BaseCommand):
    help = (
        "Delete the registrations (with their bookings and consents) of every edition whose "
        "personal-data retention period has ended. Safe to run daily from a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say what would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        purged = purge_personal_data(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        if not purged:
            self.stdout.write("No edition is past its retention period with data left.")
        for slug, count in purged.items():
            self.stdout.write(f"{verb} {count} registration(s) of {slug}.")
