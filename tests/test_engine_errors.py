"""Fail closed: a rule the engine cannot compile or evaluate is reported, never a silent pass."""
import shutil
from pathlib import Path

from engine import durable_adapter, evaluate
from engine.evaluate import Evaluator
from engine.rules import load_rules
from schemas.facts import ServiceFact

RULES = Path(__file__).resolve().parent.parent / "rules"


def _group_rule():
    return next(lr.rule for lr in load_rules().rules if lr.rule.id == "ASA-GROUP-SIZE")


def test_refused_rule_becomes_engine_finding(monkeypatch):
    good = _group_rule()
    bad = good.model_copy(update={"id": "ASA-BROKEN"})
    real = evaluate.compile_rule

    def compile_rule(rule, overrides=None):
        if rule.id == "ASA-BROKEN":
            return {"$and": [{"type": "service"}, {"$nosuchop": {"minutes": 1}}]}
        return real(rule, overrides)

    monkeypatch.setattr(evaluate, "compile_rule", compile_rule)
    ev = Evaluator([good, bad])
    assert [f.rule for f in ev.errors] == ["ASA-ENGINE"]
    assert ev.errors[0].entity.id == "ASA-BROKEN"
    assert "NOT checked" in ev.errors[0].message["en"]
    # the good rule is still evaluated
    hits = ev.findings([ServiceFact(service_id="S9", element="SP", participant_count=9)])
    assert [f.rule for f in hits] == ["ASA-GROUP-SIZE"]


def test_evaluation_failure_becomes_engine_finding(monkeypatch):
    ev = Evaluator([_group_rule()])

    def boom(name, facts):
        raise durable_adapter.EngineError("simulated failure")

    monkeypatch.setattr(durable_adapter, "evaluate", boom)
    assert ev.findings([ServiceFact(participant_count=9, element="SP")]) == []
    assert [f.rule for f in ev.errors] == ["ASA-ENGINE"]
    assert "incomplete" in ev.errors[0].message["en"]


def test_broken_rule_file_is_reported_by_check(tmp_path):
    from engine.check import check_submission
    from schemas.submission import Submission

    d = tmp_path / "rules"
    shutil.copytree(RULES, d)
    (d / "ASA-GROUP-SIZE.yaml").write_text("id: ASA-GROUP-SIZE\nseverity: [\n", encoding="utf-8")
    result = check_submission(Submission(name="empty"), load_rules(d))
    engine = [f for f in result.findings if f.rule == "ASA-ENGINE"]
    assert engine and "ASA-GROUP-SIZE.yaml" in engine[0].message["en"]


def test_large_partition_is_chunked():
    """More facts than one session holds: still every violation, sessions freed."""
    rule = _group_rule()
    facts = [ServiceFact(service_id=f"S{n}", element="SP", participant_count=9 if n % 10 == 0 else 3)
             for n in range(durable_adapter.CHUNK_SIZE * 2 + 7)]
    ev = Evaluator([rule])
    flagged = [f.entity.id for f in ev.findings(facts)]
    assert len(flagged) == len([f for f in facts if f.participant_count == 9])
    assert not ev.errors


def test_unknown_field_is_an_engine_error_not_a_silent_pass(tmp_path):
    """durable_rules never matches a missing field; the compiler refuses instead."""
    from engine.check import check_bundle

    d = tmp_path / "rules"
    shutil.copytree(RULES, d)
    path = d / "ASA-GROUP-SIZE.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("field: participant_count", "field: participant_cnt"),
                    encoding="utf-8")
    bundle = RULES.parent / "fixtures" / "violating"
    result = check_bundle(bundle, load_rules(d))
    engine = [f for f in result.findings if f.rule == "ASA-ENGINE"]
    assert [f.entity.id for f in engine] == ["ASA-GROUP-SIZE"]
    assert "participant_cnt" in engine[0].message["en"]
    assert not any(f.rule == "ASA-GROUP-SIZE" for f in result.findings)


def test_rules_without_ledger_yaml_check_nothing_and_say_so(tmp_path):
    """The ledger's parameters are part of the rules: without them nothing is derived (fail closed)."""
    from click.testing import CliRunner

    from cli import main
    from engine.check import check_bundle

    d = tmp_path / "rules"
    shutil.copytree(RULES, d)
    (d / "ledger.yaml").unlink()
    bundle = Path(__file__).resolve().parent.parent / "fixtures" / "violating"
    result = check_bundle(bundle, load_rules(d))
    assert [(f.rule, f.severity) for f in result.findings] == [("ASA-ENGINE", "error")]
    assert "ledger.yaml" in result.findings[0].message["en"] and "NOTHING was checked" in result.findings[0].message["en"]
    r = CliRunner().invoke(main, ["ledger", str(bundle), "--rules", str(d)])
    assert r.exit_code == 2 and "ledger.yaml" in r.output
