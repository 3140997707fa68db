"""New rows of several tables written together: one statement on PostgreSQL, else one a table.

A busy write (a sign-up: the registration, its consents, the audit entry, the email and its task)
would otherwise pay the ORM's statement building and a round trip per row. `RowBatch` takes
unsaved model instances, table by table in the order they depend on each other; a column may
hold the primary key of a row added before (`PkOf`), also inside a JSON value. On PostgreSQL the
whole batch is one statement of data-modifying CTEs (the later rows read the earlier ones' keys
from the CTEs); on other databases each table's rows are one INSERT, in order, with the keys
filled in between. Either way the instances end up saved: primary keys set, `_state` as after
`save()`.

On PostgreSQL each table's rows travel as one JSON parameter that the statement turns into rows
of the table's own type (`jsonb_populate_recordset`): a handful of parameters instead of one per
column and row, so the driver neither parses nor formats ~80 of them, and the statement's text
is the same for every batch of the same shape, which lets it be prepared once per connection
(`common.db.prepared_cursor`). A value JSON can't carry exactly (bytes, durations, expressions)
sends the batch with one parameter a value instead.

Each row gets the `pre_save` and `post_save` signals that `save()` would send (unlike
`bulk_create`), before and after the batch. Values are prepared as Django prepares them for an
INSERT (`pre_save`, so `auto_now_add` works, and `get_db_prep_save`); every value is a parameter.
"""

import copy
import datetime as dt
import decimal
import functools
import json
import uuid
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save, pre_save

from common.db import prepared_cursor


@dataclass(frozen=True)
class PkOf:
    """The primary key of a row added to the batch before; `path` places it inside a JSON
    value (keys and list indexes)."""

    row: models.Model
    path: tuple = ()


def _set_in(value, path: tuple, key):
    value = copy.deepcopy(value)
    target = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = key
    return value


class RowBatch:
    def __init__(self) -> None:
        self._groups: list[tuple[type[models.Model], list[models.Model], dict[str, PkOf]]] = []
        self._index: dict[int, int] = {}

    def add(self, rows: list[models.Model], refs: dict[str, PkOf] | None = None) -> None:
        """Rows of one model; `refs` maps a column (attname) to the key of an earlier row."""
        if not rows:
            return
        model = type(rows[0])
        refs = refs or {}
        for ref in refs.values():
            if id(ref.row) not in self._index:
                raise RuntimeError("PkOf must name a row added to the batch before")
        for row in rows:
            self._index[id(row)] = len(self._groups)
        self._groups.append((model, rows, refs))

    def save(self) -> None:
        if not self._groups:
            return
        for model, rows, _refs in self._groups:
            for row in rows:
                pre_save.send(
                    sender=model,
                    instance=row,
                    raw=False,
                    using=connection.alias,
                    update_fields=None,
                )
        self._insert()
        for model, rows, _refs in self._groups:
            for row in rows:
                post_save.send(
                    sender=model,
                    instance=row,
                    created=True,
                    update_fields=None,
                    raw=False,
                    using=connection.alias,
                )

    def _insert(self) -> None:
        if connection.vendor == "postgresql":
            self._save_in_one_statement()
        else:
            for model, rows, refs in self._groups:
                for attname, ref in refs.items():
                    for row in rows:
                        _fill(row, attname, ref)
                sql, params = _insert_sql(model, rows, {})
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    keys = [key for (key,) in cursor.fetchall()]
                _saved(rows, keys)

    def _key_sql(self, ref: PkOf) -> str:
        """The key of an earlier row of the batch, read from its CTE."""
        earlier = f"r{self._index[id(ref.row)]}"
        return f"(SELECT {connection.ops.quote_name(ref.row._meta.pk.column)} FROM {earlier})"  # noqa: S608

    def _save_in_one_statement(self) -> None:
        try:
            statement, params = self._recordset_statement()
            cursor_of = prepared_cursor
        except _NotJson:
            statement, params = self._values_statement()
            cursor_of = connection.cursor
        with cursor_of() as cursor:
            cursor.execute(statement, params)
            returned = cursor.fetchall()
        for n, (model, rows, refs) in enumerate(self._groups):
            to_python = model._meta.pk.to_python
            _saved(rows, [to_python(key) for group, key in returned if group == n])
            for attname, ref in refs.items():
                for row in rows:
                    _fill(row, attname, ref)

    def _recordset_statement(self) -> tuple[str, list]:
        """The batch with each table's rows as one JSON parameter."""
        db = connections[DEFAULT_DB_ALIAS]  # `connection` looks itself up on every use
        shape, params = [], []
        for model, rows, refs in self._groups:
            fields = _columns(model)
            records = [
                {field.column: _prepared(row, field, plain, db) for field, plain in fields}
                for row in rows
            ]
            try:
                params.append(json.dumps(records, default=_as_json, allow_nan=False))
            except ValueError as error:  # NaN or infinity: not JSON
                raise _NotJson from error
            keys = ((name, self._index[id(ref.row)], ref.path) for name, ref in refs.items())
            shape.append((model, tuple(sorted(keys))))
        return _recordset_sql(tuple(shape)), params

    def _values_statement(self) -> tuple[str, list]:
        """The batch with one parameter a value."""
        ctes, params = [], []
        for n, (model, rows, refs) in enumerate(self._groups):
            columns = {}
            for attname, ref in refs.items():
                key = self._key_sql(ref)
                if ref.path:  # the code's own keys and indexes, never input
                    path = "{" + ",".join(str(step) for step in ref.path) + "}"
                    key = f"jsonb_set(%s, '{path}', to_jsonb({key}))"
                columns[attname] = key
            sql, values = _insert_sql(model, rows, columns)
            ctes.append(f"r{n} AS ({sql})")
            params += values
        return f"WITH {', '.join(ctes)} {self._returned_keys()}", params

    def _returned_keys(self) -> str:
        # As text: the keys of different tables may be of different types.
        q = connection.ops.quote_name
        return " UNION ALL ".join(
            f"SELECT {n}, {q(model._meta.pk.column)}::text FROM r{n}"  # noqa: S608
            for n, (model, _rows, _refs) in enumerate(self._groups)
        )


class _NotJson(Exception):
    """A value JSON can't carry exactly."""


@functools.lru_cache(maxsize=64)
def _recordset_sql(shape: tuple) -> str:
    """The statement of a batch of this shape — its tables in order, each with the columns that
    take the key of an earlier table's row (group, and path inside a JSON value): the same text
    for any number of rows, so it is prepared once per connection. `jsonb_populate_recordset`
    makes each table's JSON parameter rows of the table's own type, each value read by its
    column's type; a key taken from an earlier row replaces the JSON's value."""
    q = connection.ops.quote_name
    ctes, selects = [], []
    for n, (model, keys) in enumerate(shape):
        refs = {name: (group, path) for name, group, path in keys}
        table, pk, picks = q(model._meta.db_table), q(model._meta.pk.column), []
        for field, _plain in _columns(model):
            column = f"x.{q(field.column)}"
            if field.attname not in refs:
                picks.append(column)
                continue
            group, path = refs[field.attname]
            earlier = shape[group][0]._meta.pk.column
            key = f"(SELECT {q(earlier)} FROM r{group})"  # noqa: S608
            if path:  # the code's own keys and indexes, never input
                steps = "{" + ",".join(str(step) for step in path) + "}"
                key = f"jsonb_set({column}, '{steps}', to_jsonb({key}))"
            picks.append(key)
        names = ", ".join(q(field.column) for field, _plain in _columns(model))
        ctes.append(
            f"r{n} AS (INSERT INTO {table} ({names}) SELECT {', '.join(picks)}"  # noqa: S608
            f" FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) x RETURNING {pk})"
        )
        # As text: the keys of different tables may be of different types.
        selects.append(f"SELECT {n}, {pk}::text FROM r{n}")  # noqa: S608
    return f"WITH {', '.join(ctes)} {' UNION ALL '.join(selects)}"


def _prepared(row: models.Model, field: models.Field, plain_text: bool, db):
    """The value Django would send for this column in an INSERT."""
    value = getattr(row, field.attname)
    if plain_text and type(value) is str:
        return value  # what the text field's preparation gives
    if hasattr(value, "resolve_expression"):
        raise _NotJson
    return field.get_db_prep_save(field.pre_save(row, True), db)


def _as_json(value):
    """A prepared value that the column's type reads back exactly from its JSON form."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    # psycopg's, imported here: only a batch on PostgreSQL comes this way, and a process on
    # SQLite (or a command that writes no batch) starts without psycopg.
    from psycopg.types.json import Json, Jsonb  # noqa: PLC0415

    if isinstance(value, Json | Jsonb):  # a JSON field's value, with the field's encoder
        dumps = value.dumps or json.dumps
        return json.loads(dumps(value.obj))
    raise _NotJson


def _fill(row: models.Model, attname: str, ref: PkOf) -> None:
    key = ref.row.pk
    setattr(row, attname, _set_in(getattr(row, attname), ref.path, key) if ref.path else key)


def _saved(rows: list[models.Model], keys: list) -> None:
    if len(keys) != len(rows):
        raise RuntimeError("The INSERT returned a key per row it wrote, or it should have")
    for row, key in zip(rows, keys, strict=True):
        row.pk = key
        row._state.adding, row._state.db = False, connection.alias


def insert_returning(rows: list[models.Model], returning: list[str]) -> list[tuple]:
    """One INSERT of these rows of one model (no signals, like `QuerySet._insert`), returning
    these columns of each row, in order. A value may be a `RawSQL` expression."""
    sql, params = _insert_sql(type(rows[0]), rows, {}, returning)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _insert_sql(model, rows, columns: dict[str, str], returning=None) -> tuple[str, list]:
    """`INSERT INTO table (…) VALUES (…), … RETURNING pk`; a column in `columns` is that SQL
    (its `%s`, if any, is the row's own prepared value)."""
    q = connection.ops.quote_name
    meta = model._meta
    fields = _columns(model)
    params, tuples = [], []
    for row in rows:
        placeholders = []
        for field, plain_text in fields:
            sql = columns.get(field.attname)
            value = getattr(row, field.attname)
            if isinstance(value, RawSQL):
                placeholders.append(f"({value.sql})")
                params += value.params
                continue
            if sql is None or "%s" in sql:
                if plain_text and type(value) is str:
                    params.append(value)  # what the text field's preparation gives
                else:
                    params.append(field.get_db_prep_save(field.pre_save(row, True), connection))
            placeholders.append(sql or "%s")
        tuples.append(f"({', '.join(placeholders)})")
    names = ", ".join(q(field.column) for field, _plain in fields)
    returned = ", ".join(q(meta.get_field(name).column) for name in returning or [meta.pk.name])
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({names}) VALUES {', '.join(tuples)}"  # noqa: S608
        f" RETURNING {returned}"
    )
    return sql, params


@functools.cache
def _columns(model) -> list[tuple[models.Field, bool]]:
    """The columns an INSERT writes, each with whether it is a text field that stores a `str` as
    it is (no `pre_save` or preparation of its own: Django's own CharField and TextField)."""
    plain = {
        (models.Field.pre_save, models.Field.get_db_prep_save, kind.get_prep_value)
        for kind in (models.CharField, models.TextField)
    }
    return [
        (
            field,
            isinstance(field, models.CharField | models.TextField)
            and (
                type(field).pre_save,
                type(field).get_db_prep_save,
                type(field).get_prep_value,
            )
            in plain
            and type(field).get_db_prep_value is models.Field.get_db_prep_value,
        )
        for field in model._meta.concrete_fields
        if not _database_default_key(field)
    ]


def _database_default_key(field) -> bool:
    """An auto-incrementing primary key: the database gives it."""
    return field.primary_key and isinstance(field, models.AutoField)
