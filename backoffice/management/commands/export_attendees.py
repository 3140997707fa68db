"""`manage.py export_attendees`: an edition's attendee list as CSV or XLSX, filtered, and logged."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from backoffice.choices import ExportListKind
from backoffice.exports import EXPORT_LISTS, ExportFilters
from backoffice.models import ExportPreset
from backoffice.services.exports import log_export
from common.choices import ExportFormat, ExportSource
from forum.models import Edition
from registrations.choices import ConsentKind, ParticipantCategory, RegistrationStatus


class Command(BaseCommand):
    help = (
        "Export an edition's attendee list as CSV or XLSX, written while it is read; the export "
        "is logged. Headers and labels in --language, times in the forum's time zone."
    )
    list_kind = ExportListKind.ATTENDEES
    # No system checks before an export: they load every URL and admin module (about half a
    # second); `manage.py check --deploy` runs them at deploy time (docs/performance.md).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="The edition's slug.")
        parser.add_argument("--format", choices=ExportFormat.values, default=ExportFormat.CSV)
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--session", default="", help="Only people in this session (slug).")
        parser.add_argument(
            "--status", action="append", default=[], choices=RegistrationStatus.values
        )
        parser.add_argument(
            "--category", action="append", default=[], choices=ParticipantCategory.values
        )
        parser.add_argument(
            "--country", action="append", default=[], help="A country code, e.g. VN; repeatable."
        )
        parser.add_argument("--consent", default="", choices=["", *ConsentKind.values])
        parser.add_argument(
            "--include-waiting", action="store_true", help="Waiting lists too (session lists)."
        )
        parser.add_argument(
            "--third-party",
            action="store_true",
            help="Only people who agreed to their profile being shared (lists for the co-host).",
        )
        columns = ", ".join(EXPORT_LISTS[self.list_kind].column_specs())
        parser.add_argument(
            "--columns", default="", help=f"Comma-separated, in order, from: {columns}."
        )
        parser.add_argument("--preset", default="", help="The name of a saved column preset.")
        parser.add_argument("--language", default="en", choices=["en", "ko"])

    def handle(self, *args, **options):
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            raise CommandError(f"No edition with the slug {options['edition']!r}.")
        session = None
        if options["session"]:
            session = edition.sessions.filter(slug=options["session"]).first()
            if session is None:
                raise CommandError(f"No session {options['session']!r} in {edition}.")
        export_list = EXPORT_LISTS[self.list_kind]
        columns = [column.strip() for column in options["columns"].split(",") if column.strip()]
        unknown = [column for column in columns if column not in export_list.column_specs()]
        if unknown:
            raise CommandError(f"Unknown column(s): {', '.join(unknown)}.")
        if options["preset"] and not columns:
            preset = ExportPreset.objects.filter(
                list_kind=self.list_kind, name=options["preset"]
            ).first()
            if preset is None:
                raise CommandError(f"No {self.list_kind} preset named {options['preset']!r}.")
            columns = list(preset.columns)
        filters = ExportFilters(
            edition=edition,
            session=session,
            categories=tuple(options["category"]),
            countries=tuple(code.upper() for code in options["country"]),
            statuses=tuple(options["status"]),
            consent=options["consent"],
            include_waiting=options["include_waiting"],
            third_party=options["third_party"],
        )
        with translation.override(options["language"]):
            export = export_list(filters, columns)
            with open(options["output"], "wb") as output:
                for chunk in export.stream(options["format"]):
                    output.write(chunk)
            count = export.rows_written
        log_export(
            edition=edition,
            user=None,
            source=ExportSource.COMMAND,
            format=options["format"],
            filters={**filters.as_log(), "columns": export.chosen_keys},
            row_count=count,
            list_kind=self.list_kind,
        )
        self.stdout.write(f"Exported {count} rows to {options['output']}.")
