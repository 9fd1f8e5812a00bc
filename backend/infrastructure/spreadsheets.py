"""Writing XLSX rows (openpyxl) so that text people typed stays text in the reader's spreadsheet.

Every export writes its rows through `append_row`. A name such as `=HYPERLINK("http://…")`
would otherwise open as a live formula in Excel (openpyxl stores a string that starts with `=`
as a formula, and one that reads like `#N/A` as an error value). Here every string is stored as a
string cell (openpyxl's data type `s`: the file holds the text, never a formula), and one that a
spreadsheet would read as the start of a formula when the cell is edited (`=`, `+`, `-`, `@`, a
tab or a line break first) also carries the cell format's quote prefix (`quotePrefix`, Excel's
own "this is text" mark, the apostrophe a person types; it is not part of the value). Characters
XML 1.0 cannot hold are left out rather than failing the whole export."""
from __future__ import annotations

from typing import Any, Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(sheet: Worksheet, value: Any) -> Cell:
    """A cell of `sheet` holding `value`; a string as text, whatever it begins with."""
    if not isinstance(value, str):
        return Cell(sheet, value=value)
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    written = Cell(sheet, value=text)
    written.data_type = TYPE_STRING
    if text.startswith(FORMULA_LEADS):
        written.quotePrefix = True
    return written


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, each value written by `cell`."""
    sheet.append([cell(sheet, value) for value in values])
