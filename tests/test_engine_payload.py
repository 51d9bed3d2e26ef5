"""The adapter's own JSON encoding of facts is byte for byte what durable_rules' json.dumps would give."""
import json
from pathlib import Path

from engine import durable_adapter as da
from engine.compile import engine_columns, fact_to_engine
from engine.facts import record_facts
from engine.parameters import resolve
from engine.read.bundle import read_bundle
from engine.rules import load_rules

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def _as_durable_rules_writes(facts: list[dict], sid: str = "s7") -> list[str]:
    return [json.dumps(dict(f, sid=sid), ensure_ascii=False) for f in facts]


def _ours(texts: list, sid: str = "s7") -> list[str]:
    tail = ', "sid": ' + json.dumps(sid) + "}"
    return [t + tail if isinstance(t, str) else json.dumps(dict(t, sid=sid), ensure_ascii=False)
            for t in texts if t is not None]


def test_unusual_dicts_encode_as_json_dumps():
    facts = [
        {"type": "t", "id": "a", "x": 1, "y": 1.5, "z": True, "w": "Grüße \"quoted\" \\ \n\t\x1f"},
        {"type": "t", "id": "b", "x": -7, "y": 0.0001, "z": False, "w": ""},
        {"type": "t", "id": "c", "x": True, "y": 3, "z": 0, "w": "\u2028 %s %d"},  # mixed types in a column
        {"type": "u", "id": "d", "100%": "%(x)s", "sid": "theirs"},  # a key with %, a sid of its own
        {"id": "e"},
        {},
    ]
    texts, refused = da._encode(da.Batch.of_dicts(facts))
    assert refused == []
    assert _ours(texts) == _as_durable_rules_writes(facts)


def test_refused_facts_are_left_out_in_order():
    facts = [{"type": "t", "id": "a", "x": 1}, {"type": "t", "id": "b", "x": 10 ** 19},
             {"type": "t", "id": "c", "x": float("nan")}, {"type": "t", "id": "d", "x": 2}]
    texts, refused = da._encode(da.Batch.of_dicts(facts))
    assert [r[:3] for r in refused] == [("b", "x", "magnitude"), ("c", "x", "not_finite")]
    assert _ours(texts) == _as_durable_rules_writes([facts[0], facts[3]])


def test_fixture_facts_encode_as_json_dumps():
    rules = load_rules()
    sub = read_bundle(FIX / "violating")
    facts = record_facts(sub, resolve(rules, sub.contract))
    ids = [f"{f.fact_type}:{n}" for n, f in enumerate(facts)]
    dicts = [fact_to_engine(f, i) for f, i in zip(facts, ids)]
    groups, of_class = [], {}
    for n, f in enumerate(facts):
        of_class.setdefault(type(f), []).append(n)
    for cls, positions in of_class.items():
        fields, columns = engine_columns(cls, [facts[n] for n in positions], [ids[n] for n in positions])
        groups.append((fields, positions, columns))
    texts, refused = da._encode(da.Batch(len(facts), groups))
    assert refused == []
    assert _ours(texts) == _as_durable_rules_writes(dicts)
