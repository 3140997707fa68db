"""`manage.py export_session_attendance`: one row per person per session, as CSV or XLSX."""

from backoffice.choices import ExportListKind
from backoffice.management.commands.export_attendees import Command as ExportCommand


class Command(ExportCommand):
    help = (
        "Export who is in each session of an edition (booked; waiting lists with "
        "--include-waiting) as CSV or XLSX; the export is logged."
    )
    list_kind = ExportListKind.SESSION_ATTENDANCE
