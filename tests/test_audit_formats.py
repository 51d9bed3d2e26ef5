"""Money at stake, baseline state and waivers in the pipeline formats (SARIF, JUnit) agree with the JSON report."""
import json
import xml.etree.ElementTree as ET
from pathlib import Path


from tests.bundles import run_cli as run, one_report as _one

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def test_sarif_and_junit_carry_the_same_totals_as_json(tmp_path):
    doc = _one(json.loads(run("check", FIX / "violating", "--format", "json").output))
    (tmp_path / "base.json").write_text(json.dumps(doc), encoding="utf-8")
    group = next(f for f in doc["findings"] if f["rule"] == "ASA-GROUP-SIZE")
    waivers = tmp_path / "w.yaml"
    waivers.write_text(f"waivers:\n  - finding: {group['id']}\n    reason: genehmigt\n    approved_by: P\n"
                       f"    reference: Az. 1\n    expires: 2999-01-01\n", encoding="utf-8")
    sarif = json.loads(run("check", FIX / "violating", "--format", "sarif", "--baseline", tmp_path / "base.json",
                           "--waivers", waivers).output)
    run_ = sarif["runs"][0]
    assert run_["properties"]["atStake"][0]["amount"] == doc["at_stake"]["amount"]
    assert run_["properties"]["atStake"][0]["by_rule"] == doc["at_stake"]["by_rule"]
    results = run_["results"]
    waived = [r for r in results if r.get("suppressions")]
    assert [r["partialFingerprints"]["asaCheckFinding/v1"] for r in waived] == [group["id"]]
    assert waived[0]["suppressions"][0]["status"] == "accepted"
    assert {r.get("baselineState") for r in results} == {"unchanged"}
    money = next(r for r in results if r["partialFingerprints"]["asaCheckFinding/v1"] == group["id"])
    assert money["properties"]["amount"] == "93.75" and money["properties"]["hours"] == "1.50"
    junit = ET.fromstring(run("check", FIX / "violating", "--format", "junit").output)
    props = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert props["unbillable amount EUR"] == doc["at_stake"]["amount"]
    assert props["unbillable ASA-GROUP-SIZE"] == "1.50 h, EUR 93.75"
