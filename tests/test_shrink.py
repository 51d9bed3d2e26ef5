"""Findings made smaller for the trip to the parent (engine/shrink.py): same values, nothing shared is written."""
import pickle
from pathlib import Path

from engine.check import check_bundle
from engine.rules import load_rules
from engine.shrink import share_findings

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def test_same_findings_fewer_objects():
    result = check_bundle(FIX / "violating", load_rules())
    before = [f.model_dump() for f in result.findings]
    size = len(pickle.dumps(result))
    share_findings(result)
    assert [f.model_dump() for f in result.findings] == before
    assert len(pickle.dumps(result)) < size
    received = pickle.loads(pickle.dumps(result))
    assert [f.model_dump() for f in received.findings] == before
    # findings given the same fields share one set, also after the trip
    a, b = [f for f in received.findings if f.model_fields_set == received.findings[0].model_fields_set][:2]
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    assert "status" not in a.model_fields_set
    # a copy with a new field (waivers, baseline) writes its own set, never the shared one
    copied = a.model_copy(update={"status": "new"})
    assert "status" in copied.model_fields_set
    assert "status" not in a.model_fields_set and "status" not in b.model_fields_set
