"""`manage.py export_meetings`: the meeting schedule per participant or per day, CSV or XLSX."""

from backoffice.choices import ExportListKind
from backoffice.management.commands.export_attendees import Command as ExportCommand


class Command(ExportCommand):
    help = (
        "Export an edition's scheduled business meetings — per participant (--by participant, "
        "a row per person per meeting) or per day (--by day, a row per meeting) — as CSV or "
        "XLSX, times in the forum's zone; the export is logged."
    )
    list_kind = ExportListKind.MEETINGS_BY_PARTICIPANT

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--by", choices=["participant", "day"], default="participant")

    def handle(self, *args, **options):
        self.list_kind = (
            ExportListKind.MEETINGS_BY_DAY
            if options["by"] == "day"
            else ExportListKind.MEETINGS_BY_PARTICIPANT
        )
        return super().handle(*args, **options)
