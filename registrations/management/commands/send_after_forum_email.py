"""`manage.py send_after_forum_email --edition SLUG`: thanks, recordings, materials; once each."""

from django.core.management.base import BaseCommand, CommandError

from common.errors import ForumError
from forum.models import Edition
from registrations.services.reminders import send_after_forum_email


class Command(BaseCommand):
    help = (
        "Email every confirmed attendee of an edition that has ended: thanks, and where the "
        "recordings and materials are. Each person gets it once, however often this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="The edition's slug.")

    def handle(self, *args, edition: str, **options):
        found = Edition.objects.filter(slug=edition).first()
        if found is None:
            raise CommandError(f"No edition with the slug {edition!r}.")
        try:
            count = send_after_forum_email(edition=found)
        except ForumError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"{count} after-forum email(s) queued.")
