"""The modules' index pages, until each module gives its own file of rows."""

from ..access_matrix import Row, page, signed_in

ROWS: dict[str, Row] = {
    "datasystem:index": page(signed_in()),
}
