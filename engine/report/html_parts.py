"""Small HTML building blocks: escaping and tables with a header row that repeats on every printed page."""
from __future__ import annotations

import re
from html import escape as _html_escape

from engine.report.safe import printable


def escape(text) -> str:
    """HTML text: control characters and undecodable bytes shown as escapes (printable), then HTML-escaped."""
    return _html_escape(printable(str(text)))


# a run of text without a space longer than LONG (a file name, a record id from the bundle) gets a break
# opportunity every CHUNK characters: one such value would otherwise widen its table past the page (print
# shrinks the whole report then); rule ids stay whole (code.rule is nowrap)
LONG, CHUNK = 30, 20


def breakable(text) -> str:
    """``escape``, with ``<wbr>`` inside very long words so a table keeps to the page's width."""
    out = []
    for token in re.split(r"(\s+)", printable(str(text))):
        if len(token) > LONG:
            out.append("<wbr>".join(_html_escape(token[i:i + CHUNK]) for i in range(0, len(token), CHUNK)))
        else:
            out.append(_html_escape(token))
    return "".join(out)


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
