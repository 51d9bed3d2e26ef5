"""--as-of: the check date of the report and of waiver expiry; same bundle, same date, same bytes."""
import json
from pathlib import Path


from tests.bundles import run_cli as run

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def test_two_runs_with_the_same_as_of_give_the_same_bytes(tmp_path):
    outputs = {}
    for n in (1, 2):
        files = [tmp_path / f"r{n}.{ext}" for ext in ("json", "html", "xlsx", "sarif", "xml", "csv", "md")]
        r = run("check", FIX / "violating", "--as-of", "2026-03-01", *[a for f in files for a in ("-o", f)])
        assert r.exit_code == 1, r.output
        outputs[n] = [r.output.encode()] + [f.read_bytes() for f in files]
    assert outputs[1] == outputs[2]
    doc = json.loads((tmp_path / "r1.json").read_text(encoding="utf-8"))
    assert doc["audit"]["check_date"] == "2026-03-01"
    assert "01.03.2026" in (tmp_path / "r1.html").read_text(encoding="utf-8")
    # the German form names the same day
    german = run("check", FIX / "violating", "--as-of", "01.03.2026", "--format", "json")
    assert german.output.encode() == (tmp_path / "r1.json").read_bytes()


def test_a_waiver_expires_per_as_of(tmp_path):
    doc = json.loads(run("check", FIX / "violating", "--format", "json").output)
    group = next(f for s in doc["submissions"] for f in s["findings"] if f["rule"] == "ASA-GROUP-SIZE")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"waivers:\n  - id: W1\n    finding: {group['id']}\n    reason: genehmigt\n"
                       f"    approved_by: Prüfteam\n    reference: Az. 1\n    expires: 2026-06-30\n", encoding="utf-8")

    def report(as_of: str) -> dict:
        return json.loads(run("check", FIX / "violating", "--format", "json", "--waivers", waivers,
                              "--as-of", as_of).output)

    last_day = report("2026-06-30")  # valid through the day it expires
    [sub] = last_day["submissions"]
    assert group["id"] in {f["id"] for f in sub["waived"]}
    assert last_day["waivers"]["expired"] == []
    after = report("01.07.2026")
    [sub] = after["submissions"]
    assert group["id"] in {f["id"] for f in sub["findings"]} and sub["waived"] == []
    assert after["waivers"]["expired"][0]["id"] == "W1"
    text = run("check", FIX / "violating", "--waivers", waivers, "--as-of", "2026-07-01").output
    assert "abgelaufen" in text


def test_a_bad_as_of_is_a_usage_error():
    r = run("check", FIX / "violating", "--as-of", "30.02.2026")
    assert r.exit_code == 2 and "JJJJ-MM-TT" in r.output and "Traceback" not in r.output


def test_as_of_from_the_configuration_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "asa-check.toml").write_text("[check]\nas-of = 2025-06-30  # a TOML date\n", encoding="utf-8")
    doc = json.loads(run("check", FIX / "compliant", "--format", "json").output)
    assert doc["audit"]["check_date"] == "2025-06-30"
    (tmp_path / "asa-check.toml").write_text('as-of = "01.07.2025"\n', encoding="utf-8")
    doc = json.loads(run("check", FIX / "compliant", "--format", "json").output)
    assert doc["audit"]["check_date"] == "2025-07-01"
    flag = json.loads(run("check", FIX / "compliant", "--format", "json", "--as-of", "2024-01-02").output)
    assert flag["audit"]["check_date"] == "2024-01-02"  # the flag wins
