"""Attendee lists as CSV (streamed row by row) and XLSX (write-only), safe in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from registrations.choices import BookingStatus
from registrations.models import Registration

CHUNK_SIZE = 2000
# A spreadsheet treats a cell starting with one of these as a formula (or a DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    "id",
    "name",
    "email",
    "organisation",
    "job_title",
    "country",
    "category",
    "phone",
    "language",
    "time_zone",
    "business_meetings",
    "status",
    "registered_at",
    "email_confirmed_at",
    "sessions_booked",
    "sessions_waiting",
    "consents",
]


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z") if value else ""


def attendee_row(registration: Registration) -> list[Any]:
    """Needs bookings (with sessions) and consents in force prefetched."""
    booked = [
        b.session.slug for b in registration.bookings.all() if b.status == BookingStatus.BOOKED
    ]
    waiting = [
        b.session.slug for b in registration.bookings.all() if b.status == BookingStatus.WAITING
    ]
    consents = sorted(f"{c.kind}:{c.version}" for c in registration.consents.all())
    row = [
        registration.pk,
        registration.name,
        registration.email,
        registration.organisation,
        registration.job_title,
        registration.country.code,
        registration.category,
        registration.phone,
        registration.language,
        registration.time_zone,
        "yes" if registration.wants_meetings else "no",
        registration.status,
        _when(registration.created_at),
        _when(registration.email_confirmed_at),
        " ".join(booked),
        " ".join(waiting),
        " ".join(consents),
    ]
    return [safe_cell(value) for value in row]


def attendee_rows(registrations: QuerySet[Registration]) -> Iterator[list[Any]]:
    """The header, then one row per registration, fetched from the database in chunks."""
    yield HEADER
    for registration in registrations.iterator(chunk_size=CHUNK_SIZE):
        yield attendee_row(registration)


class Echo:
    """A file-like object that hands back what is written, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheets read the file as UTF-8 (Korean names)
    for row in rows:
        yield writer.writerow(row)


def write_csv(rows: Iterable[list[Any]], output: IO[str]) -> int:
    lines = 0
    for line in csv_lines(rows):
        output.write(line)
        lines += 1
    return max(lines - 2, 0)  # neither the byte-order mark nor the header is an attendee


def write_xlsx(rows: Iterable[list[Any]], output) -> int:
    """Writes rows to an XLSX file in openpyxl's write-only mode: memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Attendees")
    count = -1
    for row in rows:
        sheet.append(row)
        count += 1
    workbook.save(output)
    return max(count, 0)
