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

A value aggregated from other rows (a registration's sessions, its consents) is a `Joined`: the
statement aggregates those rows once, for all the exported rows, and joins the result (a hash
join), instead of a subquery run once per row — for 100,000 registrations that halved the
statement's time, below that of the plain values the Python writer reads.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Expression, F, QuerySet, TextField, Value
from django.db.models.aggregates import StringAgg

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
    """The labels of the `code`s of `rows` (each registration's rows) in `order`, joined by
    "; " — what a converter makes of the codes the Python writer reads."""
    label = SqlColumn(code, "(%s::jsonb ->> ({value})::text)", (json.dumps(labels),))
    place = SqlColumn(code, "((%s::jsonb ->> ({value})::text)::int)", (json.dumps(order),))
    joined = SqlColumn(Joined(rows, StringAgg(label, Value("; "), order_by=place)), "{value}")
    return guarded(joined, once=True) if may_need_guard(labels.values()) else joined


# Writing -----------------------------------------------------------------------------------
def copy_available(columns: list[Any]) -> bool:
    return (
        connection.vendor == "postgresql"
        and len(columns) > 1
        and all(column is not None for column in columns)
    )


def copy_statement(queryset: QuerySet, columns: list[SqlColumn]) -> tuple[str, list]:
    """The SELECT whose rows COPY writes: the queryset's own columns in a derived table `r`,
    each `Joined` value aggregated once in a derived table `jN` joined to it by primary key, in
    the queryset's order."""
    query = queryset.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))
    if not any(column.joined for column in columns):
        return queryset.values_list(*columns).query.sql_with_params()
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
