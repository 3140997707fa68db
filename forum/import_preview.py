"""What the import preview shows of each row, and the file of the rows that can't be imported.

The preview lists every row of the file with its values as read and, in the cell of the column at
fault, what is wrong ("Unknown country “Atlantis”."), so staff see the problem where it is. The
rows with errors can be downloaded — the same columns plus one naming the errors — fixed in a
spreadsheet and imported again, while the good rows are imported at once.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

# A spreadsheet runs a CSV cell starting with one of these as a formula (the exports' guard).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class PreviewCell:
    value: str
    errors: list[str] = field(default_factory=list)


@dataclass
class PreviewRow:
    number: int  # the row's number in the file, the header not counted
    kind: str  # new, update, skip, invalid (a value is wrong) or error (it could not be read)
    cells: list[PreviewCell]
    errors: list[str] = field(default_factory=list)  # errors that belong to no one column

    @property
    def is_bad(self) -> bool:
        return self.kind in ("invalid", "error")

    def all_errors(self, headers: list[str]) -> str:
        named = [
            f"{header}: {error}"
            for header, cell in zip(headers, self.cells, strict=True)
            for error in cell.errors
        ]
        return "; ".join([*named, *self.errors])


def _text(value) -> str:
    return "" if value is None else str(value)


def preview_rows(resource, result) -> tuple[list[str], list[PreviewRow]]:
    """(column headers, every row in file order) from a dry run with `store_row_values`."""
    columns = [f for f in resource.get_user_visible_fields() if f.column_name != "edition"]
    attributes = {f.attribute for f in columns}
    rows = []
    for number, row_result in enumerate(result.rows, 1):
        values = row_result.row_values or {}
        problems: dict[str, list[str]] = {}
        if row_result.validation_error is not None:
            error = row_result.validation_error
            problems = (
                dict(error.message_dict)
                if hasattr(error, "error_dict")
                else {NON_FIELD_ERRORS: error.messages}
            )
        other = [m for key, found in problems.items() if key not in attributes for m in found]
        other += [str(error.error) for error in row_result.errors]
        cells = [
            PreviewCell(_text(values.get(f.column_name)), list(problems.get(f.attribute, [])))
            for f in columns
        ]
        rows.append(PreviewRow(number, row_result.import_type, cells, other))
    return [f.column_name for f in columns], rows


def bad_rows_csv(headers: list[str], rows: list[PreviewRow]) -> bytes:
    """The rows with errors, an "Errors" column last; formula triggers get an apostrophe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheets read Korean names as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([*headers, _("Errors")])
    for row in rows:
        values = [cell.value for cell in row.cells] + [row.all_errors(headers)]
        writer.writerow(["'" + v if v.startswith(FORMULA_TRIGGERS) else v for v in values])
    return buffer.getvalue().encode()


def bad_rows_xlsx(headers: list[str], rows: list[PreviewRow]) -> bytes:
    """The same as XLSX: every cell a string cell, so nothing typed runs as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rows with errors")[:31]
    sheet.append([*headers, _("Errors")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, 2):
        values = [cell.value for cell in row.cells] + [row.all_errors(headers)]
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def bad_rows_file(headers: list[str], rows: list[PreviewRow], *, stem: str, wanted: str):
    """The download of the rows with errors, as `wanted` ("csv" or "xlsx")."""
    from django.http import HttpResponse
    from django.utils.text import slugify

    if wanted == "csv":
        response = HttpResponse(bad_rows_csv(headers, rows), content_type="text/csv")
    else:
        response = HttpResponse(
            bad_rows_xlsx(headers, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    filename = f"{slugify(stem) or 'import'}-rows-with-errors.{wanted}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Importing deletes the uploaded file; the rows it left out stay in the staff member's session,
# one set per list, so they can still be downloaded from the page the import leads to (or from
# the preview, if staff go back to it) until the next import into that list.
KEPT_KEY = "import-bad-rows:{}"


def keep_bad_rows(session, label: str, *, file_name: str, stem: str, headers, rows) -> None:
    session[KEPT_KEY.format(label)] = {
        "file_name": file_name,
        "stem": stem,
        "headers": list(headers),
        "rows": [
            {
                "number": row.number,
                "kind": row.kind,
                "cells": [[cell.value, list(cell.errors)] for cell in row.cells],
                "errors": list(row.errors),
            }
            for row in rows
        ],
    }


def forget_bad_rows(session, label: str) -> None:
    session.pop(KEPT_KEY.format(label), None)


def kept_bad_rows(session, label: str, *, file_name: str = ""):
    """(headers, rows, stem) kept from the last import into `label`'s list — of the file
    `file_name` when one is given — or None."""
    kept = session.get(KEPT_KEY.format(label))
    if not kept or (file_name and kept["file_name"] != file_name):
        return None
    rows = [
        PreviewRow(
            row["number"],
            row["kind"],
            [PreviewCell(value, errors) for value, errors in row["cells"]],
            row["errors"],
        )
        for row in kept["rows"]
    ]
    return kept["headers"], rows, kept["stem"]
