"""Data contract v1 and v1.1: a bundle without the v1.1 columns is read and checked as before."""
import csv
import io
import shutil
from pathlib import Path

from engine.check import check_bundle
from engine.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
V11_COLUMNS = {"participants.csv": ["training_completed_on", "employment_start"], "services.csv": ["attendance"]}
V11_RULES = {"ASA-AFTERCARE-LIMIT", "ASA-ABSENCE-BILLING"}


def strip_v11(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    for name, drop in V11_COLUMNS.items():
        text = (dst / name).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        keep = [i for i, h in enumerate(rows[0]) if h not in drop]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
        (dst / name).write_text(out.getvalue(), encoding="utf-8")
    return dst


def test_v1_compliant_bundle_still_clean(tmp_path):
    v1 = strip_v11(ROOT / "fixtures" / "compliant", tmp_path / "v1")
    assert check_bundle(v1, RULES).findings == []


def test_v1_bundle_gives_the_same_findings_without_the_v11_rules(tmp_path):
    v11 = check_bundle(ROOT / "fixtures" / "violating", RULES)
    v1 = check_bundle(strip_v11(ROOT / "fixtures" / "violating", tmp_path / "v1"), RULES)
    before = {(f.id, f.rule, f.entity.id, f.location.file, f.location.line) for f in v11.findings
              if f.rule not in V11_RULES}
    after = {(f.id, f.rule, f.entity.id, f.location.file, f.location.line) for f in v1.findings}
    assert after == before
    assert not any(f.rule == "ASA-INPUT" and f.severity == "warning" for f in v1.findings)
