"""The engine boundary: values and conditions durable_rules' C core cannot take never reach it.

Each case that used to crash (SIGSEGV) or hang runs in a child process, so a
regression fails this test instead of killing the test run.
"""
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "compliant"


def _child(code: str, timeout: int = 60) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON document."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, f"child exited {proc.returncode}: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout)


HOSTILE_VALUES = {
    "int_1e19": "10 ** 19",
    "int_huge": "10 ** 5000",
    "float_1e16": "1e16",
    "float_1e19": "1e19",
    "float_neg_1e18": "-1e18",
    "fraction_1e-7": "1e-7",
    "fraction_neg_1e-5": "-1e-5",
    "inf": "float('inf')",
    "nan": "float('nan')",
    "surrogate": "'\\udcff'",
    "long_text": "'x' * 200_000",
    "a_list": "[1, 2]",
}


def test_adapter_refuses_each_value_the_c_core_cannot_represent():
    """Fed directly to the adapter (as if the reader let them through): refused, the rest evaluated."""
    out = _child(f"""
        import json
        from engine import durable_adapter as da
        values = {{{", ".join(f"{k!r}: {v}" for k, v in HOSTILE_VALUES.items())}}}
        da.register("boundary", {{"GT": {{"$and": [{{"type": "t"}}, {{"$gt": {{"x": 5}}}}]}}}})
        facts = [{{"type": "t", "id": "ok-hit", "x": 6}}, {{"type": "t", "id": "ok-miss", "x": 0.5}}]
        facts += [{{"type": "t", "id": k, "x": v}} for k, v in values.items()]
        facts.append({{"type": "t", "id": "wide", "x": 6, **{{f"p{{n}}": n for n in range(300)}}}})
        hits, refused = da.evaluate("boundary", facts)
        print(json.dumps({{"hits": hits, "refused": refused}}))
    """)
    assert out["hits"] == [["GT", "ok-hit"]]
    refused = {fid: (field, kind) for fid, field, kind, _shown in out["refused"]}
    assert set(refused) == set(HOSTILE_VALUES) | {"wide"}
    assert refused["int_1e19"] == ("x", "magnitude")
    assert refused["fraction_1e-7"] == ("x", "fraction")
    assert refused["nan"] == ("x", "not_finite")
    assert refused["surrogate"] == ("x", "bad_text")
    assert refused["wide"][1] == "properties"


@pytest.mark.parametrize("value", [1e-4, 0.0, -0.0, 0.7, 123456.789, 1e15 - 1, -(10 ** 15 - 1)])
def test_values_inside_the_bound_are_accepted(value):
    from engine.durable_adapter import refusal

    assert refusal(value) is None


def test_safe_bound_is_exact_in_the_engine():
    """Inside the bound every value compares exactly with its neighbours."""
    out = _child("""
        import json, math
        from engine import durable_adapter as da
        bad = []
        for n, x in enumerate([1.5e-4, 0.000123456789, 0.1 + 0.2, 99999999999999.9, 1e15 - 2, 4000.5, -2799.99]):
            lo, hi = math.nextafter(x, -math.inf), math.nextafter(x, math.inf)
            name = f"exact{n}"
            da.register(name, {"GT": {"$and": [{"type": "t"}, {"$gt": {"x": lo}}]},
                               "LT": {"$and": [{"type": "t"}, {"$lt": {"x": hi}}]},
                               "EQ": {"$and": [{"type": "t"}, {"x": x}]}})
            hits, refused = da.evaluate(name, [{"type": "t", "id": "a", "x": x}])
            if sorted(r for r, _ in hits) != ["EQ", "GT", "LT"] or refused:
                bad.append([repr(x), hits, refused])
        print(json.dumps(bad))
    """)
    assert out == []


@pytest.mark.parametrize("name, condition", [
    ("tiny threshold", '{"$gt": {"x": 1e-7}}'),
    ("huge threshold", '{"$gt": {"x": 10 ** 19}}'),
    ("nan threshold", '{"$gt": {"x": float("nan")}}'),
    ("512 branches", '{"$or": [{"x": n} for n in range(512)]}'),
    ("2**30 alternatives", '{"$and": [{"$or": [{"x": n}, {"y": n}]} for n in range(30)]}'),
    ("deep", 'functools.reduce(lambda c, _: {"$and": [c]}, range(2000), {"x": 1})'),
])
def test_register_refuses_conditions_the_c_core_cannot_take(name, condition):
    out = _child(f"""
        import functools, json, time
        from engine import durable_adapter as da
        start = time.monotonic()
        try:
            da.register("r", {{"R": {{"$and": [{{"type": "t"}}, {condition}]}}}})
            print(json.dumps({{"error": None}}))
        except da.EngineError as exc:
            print(json.dumps({{"error": str(exc), "seconds": time.monotonic() - start}}))
    """, timeout=30)
    assert out["error"] and "not passed to durable_rules" in out["error"]
    assert out["seconds"] < 1


def test_evaluator_reports_the_record_and_checks_the_others():
    out = _child("""
        import json
        from engine.evaluate import Evaluator
        from engine.rules import load_rules
        from schemas.facts import ServiceFact
        rule = next(lr.rule for lr in load_rules().rules if lr.rule.id == "ASA-GROUP-SIZE")
        ev = Evaluator([rule])
        facts = [ServiceFact(service_id="S1", element="SP", participant_count=10 ** 19, file="services.csv", line=7),
                 ServiceFact(service_id="S2", element="SP", participant_count=9)]
        found = ev.findings(facts)
        print(json.dumps({"found": [[f.rule, f.entity.id] for f in found],
                          "errors": [f.model_dump() for f in ev.errors]}))
    """)
    assert out["found"] == [["ASA-GROUP-SIZE", "S2"]]
    [err] = out["errors"]
    assert err["rule"] == "ASA-ENGINE" and err["severity"] == "error"
    assert err["entity"] == {"type": "service", "id": "S1"}
    assert err["location"] == {"file": "services.csv", "line": 7, "column": "participant_count"}
    assert "NOT checked" in err["message"]["en"] and "ASA-GROUP-SIZE" in err["message"]["en"]
    assert "NICHT geprüft" in err["message"]["de"]
    assert err["drops_service"] is True


@pytest.mark.parametrize("file, old, new", [
    ("invoice.yaml", "billed_hours: 455", "billed_hours: 10000000000000000000"),
    ("contract.yaml", "hours: 4000}", "hours: 0.0000001}"),
    ("contract.yaml", "hours: 4000}", "hours: 10000000000000000}"),
    ("contract.yaml", "hours: 4000}", "hours: 1.0e+16}"),
])
def test_bundle_with_unrepresentable_number_is_checked_not_crashed(tmp_path, file, old, new):
    """Used to end in SIGSEGV (exit 139, nothing printed)."""
    bundle = tmp_path / "b"
    shutil.copytree(FIXTURE, bundle)
    path = bundle / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cli", "check", str(bundle), "--format", "json", "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]
    doc = json.loads(proc.stdout)["submissions"][0]
    flagged = [f for f in doc["findings"] if f["rule"] in ("ASA-ENGINE", "ASA-INPUT") and f["severity"] == "error"]
    assert any(f["location"]["file"] in ("contract.yaml", "invoice.yaml") for f in flagged)


def test_rule_example_with_unrepresentable_value_fails_the_example(tmp_path):
    """rules test: an example fact the engine cannot take is a failed example, not a crash."""
    rules = tmp_path / "rules"
    rules.mkdir()
    name = "ASA-CONTINGENT-EXCEEDED.yaml"
    text = (ROOT / "rules" / name).read_text(encoding="utf-8")
    assert "billable_hours: 4000.25}" in text
    (rules / name).write_text(text.replace("billable_hours: 4000.25}", "billable_hours: 1.0e-9}"),
                              encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cli", "rules", "test", str(rules)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "billable_hours: Wert für die Regel-Engine nicht darstellbar" in proc.stdout  # German by default
    proc = subprocess.run([sys.executable, "-m", "cli", "rules", "test", str(rules), "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "cannot represent" in proc.stdout
