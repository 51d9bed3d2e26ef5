"""The JSON report written piece by piece (one per submission) is byte for byte the whole-document dump."""
import json
from pathlib import Path

import pytest

import engine.report.json_pieces as json_pieces_module

from engine.audit.run import prepare
from engine.check import check_bundle, tally
from engine.report.audit_json import run_extra
from engine.report.outputs import Pieces, as_bytes, render
from engine.report.safe import json_safe
from engine.report.text import json_pieces, render_json, to_json_dict
from engine.rules import load_rules

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def whole_dump(results, lang, failed, info) -> str:
    """The report as written before it was written in pieces: one json.dumps of the whole document."""
    from schemas.report import SCHEMA_VERSION

    doc = {
        "schema_version": SCHEMA_VERSION,
        "rules_version": results[0].rules_version if results else "",
        "summary": tally([r.summary() for r in results]),
        "submissions": [to_json_dict(r, lang) for r in results],
        "not_checked": [{"submission": name, "error": why} for name, why in failed],
    }
    doc.update(run_extra(info))
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


@pytest.fixture(scope="module")
def results():
    ruleset = load_rules()
    out = [check_bundle(FIX / name, ruleset) for name in ("violating", "compliant", "cohort-2024")]
    return out, ruleset


# a bundle name that is not UTF-8, one with the placeholder's look, a line break, a quote
FAILED = [("bad-\udcff", "kaputt \u2028 \x1b[31m"), ('a"\n\x00asa-check:submissions\x00', "nicht gefunden")]


@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_pieces_are_the_whole_dump(results, count, lang):
    checked, _ruleset = results
    subset = checked[:count]
    info = prepare(subset)
    expected = whole_dump(subset, lang, FAILED, info).encode("utf-8")
    pieces = json_pieces(subset, lang, FAILED, info)
    assert b"".join(pieces) == expected
    assert len(pieces) == (count + 3 if count else 3)  # head, one per submission, end of list, tail
    assert render_json(subset, lang, FAILED, info) == expected.decode("utf-8")
    json.loads(expected)


def test_render_gives_pieces_for_files_and_stdout(results):
    checked, ruleset = results
    report = render("json", checked, ruleset, "de", [])
    assert isinstance(report, Pieces)
    assert as_bytes(report) == whole_dump(checked, "de", [], None).encode("utf-8")


def whole(doc, marker, groups):
    """The document with the list in place of the marker, dumped at once."""
    items = [item for group in groups for item in group]

    def put(value):
        if value == marker:
            return items
        if isinstance(value, dict):
            return {k: put(v) for k, v in value.items()}
        if isinstance(value, list):
            return [put(v) for v in value]
        return value
    return (json_pieces_module.dump(put(doc)) + "\n").encode("utf-8")


ITEM = {"a": [1, {"b": "x\ny\u2028\udcff"}], "c": {}, "d": [], "e": "ä–€"}


@pytest.mark.parametrize("groups", [[], [[]], [[ITEM]], [[ITEM, {"k": 1}], [], [{"z": [ITEM]}]]])
def test_pieces_at_any_depth(groups):
    marker = json_pieces_module.placeholder()
    for doc, depth in (({"a": 1, "list": marker, "z": [2]}, 2),
                       ({"s": "x", "runs": [{"tool": {"n": [1]}, "results": marker, "p": {}}]}, 4)):
        got = json_pieces_module.pieces(doc, marker, iter(groups), depth)
        assert b"".join(got) == whole(doc, marker, groups)


def test_sarif_pieces_are_the_whole_dump(results, monkeypatch):
    import engine.report.pipeline as pipeline

    checked, ruleset = results
    expected = []
    real = json_pieces_module.pieces

    def recording(doc, marker, groups, depth):
        groups = list(groups)
        expected.append(whole(doc, marker, groups))
        return real(doc, marker, groups, depth)

    monkeypatch.setattr(pipeline, "pieces", recording)
    got = b"".join(pipeline.sarif_pieces(checked, ruleset, "en", FAILED, prepare(checked)))
    assert got == expected[0]
    assert len(json.loads(got)["runs"][0]["results"]) > 10
