"""Findings are capped per rule and bundle; every report format says how many more there were."""
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from engine.check import check_bundle, check_submission
from engine.read.bundle import read_bundle
from engine.rules import load_rules
from tests.bundles import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
RULES = load_rules()
EXTRA = 600  # double bookings of one staff member at one time


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    bundle = tmp_path_factory.mktemp("caps") / "many"
    shutil.copytree(FIX / "compliant", bundle)
    with (bundle / "services.csv").open("a", encoding="utf-8") as f:
        for n in range(EXTRA):
            f.write(f"X-{n:05d},2022-03-01,08:00,60,AB,BP,A01,TN-001,presence\n")
    return bundle


def test_findings_beyond_the_limit_are_counted_not_listed(many):
    full = check_bundle(many, RULES, max_findings=None)
    capped = check_bundle(many, RULES, max_findings=50)
    listed = [f for f in capped.findings if f.rule == "ASA-DOUBLE-BOOKING"]
    total = sum(f.rule == "ASA-DOUBLE-BOOKING" for f in full.findings)
    assert total >= EXTRA and len(listed) == 50
    assert capped.omitted == {"ASA-DOUBLE-BOOKING": {"error": total - 50}}
    assert capped.summary() == full.summary()
    # the listed ones are the first in report order, the same on every run
    assert listed == [f for f in full.findings if f.rule == "ASA-DOUBLE-BOOKING"][:50]


def test_default_limit_bounds_a_hostile_bundle(many):
    result = check_bundle(many, RULES)
    assert result.limit == 1000 and not result.omitted
    big = check_submission(read_bundle(many), RULES, max_findings=10)
    assert len(big.findings) <= 10 * len({f.rule for f in big.findings})


def test_omitted_unbillable_services_still_leave_the_ledger():
    """Capping the list must not make a flagged service billable again."""
    full = check_bundle(FIX / "violating", RULES, max_findings=None)
    capped = check_bundle(FIX / "violating", RULES, max_findings=1)
    assert capped.omitted
    assert [(y.year, y.dropped_hours, y.billable_hours) for y in capped.ledger.years] == \
           [(y.year, y.dropped_hours, y.billable_hours) for y in full.ledger.years]
    assert capped.summary() == full.summary() == {"error": 31, "warning": 4, "info": 2}


def test_every_format_says_how_many_more(many):
    text = run("check", many, "--max-findings", "5", "--lang", "en")
    assert text.exit_code == 1
    assert "ASA-DOUBLE-BOOKING" in text.output and "… and " in text.output
    assert "more (at most 5 listed per rule and submission)" in text.output

    doc = json.loads(run("check", many, "--max-findings", "5", "--format", "json").output)["submissions"][0]
    omitted = doc["omitted"]["by_rule"]["ASA-DOUBLE-BOOKING"]["error"]
    assert omitted >= EXTRA - 5 and doc["omitted"]["max_findings_per_rule"] == 5
    assert doc["summary"]["error"] == len(doc["findings"]) + omitted

    junit = ET.fromstring(run("check", many, "--max-findings", "5", "--format", "junit").output)
    [case] = [c for c in junit.iter("testcase") if c.get("name") == "ASA-DOUBLE-BOOKING"]
    failure = case.find("failure")
    assert failure.get("message") == f"{omitted + 5} Befund(e)" and "… und" in failure.text

    sarif = json.loads(run("check", many, "--max-findings", "5", "--format", "sarif").output)
    [note] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["associatedRule"]["id"] == "ASA-DOUBLE-BOOKING" and str(omitted) in note["message"]["text"]

    html = run("check", many, "--max-findings", "5", "--format", "html").output
    assert f"… und {omitted} weitere" in html
