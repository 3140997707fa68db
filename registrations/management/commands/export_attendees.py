"""`manage.py export_attendees`: an edition's attendee list as CSV or XLSX, filtered, and logged."""

from django.core.management.base import BaseCommand, CommandError

from forum.models import Edition
from registrations.choices import (
    ExportFormat,
    ExportSource,
    ParticipantCategory,
    RegistrationStatus,
)
from registrations.exports import attendees as exports
from registrations.selectors.registrations import attendees_for_export
from registrations.services.audit import log_export


class Command(BaseCommand):
    help = "Export an edition's attendees as CSV (streamed) or XLSX (write-only); logs the export."

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="The edition's slug.")
        parser.add_argument("--format", choices=ExportFormat.values, default=ExportFormat.CSV)
        parser.add_argument("--session", default="", help="Only attendees of this session (slug).")
        parser.add_argument("--status", default="", choices=["", *RegistrationStatus.values])
        parser.add_argument("--category", default="", choices=["", *ParticipantCategory.values])
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, **options):
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            raise CommandError(f"No edition with the slug {options['edition']!r}.")
        session = None
        if options["session"]:
            session = edition.sessions.filter(slug=options["session"]).first()
            if session is None:
                raise CommandError(f"No session {options['session']!r} in {edition}.")
        registrations = attendees_for_export(
            edition=edition,
            session=session,
            status=options["status"],
            category=options["category"],
        )
        rows = exports.attendee_rows(registrations)
        if options["format"] == ExportFormat.CSV:
            with open(options["output"], "w", encoding="utf-8", newline="") as output:
                count = exports.write_csv(rows, output)
        else:
            count = exports.write_xlsx(rows, options["output"])
        filters = {key: options[key] for key in ("session", "status", "category") if options[key]}
        log_export(
            edition=edition,
            user=None,
            source=ExportSource.COMMAND,
            format=options["format"],
            filters=filters,
            row_count=count,
        )
        self.stdout.write(self.style.SUCCESS(f"Exported {count} attendees to {options['output']}."))
