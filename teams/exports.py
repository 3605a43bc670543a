"""Cells of the portal's CSV exports, safe to open in a spreadsheet."""

from __future__ import annotations

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value) -> str:
    """A cell a spreadsheet shows as text, never runs: text that starts like a formula gets
    a leading apostrophe. Numbers are written as numbers."""
    text = "" if value is None else str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
