"""An export's CSV written by PostgreSQL's `COPY … TO STDOUT WITH CSV`: byte for byte what the
Python writer (`base.csv_chunks`) writes, at the speed of `\\copy` (issue 20).

Its XLSX too: each column's `cell` is the XML of its XLSX cell in SQL, and `COPY … TO STDOUT`
writes one `<row>` a line, which Python deflates into the sheet (`copy_xlsx_chunks`); a reader
reads what it reads of the Python writer's file (`xlsx.xlsx_chunks`).

Each column says in SQL what its Python converter does (`ColumnSpec.sql`): a label looked up in
a JSON object of the labels in the export's language, a time in the forum's zone to the minute,
session titles aggregated in programme order. Around a text value go the formula guard (a
leading apostrophe) and NULL for an empty text, which COPY writes as an empty field as Python's
writer writes an empty string (COPY would quote an empty string); a value made only of fixed
labels none of which is empty or starts as a formula needs neither. COPY sends one row a
message, ending in a line feed; the rows here end in CR LF, as Python's writer ends them. A list
with a column without SQL, a list of one column (Python quotes a lone empty field) or another
database than PostgreSQL takes the Python writer.

A value aggregated from other rows (a registration's sessions, its consents) is a `Joined`: the
statement aggregates those rows once, for all the exported rows, and joins the result (a hash
join), instead of a subquery run once per row — for 100,000 registrations that halved the
statement's time, below that of the plain values the Python writer reads.
"""

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Expression, F, QuerySet, TextField, Value
from django.db.models.aggregates import StringAgg

from backoffice.exports.xlsx import (
    DATETIME_STYLE,
    EMPTY_CELL,
    ILLEGAL_XML_CHARACTERS,
    TEXT_CLOSE,
    TEXT_OPEN,
    header_row,
    text_cell,
    xlsx_package,
    xml_text,
)

# base.FORMULA_TRIGGERS, in SQL: = + - @ tab CR
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_TRIGGERS_SQL = ", ".join(f"chr({ord(character)})" for character in FORMULA_TRIGGERS)
# The same as a regular expression's bracket (PostgreSQL reads \t and \r in it).
FORMULA_START_REGEX = r"^([=+@\t\r-])"
ROWS_PER_WRITE = 500


class Joined:
    """A value of each exported row aggregated from other rows: `value` (an aggregate) over
    `rows` grouped by their `key` (the field pointing at the exported row, e.g. a booking's
    `registration`). `copy_statement` aggregates them once and joins the result."""

    def __init__(self, rows: QuerySet, value: Expression, key: str = "registration"):
        self.rows = rows
        self.value = value
        self.key = key

    def aggregated(self, exported: QuerySet) -> tuple[str, tuple]:
        """(key, value) of each of the exported rows that has such rows, as SQL."""
        rows = (
            self.rows.filter(**{f"{self.key}__in": exported.order_by().values("pk")})
            .order_by()
            .values(self.key)
            .annotate(joined_value=self.value)
            .values_list(self.key, "joined_value")
        )
        return rows.query.sql_with_params()


def render(template: str, params: tuple, value_sql: str, value_params) -> tuple[str, list]:
    """`template` with `{value}` replaced by `(value_sql)`, its parameters in their places."""
    pieces = template.split("{value}")
    own = list(params)
    text, ordered = "", []
    for index, piece in enumerate(pieces):
        count = piece.count("%s")
        text += piece
        ordered += own[:count]
        own = own[count:]
        if index < len(pieces) - 1:
            text += f"({value_sql})"
            ordered += list(value_params)
    return text, ordered


class SqlColumn(Expression):
    """SQL `template` over `source` (a field or annotation of the queryset, an expression, or a
    `Joined` value): `{value}` stands for the source, each `%s` for one of `params`, in order of
    appearance."""

    output_field = TextField()
    # The same value as a whole XLSX cell's XML (`with_cell`), for the sheet COPY writes.
    cell: "SqlColumn | None" = None

    def __init__(
        self,
        source: str | Expression | Joined,
        template: str = "({value})::text",
        params: tuple = (),
    ):
        super().__init__()
        self.source = F(source) if isinstance(source, str) else source
        self.template = template
        self.params = tuple(params)

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    @property
    def joined(self) -> bool:
        return isinstance(self.source, Joined)

    def as_sql(self, compiler, connection):
        sql, source_params = compiler.compile(self.source)
        return render(self.template, self.params, sql, source_params)


def may_need_guard(texts: Iterable[str]) -> bool:
    """Whether one of these fixed texts (labels, titles) is empty or starts as a formula: if none
    does, a value made of them needs no guard."""
    return any(not text or text.startswith(FORMULA_TRIGGERS) for text in texts)


def guarded(column: SqlColumn, *, once: bool = False) -> SqlColumn:
    """NULL for an empty text; a text a spreadsheet would run as a formula gets a leading
    apostrophe (`base.safe_csv_cell`). With `once` the value is read once (a regular expression
    rather than a CASE that reads it three times): for a value that costs a subquery."""
    inner = column.template
    if once:
        template = f"NULLIF(regexp_replace({inner}, '{FORMULA_START_REGEX}', '''\\1'), '')"
        return SqlColumn(column.source, template, column.params)
    template = (
        f"NULLIF(CASE WHEN left({inner}, 1) IN ({FORMULA_TRIGGERS_SQL}) "
        f"THEN '''' || {inner} ELSE {inner} END, '')"
    )
    return SqlColumn(column.source, template, column.params * 3)


# XLSX cells: the XML xlsx.py writes for a value, without the cell reference ------------------
def with_cell(column: SqlColumn, cell: SqlColumn) -> SqlColumn:
    column.cell = cell
    return column


def number_cell(source: str | Expression | Joined) -> SqlColumn:
    return SqlColumn(
        source, "COALESCE('<c><v>' || ({value})::text || '</v></c>', %s)", (EMPTY_CELL,)
    )


# Text needs work in the XML if it holds markup characters or characters XML 1.0 forbids: one
# regular expression tells (cheap: ~0.1 µs a value), the replacements run only then.
NEEDS_ESCAPING_REGEX = f"[&<>{ILLEGAL_XML_CHARACTERS}]"
ILLEGAL_XML_REGEX = f"[{ILLEGAL_XML_CHARACTERS}]"


def text_cell_sql(source: str | Expression | Joined) -> SqlColumn:
    """An inline string cell of the text, escaped; an empty cell for NULL or an empty text."""
    escaped = (
        "replace(replace(replace(regexp_replace({value}, %s, '', 'g'), "
        "'&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    )
    return SqlColumn(
        source,
        f"COALESCE(%s || CASE WHEN {{value}} ~ %s THEN {escaped} "
        "ELSE NULLIF({value}, '') END || %s, %s)",
        (TEXT_OPEN, NEEDS_ESCAPING_REGEX, ILLEGAL_XML_REGEX, TEXT_CLOSE, EMPTY_CELL),
    )


def local_time_cell(source: str | Expression | Joined, zone: str) -> SqlColumn:
    """A date cell of the wall-clock time in `zone` to the second (`base.local_time`): the
    days since 1899-12-30 plus the second of the day / 86400, the same double arithmetic as
    `xlsx.serial`, which PostgreSQL prints as the shortest text that reads back as it (as
    Python's `repr`; a whole number without `.0`)."""
    local = "date_trunc('second', ({value}) AT TIME ZONE %s)"
    days = f"({local}::date - DATE '1899-12-30')"
    seconds = f"date_part('epoch', {local}::time)"  # a double, whole (numeric's extract is slower)
    return SqlColumn(
        source,
        f"COALESCE('<c s=\"{DATETIME_STYLE}\"><v>' || ({days} + {seconds} / 86400)::text "
        "|| '</v></c>', %s)",
        (zone, zone, EMPTY_CELL),
    )


def label_cell(source: str | Expression | Joined, names: dict[str, str]) -> SqlColumn:
    cells = {code: text_cell(name) for code, name in names.items()}
    return SqlColumn(
        source, "COALESCE(%s::jsonb ->> ({value})::text, %s)", (json.dumps(cells), EMPTY_CELL)
    )


# Column makers: (export, source) → SqlColumn ------------------------------------------------
def sql_plain(export, source: str) -> SqlColumn:
    """A number as text."""
    return with_cell(SqlColumn(source), number_cell(source))


def sql_text(export, source: str) -> SqlColumn:
    return with_cell(guarded(SqlColumn(source)), text_cell_sql(source))


def sql_label(labels: Callable[[], dict[str, str]]):
    """A code's label (NULL, an empty field, for a code without one, as `dict.get` gives)."""

    def column(export, source: str) -> SqlColumn:
        names = labels()
        sql = SqlColumn(source, "(%s::jsonb ->> ({value})::text)", (json.dumps(names),))
        return with_cell(
            guarded(sql) if may_need_guard(names.values()) else sql, label_cell(source, names)
        )

    return column


def sql_yes_no(yes: Callable[[], Any], no: Callable[[], Any]):
    def column(export, source: str) -> SqlColumn:
        words = (str(yes()), str(no()))
        sql = SqlColumn(source, "(CASE WHEN {value} THEN %s ELSE %s END)", words)
        cell = SqlColumn(
            source,
            "(CASE WHEN {value} THEN %s ELSE %s END)",
            tuple(text_cell(word) for word in words),
        )
        return with_cell(guarded(sql) if may_need_guard(words) else sql, cell)

    return column


def sql_local_minute(export, source: str) -> SqlColumn:
    """`YYYY-MM-DD HH:MM` in the forum's zone, as `csv_text` writes a local time (the seconds
    cut off, not rounded); in XLSX a date cell."""
    zone = export.edition.time_zone
    column = SqlColumn(source, "to_char(({value}) AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", (zone,))
    return with_cell(column, local_time_cell(source, zone))


def sql_labels_joined(
    rows: QuerySet, code: str, labels: dict[str, str], order: dict[str, int]
) -> SqlColumn:
    """The labels of the `code`s of `rows` (each registration's rows) in `order`, joined by
    "; " — what a converter makes of the codes the Python writer reads."""
    place = SqlColumn(code, "((%s::jsonb ->> ({value})::text)::int)", (json.dumps(order),))

    def joined(names: dict[str, str]) -> Joined:
        label = SqlColumn(code, "(%s::jsonb ->> ({value})::text)", (json.dumps(names),))
        return Joined(rows, StringAgg(label, Value("; "), order_by=place))

    column = SqlColumn(joined(labels), "{value}")
    column = guarded(column, once=True) if may_need_guard(labels.values()) else column
    # In XLSX the labels are escaped before they are joined ("; " needs no escaping).
    escaped = {key: xml_text(label) for key, label in labels.items()}
    cell = SqlColumn(
        joined(escaped),
        "COALESCE(%s || NULLIF({value}, '') || %s, %s)",
        (TEXT_OPEN, TEXT_CLOSE, EMPTY_CELL),
    )
    return with_cell(column, cell)


# Writing -----------------------------------------------------------------------------------
def copy_available(columns: list[Any]) -> bool:
    return (
        connection.vendor == "postgresql"
        and len(columns) > 1
        and all(column is not None for column in columns)
    )


class SheetRow(Expression):
    """XLSX cells (`SqlColumn.cell`) as one `<row>` element."""

    output_field = TextField()

    def __init__(self, cells: list[SqlColumn]):
        super().__init__()
        self.cells = list(cells)

    def get_source_expressions(self):
        return self.cells

    def set_source_expressions(self, exprs):
        self.cells = list(exprs)

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(cell) for cell in self.cells]
        return sheet_row([sql for sql, _params in compiled]), [
            param for _sql, params in compiled for param in params
        ]


def sheet_row(cells_sql: list[str]) -> str:
    return f"concat('<row>', {', '.join(cells_sql)}, '</row>')"


def copy_sheet_available(cells: list[Any]) -> bool:
    """Whether COPY can write these XLSX cells (any number of them, unlike CSV)."""
    return connection.vendor == "postgresql" and all(cell is not None for cell in cells)


def copy_statement(
    queryset: QuerySet, columns: list[SqlColumn], *, sheet: bool = False
) -> tuple[str, list]:
    """The SELECT whose rows COPY writes: the queryset's own columns in a derived table `r`,
    each `Joined` value aggregated once in a derived table `jN` joined to it by primary key, in
    the queryset's order. With `sheet`, `columns` are XLSX cells and each row one `<row>`."""
    query = queryset.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))
    if not any(column.joined for column in columns):
        selected = [SheetRow(columns)] if sheet else columns
        return queryset.values_list(*selected).query.sql_with_params()
    if not all(isinstance(field, str) for field in ordering):
        raise ValueError("A list with joined columns is ordered by field names.")
    own = {f"c{index}": column for index, column in enumerate(columns) if not column.joined}
    # The primary key orders by `r.pk`, which the joins use too: the planner then merges the
    # aggregates in as they come, in key order, rather than hashing them and sorting the result.
    pk_names = {"pk", query.get_meta().pk.name}
    orders = {
        f"o{index}": F(field.lstrip("-"))
        for index, field in enumerate(ordering)
        if field.lstrip("-") not in pk_names
    }
    base = queryset.annotate(**own, **orders).values_list("pk", *own, *orders)
    base_sql, base_params = base.query.sql_with_params()
    selected, select_params, joins, join_params = [], [], [], []
    for index, column in enumerate(columns):
        if not column.joined:
            selected.append(f'r."c{index}"')
            continue
        sql, params = column.source.aggregated(queryset)
        joins.append(f'LEFT JOIN ({sql}) AS "j{index}" (key, value) ON "j{index}".key = r.pk')
        join_params += params
        text, params = render(column.template, column.params, f'"j{index}".value', ())
        selected.append(text)
        select_params += params
    names = ", ".join(["pk", *(f'"{name}"' for name in [*own, *orders])])
    order_by = ", ".join(
        ("r.pk" if field.lstrip("-") in pk_names else f'r."o{index}"')
        + (" DESC" if field.startswith("-") else "")
        for index, field in enumerate(ordering)
    )
    # Every piece is SQL that Django compiled, its parameters kept apart.
    selected = [sheet_row(selected)] if sheet else selected
    pieces = ["SELECT", ", ".join(selected), f"FROM ({base_sql}) AS r ({names})", *joins]
    if order_by:
        pieces.append(f"ORDER BY {order_by}")
    return " ".join(pieces), [*select_params, *base_params, *join_params]


def copy_csv_chunks(
    queryset: QuerySet, columns: list[SqlColumn], header: bytes, counted: Callable[[int], None]
) -> Iterator[bytes]:
    """`header` (BOM and header row, written by Python), then COPY's rows in blocks."""
    sql, params = copy_statement(queryset, columns)
    yield header
    with connection.cursor() as cursor:
        raw = cursor.cursor
        statement = raw.mogrify(sql, params)
        rows: list[memoryview] = []
        with raw.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
            for data in copy:
                # One row a message; its last byte is the row's line feed (one inside a quoted
                # field stays as Python's writer leaves it), replaced by CR LF when the block is
                # joined: no copy of each row on its own.
                rows.append(data[:-1])
                if len(rows) >= ROWS_PER_WRITE:
                    counted(len(rows))
                    yield crlf_lines(rows)
                    rows = []
        counted(len(rows))
        yield crlf_lines(rows)


def crlf_lines(rows: list[memoryview]) -> bytes:
    return b"\r\n".join(rows) + b"\r\n" if rows else b""


# COPY's text format writes a backslash, a line feed, a carriage return and a tab in a value as
# these escapes (the cells' SQL has dropped the other control characters it escapes).
COPY_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)
COPY_UNESCAPED = {b"\\": b"\\", b"n": b"\n", b"r": b"\r", b"t": b"\t"}


def copy_xlsx_chunks(
    queryset: QuerySet,
    cells: list[SqlColumn],
    header: list[str],
    counted: Callable[[int], None],
    *,
    sheet_name: str,
    title: str,
) -> Iterator[bytes]:
    """The XLSX that `xlsx.xlsx_chunks` writes, each row's XML written by COPY: Python writes
    the package's other parts and the header row and deflates the rows as they come."""
    sql, params = copy_statement(queryset, cells, sheet=True)

    def sheet_rows() -> Iterator[bytes]:
        yield header_row(header)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            statement = raw.mogrify(sql, params)
            before = session_settings(raw, SHEET_SETTINGS)
            rows: list[memoryview] = []
            with raw.copy(f"COPY ({statement}) TO STDOUT") as copy:
                for data in copy:
                    rows.append(data[:-1])  # one row a message, ending in a line feed
                    if len(rows) >= ROWS_PER_WRITE:
                        counted(len(rows))
                        yield unescaped(b"".join(rows))
                        rows = []
            counted(len(rows))
            yield unescaped(b"".join(rows))
            session_settings(raw, before)

    return xlsx_package(sheet_rows(), sheet_name=sheet_name, title=title)


# The sheet's statement: its cells' expressions put PostgreSQL's cost estimate for 100,000 rows
# (107,000) just above `jit_above_cost`, and compiling it took longer than it saved; the dates'
# doubles printed as the shortest text that reads back as them (the default since PostgreSQL
# 12, whatever a server's configuration says).
SHEET_SETTINGS = {"jit": "off", "extra_float_digits": "1"}


def session_settings(cursor, settings: dict[str, str]) -> dict[str, str]:
    """Sets the session's `settings`; returns what they were, to set them back."""
    pairs = ", ".join(["current_setting(%s), set_config(%s, %s, false)"] * len(settings))
    cursor.execute(
        f"SELECT {pairs}",
        [part for name, value in settings.items() for part in (name, name, value)],
    )
    return dict(zip(settings, cursor.fetchone()[::2], strict=True))


def unescaped(block: bytes) -> bytes:
    if b"\\" not in block:
        return block
    return COPY_ESCAPE.sub(lambda match: COPY_UNESCAPED[match[1]], block)
