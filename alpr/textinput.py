"""Files and text given to the system, read within limits: JSON no deeper than a request or a
read needs, CSV fields no longer than any column holds. A file past a limit is refused with one
line saying which limit, before anything is stored."""

from __future__ import annotations

import csv
import json
from typing import Any

MAX_JSON_DEPTH = 20
# The longest text field of any imported row (a reason, a note) is far below this.
CSV_FIELD_LIMIT = 64 * 1024

csv.field_size_limit(CSV_FIELD_LIMIT)


class InputRefused(ValueError):
    """Input past a limit; the message names the limit, never the content."""


def utf8_text(data: bytes, *, what: str) -> str:
    """The text of a file given to the system, without the byte-order mark spreadsheets write;
    a file in another encoding (a spreadsheet saved as Windows text) or not text at all is
    refused naming it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputRefused(
            f"{what} is not UTF-8 text: save it as CSV UTF-8 (or JSON) and try again"
        ) from None


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            stack.extend(
                (child, level + 1) for child in (node.values() if isinstance(node, dict) else node)
            )
    return deepest


def load_json(text: str | bytes, *, what: str) -> Any:
    """Parsed JSON, refused if malformed or nested deeper than ``MAX_JSON_DEPTH``."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise InputRefused(f"{what}: JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except UnicodeDecodeError:
        raise InputRefused(f"{what} is not UTF-8 text, so not JSON") from None
    except json.JSONDecodeError as exc:
        raise InputRefused(f"{what} is not JSON ({exc.msg})") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise InputRefused(f"{what}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return value


def csv_rows(text: str, *, what: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows (with their line numbers) of CSV text, refused if a field is
    longer than ``CSV_FIELD_LIMIT`` characters or the text holds NUL characters."""
    if "\x00" in text:
        raise InputRefused(f"{what}: holds NUL characters, not CSV text")
    reader = csv.DictReader(text.splitlines())
    try:
        header = list(reader.fieldnames or [])
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error:
        raise InputRefused(
            f"{what}: line {reader.line_num} has a field longer than {CSV_FIELD_LIMIT} "
            "characters or is not CSV"
        ) from None
    return header, rows
