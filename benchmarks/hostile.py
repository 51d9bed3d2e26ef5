"""Time and peak memory of ``asa-check check`` on hostile and very large bundles.

    python benchmarks/hostile.py                  # every case
    python benchmarks/hostile.py junk-zip         # some cases

Cases (built once under benchmarks/data/hostile/):

  junk-zip     a ~3.5 KB zip: the compliant fixture with 100,000 junk lines as services.csv
  junk-folder  the same 100,000 junk lines in a folder bundle (no zip ratio check applies)
  quoted-cell  services.csv with one 9 MB quoted cell full of line breaks
  big-services one generated contract with ~1.1 million services (valid rows), default limits
  big-all      the same with --max-rows 2000000 --max-file-mb 200, so every row is read

Each case runs ``asa-check check BUNDLE --format json`` under ``/usr/bin/time -v``
and prints wall seconds, peak RSS (MB), exit code and the number of findings.
The builders are plain functions, also used by the test suite on smaller sizes.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "compliant"
DATA = ROOT / "benchmarks" / "data" / "hostile"
SERVICES_HEADER = b"service_id,date,start,minutes,element,phase,staff_id,participant_ids,mode\n"


def junk_services(lines: int) -> bytes:
    """A services.csv whose header is right and whose rows are ``x`` (every required value missing)."""
    return SERVICES_HEADER + b"x\n" * lines


def junk_zip(path: Path, lines: int = 100_000) -> Path:
    """The compliant fixture as a zip, services.csv replaced by ``lines`` junk lines."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for f in sorted(FIXTURE.iterdir()):
            if f.name != "services.csv":
                zf.write(f, f.name)
        zf.writestr("services.csv", junk_services(lines))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def fixture_copy(folder: Path, services: bytes | None = None) -> Path:
    """The compliant fixture as a folder bundle, optionally with another services.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in FIXTURE.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    if services is not None:
        (folder / "services.csv").write_bytes(services)
    return folder


def quoted_cell_services(mb: float = 9) -> bytes:
    """The fixture's services.csv with one quoted cell of ``mb`` MB full of line breaks after line 2."""
    lines = (FIXTURE / "services.csv").read_bytes().splitlines(keepends=True)
    cell = b'"' + b"ab\n" * int(mb * 1024 * 1024 // 3) + b'"'
    bad = b"LN-X," + cell + b",09:00,60,AB,BP,A01,TN-001,presence\n"
    return b"".join(lines[:2] + [bad] + lines[2:])


def big_services(folder: Path, participants: int = 7300) -> Path:
    """One generated contract; 7,300 participants give about 1.1 million services."""
    from synth.generate import generate

    stamp = folder / "GENERATED"
    if not stamp.exists():
        generate(folder, contracts=1, participants_per_contract=participants, seed=7, violations=0.0,
                 services_per_participant=300)
        stamp.write_text("done")
    return folder / "contract-0001"


def build(case: str) -> Path:
    if case == "junk-zip":
        return junk_zip(DATA / "junk.zip")
    if case == "junk-folder":
        return fixture_copy(DATA / "junk-folder", junk_services(100_000))
    if case == "quoted-cell":
        return fixture_copy(DATA / "quoted-cell", quoted_cell_services())
    if case in ("big-services", "big-all"):
        return big_services(DATA / "big")
    raise SystemExit(f"unknown case {case}")


CASES = ("junk-zip", "junk-folder", "quoted-cell", "big-services", "big-all")
OPTIONS = {"big-all": ["--max-rows", "2000000", "--max-file-mb", "200"]}


def measure(bundle: Path, options: list[str]) -> dict:
    exe = Path(sys.executable).parent / "asa-check"
    cmd = ["/usr/bin/time", "-v", str(exe), "check", str(bundle), "--format", "json", "--jobs", "1", *options]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    h, m, s = wall.groups() if wall else (None, "0", "0")
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    try:
        doc = json.loads(proc.stdout)
        findings = sum(len(b["findings"]) for b in doc.get("submissions", [doc]))
    except (ValueError, KeyError, TypeError):
        findings = None
    exit_line = re.search(r"Exit status: (\d+)", proc.stderr)
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("asa-check")]
    return {"wall_s": round(seconds, 1), "peak_rss_mb": int(rss[1]) // 1024 if rss else None,
            "exit": int(exit_line[1]) if exit_line else proc.returncode, "findings": findings,
            "stderr": errors[:2]}


def main() -> None:
    cases = sys.argv[1:] or list(CASES)
    sys.path.insert(0, str(ROOT))
    for case in cases:
        bundle = build(case)
        size = bundle.stat().st_size if bundle.is_file() else sum(f.stat().st_size for f in bundle.iterdir())
        r = measure(bundle, OPTIONS.get(case, []))
        print(f"{case:<13} {size:>11,} bytes  {r['wall_s']:>7.1f} s  {r['peak_rss_mb']:>7,} MB peak RSS  "
              f"exit {r['exit']}  findings {r['findings']}  {' '.join(r['stderr'])[:200]}", flush=True)


if __name__ == "__main__":
    main()
