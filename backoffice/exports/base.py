"""What every export list shares: columns, filters, labels, CSV and XLSX streams, file names.

A list reads plain tuples (`values_list(...).iterator()`), never model objects, and lets the
database aggregate (sessions per attendee), so 100,000 rows stream in flat memory. Each column
turns its raw value into what a reader understands: a country name, a category label, a time in
the forum's zone.
"""

import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from backoffice.exports.copy_csv import (
    copy_available,
    copy_csv_chunks,
    copy_sheet_available,
    copy_xlsx_chunks,
)
from backoffice.exports.xlsx import xlsx_chunks
from common.choices import ExportFormat, Language
from forum.models import Edition, Session
from registrations.choices import (
    BookingStatus,
    ConsentKind,
    ParticipantCategory,
    RegistrationStatus,
)
from registrations.models import Registration
from registrations.selectors.registrations import filtered_registrations

CHUNK_SIZE = 2000
CSV_ROWS_PER_WRITE = 500
# A spreadsheet treats a CSV cell starting with one of these as a formula (or a DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV only).

    The trade-off: a genuine value such as a phone number `+82 10 1234 5678` then reads
    `'+82 10 1234 5678` in the CSV. CSV has no cell types, so this is the only guard that works
    in every spreadsheet; XLSX writes typed string cells and keeps such values as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportFilters:
    """Which registrations a list covers. `as_log()` is what the export log keeps of it."""

    edition: Edition
    session: Session | None = None
    categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    consent: str = ""
    include_waiting: bool = False
    # A list handed to a third party (the co-host, a sponsor) holds only people who agreed to
    # their profile being shared.
    third_party: bool = False
    # Registrations picked by hand (the admin's selection): a queryset of primary keys.
    selection: Any = None

    def registrations(self) -> QuerySet[Registration]:
        registrations = filtered_registrations(
            edition=self.edition,
            session=self.session,
            categories=self.categories,
            countries=self.countries,
            statuses=self.statuses,
            consents=[self.consent, ConsentKind.SHARING if self.third_party else ""],
            booking_statuses=self.booking_statuses,
        )
        if self.selection is not None:
            registrations = registrations.filter(pk__in=self.selection)
        return registrations

    @property
    def booking_statuses(self) -> list[str]:
        if self.include_waiting:
            return [BookingStatus.BOOKED, BookingStatus.WAITING]
        return [BookingStatus.BOOKED]

    def as_log(self) -> dict[str, Any]:
        """Codes and slugs only — never a name, an email or a search term."""
        logged: dict[str, Any] = {}
        if self.session is not None:
            logged["session"] = self.session.slug
        for key in ("categories", "countries", "statuses"):
            if getattr(self, key):
                logged[key] = sorted(getattr(self, key))
        if self.consent:
            logged["consent"] = self.consent
        if self.include_waiting:
            logged["include_waiting"] = True
        if self.third_party:
            logged["third_party"] = True
        if self.selection is not None:
            logged["selected"] = True
        return logged


@dataclass(frozen=True)
class Column:
    """One column: a header in words, the value it reads and how a reader sees that value."""

    header: Any  # a lazy translation, or a callable of the edition for headers naming the zone
    source: str  # a field or annotation of the list's values_list
    convert: Callable[[Any], Any] | None = None
    personal: bool = True
    sql: Any = None  # the cell's text in SQL (copy_csv.SqlColumn), for PostgreSQL's COPY

    def header_for(self, edition: Edition) -> str:
        return str(self.header(edition) if callable(self.header) else self.header)


def labels(choices) -> dict[str, str]:
    """Code → label in the active language, computed once per export."""
    return {code: str(label) for code, label in choices}


def country_names() -> dict[str, str]:
    return {code: str(name) for code, name in countries}


def yes_no() -> Callable[[bool], str]:
    yes, no = _("Yes"), _("No")
    return lambda value: yes if value else no


def local_time(zone: zoneinfo.ZoneInfo) -> Callable[[dt.datetime | None], dt.datetime | str]:
    """The wall-clock time in `zone`, naive: XLSX writes a date cell, CSV `YYYY-MM-DD HH:MM`.

    The header names the zone (`zone_header`), since neither a cell nor a CSV field holds one.
    """

    def convert(value: dt.datetime | None) -> dt.datetime | str:
        return value.astimezone(zone).replace(tzinfo=None, microsecond=0) if value else ""

    return convert


def zone_header(label) -> Callable[[Edition], str]:
    """A time column's header names the forum's zone, e.g. "Registered (Asia/Seoul)"."""
    return lambda edition: (
        _("%(label)s (%(zone)s)")
        % {
            "label": label,
            "zone": edition.time_zone,
        }
    )


class ExportList:
    """A list staff can download. Subclasses say what a row is and which columns exist."""

    slug: str = ""
    title: Any = ""
    default_columns: tuple[str, ...] = ()

    def __init__(self, filters: ExportFilters, columns: Iterable[str] = ()):
        self.filters = filters
        self.edition = filters.edition
        available = self.columns()
        chosen = [key for key in columns if key in available] or list(self.default_columns)
        self.chosen_keys: list[str] = chosen
        self.chosen: list[Column] = [available[key] for key in chosen]
        self.rows_written = 0

    # What subclasses provide -------------------------------------------------------------
    @classmethod
    def column_choices(cls) -> list[tuple[str, str]]:
        """(key, header) for a form."""
        return [(key, str(spec.header)) for key, spec in cls.column_specs().items()]

    @classmethod
    def column_specs(cls) -> dict[str, "ColumnSpec"]:
        raise NotImplementedError

    def columns(self) -> dict[str, Column]:
        return {key: spec.bind(self) for key, spec in self.column_specs().items()}

    def queryset(self, sources: list[str]) -> QuerySet:
        raise NotImplementedError

    def value_rows(self, sources: list[str]) -> Iterator[tuple]:
        """Tuples of the sources' values, read from the database in chunks."""
        return self.queryset(sources).values_list(*sources).iterator(CHUNK_SIZE)

    # Shared -------------------------------------------------------------------------------
    def header(self) -> list[str]:
        return [column.header_for(self.edition) for column in self.chosen]

    def count(self) -> int:
        return self.queryset([]).count()

    def rows(self) -> Iterator[list[Any]]:
        sources = list(dict.fromkeys(column.source for column in self.chosen))
        index = {source: position for position, source in enumerate(sources)}
        getters = [(index[column.source], column.convert) for column in self.chosen]
        for values in self.value_rows(sources):
            self.rows_written += 1
            yield [
                convert(values[position]) if convert else values[position]
                for position, convert in getters
            ]

    @property
    def has_personal_data(self) -> bool:
        return any(column.personal for column in self.chosen)

    def filename(self, format: str, today: dt.date | None = None) -> str:
        """e.g. `9th-acf-2022_attendees_2026-11-25.xlsx`: edition, list and date."""
        today = today or timezone.localdate(timezone=self.edition.tzinfo)
        return f"{self.edition.slug}_{slugify(self.slug)}_{today.isoformat()}.{format}"

    def stream(self, format: str) -> Iterator[bytes]:
        if format == ExportFormat.CSV:
            sql_columns = [column.sql for column in self.chosen]
            if copy_available(sql_columns):
                return self.copy_csv(sql_columns)
            return csv_chunks(self.header(), self.rows())
        cells = [column.sql.cell if column.sql is not None else None for column in self.chosen]
        if cells and copy_sheet_available(cells):
            return self.copy_xlsx(cells)
        return xlsx_chunks(
            self.header(), self.rows(), sheet_name=str(self.title), title=self.sheet_title()
        )

    def sheet_title(self) -> str:
        return f"{self.edition.title} — {self.title}"

    def copy_xlsx(self, cells: list) -> Iterator[bytes]:
        """The XLSX that `xlsx_chunks` writes, each row's XML written by PostgreSQL."""
        sources = list(dict.fromkeys(column.source for column in self.chosen))

        def counted(rows: int) -> None:
            self.rows_written += rows

        return copy_xlsx_chunks(
            self.queryset(sources),
            cells,
            self.header(),
            counted,
            sheet_name=str(self.title),
            title=self.sheet_title(),
        )

    def copy_csv(self, sql_columns: list) -> Iterator[bytes]:
        """The CSV that `csv_chunks` writes, its rows written by PostgreSQL (copy_csv.py)."""
        sources = list(dict.fromkeys(column.source for column in self.chosen))

        def counted(rows: int) -> None:
            self.rows_written += rows

        return copy_csv_chunks(
            self.queryset(sources), sql_columns, b"".join(csv_chunks(self.header(), [])), counted
        )


@dataclass(frozen=True)
class ColumnSpec:
    """A column before it is bound to one export (labels in the language of that export)."""

    header: Any
    source: str
    convert: Callable[["ExportList"], Callable[[Any], Any] | None] = lambda export: None
    personal: bool = True
    time: bool = False
    # The cell's text in SQL (export, source → copy_csv.SqlColumn), what `convert` and the CSV
    # writer make of the value; a list whose columns all have one is written by COPY.
    sql: Callable[["ExportList", str], Any] | None = None

    def bind(self, export: ExportList) -> Column:
        header = zone_header(self.header) if self.time else self.header
        return Column(
            header=header,
            source=self.source,
            convert=self.convert(export),
            personal=self.personal,
            sql=self.sql(export, self.source) if self.sql else None,
        )


# Converters that need the export (labels are read in the language active when it runs).
def as_country(export: ExportList):
    return country_names().get


def as_category(export: ExportList):
    return labels(ParticipantCategory.choices).get


def as_status(export: ExportList):
    return labels(RegistrationStatus.choices).get


def as_booking(export: ExportList):
    return labels(BookingStatus.choices).get


def as_language(export: ExportList):
    return labels(Language.choices).get


def as_yes_no(export: ExportList):
    return yes_no()


def as_local_time(export: ExportList):
    return local_time(export.edition.tzinfo)


def as_text(export: ExportList):
    return lambda value: value or ""


def csv_text(value: Any) -> Any:
    """How a value that is not text reads in a CSV: times to the minute, like the pages."""
    kind = value.__class__
    if kind is dt.datetime:
        # isoformat is C code, ~8× faster than strftime: it matters at 100,000 rows.
        return value.isoformat(" ", "minutes")
    if kind is dt.time:
        return value.isoformat("minutes")
    if kind is dt.date:
        return value.isoformat()
    return value


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The CSV as UTF-8 blocks of a few hundred rows, formula triggers neutralised.

    Starts with a byte-order mark so that spreadsheets read Korean names as UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([safe_csv_cell(value) for value in header])
    pending = 0
    for row in rows:
        writer.writerow(
            [
                # inlined safe_csv_cell: this loop runs once per cell of the export
                ("'" + value if value.startswith(FORMULA_TRIGGERS) else value)
                if value.__class__ is str
                else csv_text(value)
                for value in row
            ]
        )
        pending += 1
        if pending >= CSV_ROWS_PER_WRITE:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


def figure_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """A small table (a dashboard figure) as one CSV document."""
    return b"".join(csv_chunks(header, rows))
