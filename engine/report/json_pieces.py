"""A large JSON report written in pieces: the same bytes as one ``json.dumps`` of the whole document.

``json.dumps(doc, indent=2)`` of a report holds every finding three times at
once: as dicts, as one text, as its bytes (the national set's JSON report took
about 600 MB in the parent that way; docs/performance.md). Here the document is
dumped with a placeholder where its long list stands; the list's items are
built, dumped and encoded one group at a time (a submission's findings), and
indented to their place. JSON text holds no line break inside a string, so
indenting every line of an item's own dump gives exactly the text the whole
dump gives.
"""
from __future__ import annotations

import json
import uuid
from typing import Any, Iterable

from engine.report.safe import json_safe


def dump(value: Any) -> str:
    """The report's JSON text of ``value``: indent 2, UTF-8 text as it is, lone surrogates escaped."""
    return json_safe(json.dumps(value, ensure_ascii=False, indent=2))


def placeholder() -> str:
    """A value to stand for the long list while the rest of the document is dumped."""
    return f"\x00asa-check:list:{uuid.uuid4().hex}\x00"


def pieces(doc: dict, marker: str, groups: Iterable[list], depth: int) -> list[bytes]:
    """``dump(doc) + "\\n"`` as UTF-8 pieces, ``doc`` holding ``marker`` in place of a list.

    ``groups``: the list's items, group by group (each group a list, built when
    reached); ``depth``: how many containers enclose the list's items (a list
    that is the value of a top-level key: 2).
    """
    text = dump(doc) + "\n"
    quoted = json.dumps(marker)
    if text.count(quoted) != 1:  # the marker is random: it never occurs in a report by chance
        raise ValueError("placeholder found in the report's own text")
    head, tail = text.split(quoted)
    indent = "\n" + " " * (2 * depth)
    out = [head.encode("utf-8")]
    first = True
    for group in groups:
        if not group:
            continue
        text = ",".join(indent + dump(item).replace("\n", indent) for item in group)
        out.append((("[" if first else ",") + text).encode("utf-8"))
        first = False
    out.append(b"[]" if first else ("\n" + " " * (2 * depth - 2) + "]").encode("utf-8"))
    out.append(tail.encode("utf-8"))
    return out


