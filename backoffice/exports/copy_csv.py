"""An export's CSV written by PostgreSQL's `COPY … TO STDOUT WITH CSV`: byte for byte what the
Python writer (`base.csv_chunks`) writes, at the speed of `\\copy` (issue 20).

Each column says in SQL what its Python converter does (`ColumnSpec.sql`): a label looked up in
a JSON object of the labels in the export's language, a time in the forum's zone to the minute,
session titles aggregated in programme order. Around a text value go the formula guard (a
leading apostrophe) and NULL for an empty text, which COPY writes as an empty field as Python's
writer writes an empty string (COPY would quote an empty string); a value made only of fixed
labels none of which is empty or starts as a formula needs neither. COPY sends one row a
message, ending in a line feed; the rows here end in CR LF, as Python's writer ends them. A list
with a column without SQL, a list of one column (Python quotes a lone empty field) or another
database than PostgreSQL takes the Python writer.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Expression, F, QuerySet, Subquery, TextField, Value
from django.db.models.aggregates import StringAgg

# base.FORMULA_TRIGGERS, in SQL: = + - @ tab CR
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_TRIGGERS_SQL = ", ".join(f"chr({ord(character)})" for character in FORMULA_TRIGGERS)
# The same as a regular expression's bracket (PostgreSQL reads \t and \r in it).
FORMULA_START_REGEX = r"^([=+@\t\r-])"
ROWS_PER_WRITE = 500


class SqlColumn(Expression):
    """SQL `template` over `source` (a field or annotation of the queryset, or an expression):
    `{value}` stands for the source, each `%s` for one of `params`, in order of appearance."""

    output_field = TextField()

    def __init__(
        self, source: str | Expression, template: str = "({value})::text", params: tuple = ()
    ):
        super().__init__()
        self.source = F(source) if isinstance(source, str) else source
        self.template = template
        self.params = tuple(params)

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def as_sql(self, compiler, connection):
        sql, source_params = compiler.compile(self.source)
        pieces = self.template.split("{value}")
        own = list(self.params)
        text, params = "", []
        for index, piece in enumerate(pieces):
            count = piece.count("%s")
            text += piece
            params += own[:count]
            own = own[count:]
            if index < len(pieces) - 1:
                text += f"({sql})"
                params += list(source_params)
        return text, params


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


# Column makers: (export, source) → SqlColumn ------------------------------------------------
def sql_plain(export, source: str) -> SqlColumn:
    """A number as text."""
    return SqlColumn(source)


def sql_text(export, source: str) -> SqlColumn:
    return guarded(SqlColumn(source))


def sql_label(labels: Callable[[], dict[str, str]]):
    """A code's label (NULL, an empty field, for a code without one, as `dict.get` gives)."""

    def column(export, source: str) -> SqlColumn:
        names = labels()
        sql = SqlColumn(source, "(%s::jsonb ->> ({value})::text)", (json.dumps(names),))
        return guarded(sql) if may_need_guard(names.values()) else sql

    return column


def sql_yes_no(yes: Callable[[], Any], no: Callable[[], Any]):
    def column(export, source: str) -> SqlColumn:
        words = (str(yes()), str(no()))
        sql = SqlColumn(source, "(CASE WHEN {value} THEN %s ELSE %s END)", words)
        return guarded(sql) if may_need_guard(words) else sql

    return column


def sql_local_minute(export, source: str) -> SqlColumn:
    """`YYYY-MM-DD HH:MM` in the forum's zone, as `csv_text` writes a local time (the seconds
    cut off, not rounded)."""
    return SqlColumn(
        source,
        "to_char(({value}) AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')",
        (export.edition.time_zone,),
    )


def sql_labels_joined(
    rows: QuerySet, code: str, labels: dict[str, str], order: dict[str, int]
) -> SqlColumn:
    """The labels of the `code`s of `rows` (a subquery over one registration's rows) in `order`,
    joined by "; " — what a converter makes of the codes the Python writer reads."""
    label = SqlColumn(code, "(%s::jsonb ->> ({value})::text)", (json.dumps(labels),))
    place = SqlColumn(code, "((%s::jsonb ->> ({value})::text)::int)", (json.dumps(order),))
    joined = SqlColumn(
        Subquery(
            rows.order_by()
            .values("registration")
            .annotate(labels=StringAgg(label, Value("; "), order_by=place))
            .values("labels")
        ),
        "{value}",
    )
    return guarded(joined, once=True) if may_need_guard(labels.values()) else joined


# Writing -----------------------------------------------------------------------------------
def copy_available(columns: list[Any]) -> bool:
    return (
        connection.vendor == "postgresql"
        and len(columns) > 1
        and all(column is not None for column in columns)
    )


def copy_csv_chunks(
    queryset: QuerySet, columns: list[SqlColumn], header: bytes, counted: Callable[[int], None]
) -> Iterator[bytes]:
    """`header` (BOM and header row, written by Python), then COPY's rows in blocks."""
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    yield header
    with connection.cursor() as cursor:
        raw = cursor.cursor
        statement = raw.mogrify(sql, params)
        rows: list[bytes] = []
        with raw.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
            for data in copy:
                # One row a message; its last byte is the row's line feed (one inside a quoted
                # field stays as Python's writer leaves it).
                rows.append(bytes(data[:-1]) + b"\r\n")
                if len(rows) >= ROWS_PER_WRITE:
                    counted(len(rows))
                    yield b"".join(rows)
                    rows = []
        counted(len(rows))
        yield b"".join(rows)
