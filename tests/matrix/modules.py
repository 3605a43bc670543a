"""The modules' index pages, until each module gives its own file of rows (each has now)."""

from ..access_matrix import Row

ROWS: dict[str, Row] = {}
