"""The published JSON Schemas: real reports, the sample submissions and every rule file validate against them."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from schemas.published import SCHEMAS
from schemas.report import SCHEMA_VERSION, Report

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = SCHEMAS[name]()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def report(*args) -> dict:
    r = CliRunner().invoke(main, ["check", *map(str, args), "--format", "json"])
    assert r.exit_code in (0, 1, 2), r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("args", [
    [FIX / "violating"],
    [FIX / "compliant", "--lang", "en"],
    [FIX / "violating", FIX / "compliant", FIX / "does-not-exist"],  # many bundles, one not checked
    [FIX / "violating", "--max-findings", "1"],  # omitted findings
    [FIX / "compliant-de", "--parameters", FIX / "audit-parameters.yaml"],  # parameter overrides
    [FIX / "violating", "--rule", "ASA-GROUP-*", "--skip-rule", "ASA-GROUP-SIZE", "--as-of", "2026-01-01"],
])
def test_real_reports_validate_against_the_report_schema(args):
    doc = report(*args)
    errors = sorted(validator("report").iter_errors(doc), key=str)
    assert not errors, errors[0]
    assert doc["schema_version"] == SCHEMA_VERSION
    Report.model_validate(doc)  # the pydantic model agrees


def test_one_bundle_and_many_have_the_same_top_level_shape():
    one, many = report(FIX / "violating"), report(FIX / "violating", FIX / "compliant")
    assert one.keys() == many.keys() == set(Report.model_fields) - {"waivers"}  # waivers: with --waivers
    assert len(one["submissions"]) == 1 and len(many["submissions"]) == 2


def test_a_report_with_a_field_the_schema_does_not_know_fails():
    doc = report(FIX / "violating")
    doc["submissions"][0]["findings"][0]["surprise"] = 1
    assert list(validator("report").iter_errors(doc))


def _rows(bundle: Path, name: str) -> list[dict]:
    import csv

    with open(bundle / name, encoding="utf-8") as fh:
        return [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(fh)]


def test_the_compliant_sample_as_json_validates_against_the_submission_schema():
    bundle = FIX / "compliant"
    contract = yaml.safe_load((bundle / "contract.yaml").read_text())
    doc = {"contract": json.loads(json.dumps(contract, default=str)),
           "invoice": yaml.safe_load((bundle / "invoice.yaml").read_text())}
    for table in ("staff", "participants", "reference_persons", "suspensions", "services"):
        doc[table] = _rows(bundle, f"{table}.csv")
    for row in doc["services"]:  # a list in CSV is "a|b"; in JSON an array; numbers are numbers
        row["participant_ids"] = row["participant_ids"].split("|")
        row["minutes"] = int(row["minutes"])
    for row in doc["staff"]:
        row["qualifications"] = row.get("qualifications", "").split("|")
        row["youth_experience_months"] = int(row.get("youth_experience_months", 0))
        row["fte"] = float(row["fte"])
    errors = list(validator("submission").iter_errors(doc))
    assert not errors, errors[0]
    doc["services"][0]["attendance"] = "maybe"
    assert list(validator("submission").iter_errors(doc))


def test_every_rule_file_validates_against_the_rule_schema():
    v = validator("rule")
    files = sorted((ROOT / "rules").glob("ASA-*.yaml"))
    assert len(files) >= 20
    for path in files:
        errors = list(v.iter_errors(json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))))
        assert not errors, (path.name, errors[0])


def test_schema_command_prints_each_schema():
    for name in SCHEMAS:
        out = subprocess.run([sys.executable, "-m", "cli", "schema", name], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        assert json.loads(out)["$schema"].startswith("https://json-schema.org/")


def test_a_report_with_waivers_and_a_baseline_validates(tmp_path):
    last = tmp_path / "last.json"
    CliRunner().invoke(main, ["check", str(FIX / "violating"), "-o", str(last), "--quiet"])
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - {rule: ASA-SUSPENSION-REASON, entity: TN-033, reason: r, approved_by: a, reference: x, expires: 2099-12-31}\n"
        "  - {rule: ASA-SFU-REMOTE, entity: LN-00930, reason: r, approved_by: a, reference: x, expires: 2001-01-01}\n"
        "  - {rule: ASA-GROUP-SIZE, entity: NOBODY, reason: r, approved_by: a, reference: x, expires: 2099-12-31}\n",
        encoding="utf-8")
    doc = report(FIX / "violating", FIX / "compliant", "--waivers", waivers, "--baseline", last)
    errors = list(validator("report").iter_errors(doc))
    assert not errors, errors[0]
    assert [len(doc["waivers"][k]) for k in ("applied", "expired", "stale")] == [1, 1, 1]
    violating = doc["submissions"][0]
    assert violating["waived"][0]["waiver"]["reason"] == "r"
    assert {f["status"] for f in violating["findings"]} == {"persisting"}
