"""Small HTML building blocks: escaping and tables with a header row that repeats on every printed page."""
from __future__ import annotations

from html import escape as _html_escape

from engine.report.safe import printable


def escape(text) -> str:
    """HTML text: control characters and undecodable bytes shown as escapes (printable), then HTML-escaped."""
    return _html_escape(printable(str(text)))


def _cell(cell, tag: str = "td") -> str:
    """A cell: HTML text, or (HTML text, css class)."""
    text, cls = cell if isinstance(cell, tuple) else (cell, "")
    return f"<{tag} class='{cls}'>{text}</{tag}>" if cls else f"<{tag}>{text}</{tag}>"


def table(columns: list[tuple[str, str]], rows: list, cls: str = "") -> str:
    """``columns``: (plain header text, css class); ``rows``: lists of cells, or (cells, row class).

    Header texts are escaped here; cell texts must already be HTML.
    """
    head = "".join(_cell((escape(name), c), "th") for name, c in columns)
    body = []
    for row in rows:
        cells, row_cls = (row if isinstance(row, tuple) else (row, ""))
        attr = f" class='{row_cls}'" if row_cls else ""
        body.append(f"<tr{attr}>" + "".join(_cell(c) for c in cells) + "</tr>")
    attr = f" class='{cls}'" if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
