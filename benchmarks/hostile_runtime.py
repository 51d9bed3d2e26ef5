"""Hostile input: time and peak memory of the lint on rule-file bombs and of a batch with hostile bundles.

    python benchmarks/hostile_runtime.py

Builds, in a temporary folder, (1) rule directories each holding one bomb and
times ``asa-check rules lint`` on each; (2) a folder with fixtures/violating
next to bundles holding numbers the engine cannot represent, a 5,000-digit
contract year, unrepresentable or huge parameter overrides, 3,000 findings of one
rule and ids and a folder name full of terminal escapes, and times
``asa-check check FOLDER --jobs 2``. Prints wall seconds, peak RSS of the
process tree, the exit code, and fixtures/violating's error count (30 expected).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, tree_rss_kb  # noqa: E402

import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

CLI = [sys.executable, "-m", "cli"]
RULE = (ROOT / "rules" / "ASA-GROUP-SIZE.yaml").read_text(encoding="utf-8")


def measure(cmd: list[str], timeout: float = 600) -> dict:
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    sampler.join()
    return {"wall": time.monotonic() - start, "rss_mb": peak[0] / 1024, "rc": proc.returncode, "out": out, "err": err}


def _rule(rule_id: str, condition: str) -> str:
    head, tail = RULE.split("condition:\n")
    head = head.replace("id: ASA-GROUP-SIZE", f"id: {rule_id}")
    return head + f"condition: {condition}\n" + tail[tail.index("message:"):]


def rule_bombs() -> dict[str, str]:
    alias = ['x0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    alias += [f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    deep = "{field: minutes, gt: 1}"
    for _ in range(2000):
        deep = "{not: " + deep + "}"
    pairs = ", ".join(f"{{any: [{{field: minutes, eq: {i}}}, {{field: participant_count, eq: {i}}}]}}"
                      for i in range(30))
    return {
        "alias bomb (10^9 values)": "\n".join(alias) + "\n" + _rule("ASA-BOMB", "{all: *a9}"),
        "2,000-deep condition": _rule("ASA-BOMB", deep),
        "100,000-value in: list": _rule("ASA-BOMB", "{field: element, in: [" + ",".join(
            f"V{i}" for i in range(100_000)) + "]}"),
        "2^30 alternatives": _rule("ASA-BOMB", "{all: [" + pairs + "]}"),
    }


def hostile_folder(root: Path) -> Path:
    folder = root / "batch"
    folder.mkdir()
    shutil.copytree(ROOT / "fixtures" / "violating", folder / "violating")

    def bundle(name: str, file: str = "", old: str = "", new: str = "") -> Path:
        d = folder / name
        shutil.copytree(ROOT / "fixtures" / "compliant", d)
        if file:
            p = d / file
            p.write_text(p.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        return d

    bundle("billed-1e19", "invoice.yaml", "billed_hours: 455", "billed_hours: 10000000000000000000")
    bundle("hours-1e-7", "contract.yaml", "hours: 4000}", "hours: 0.0000001}")
    bundle("hours-1e16", "contract.yaml", "hours: 4000}", "hours: 10000000000000000}")
    bundle("hours-1e25", "contract.yaml", "hours: 4000}", "hours: 1.0e+25}")
    bundle("year-5000-digits", "invoice.yaml", "contract_year: 1", "contract_year: " + "9" * 5000)
    bundle("override-tiny", "contract.yaml", "parameters: {}", "parameters: {max_group_size: 1.0e-7}")
    bundle("override-2000-values", "contract.yaml", "parameters: {}",
           "parameters: {accepted_reasons: [" + ",".join(f"R{i}" for i in range(2000)) + "]}")
    many = bundle("3000-findings")
    with (many / "services.csv").open("a", encoding="utf-8") as f:
        for n in range(3000):
            f.write(f"X-{n:05d},2022-03-01,08:00,60,AB,BP,A01,TN-001,presence\n")
    evil = folder / os.fsdecode(b"evil-\x1b]0;pwned\x07-\xff")
    shutil.copytree(ROOT / "fixtures" / "violating", evil)
    services = evil / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace(
        "LN-00415", "LN\x1bc\x1b]8;;http://e\x07x\x1b]8;;\x07:smile:[bold]X\u202e\x9b31m"), encoding="utf-8")
    return folder


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="asa-hostile-") as tmp:
        root = Path(tmp)
        print("rules lint on one bomb (each next to ASA-GROUP-SIZE):")
        for n, (name, text) in enumerate(rule_bombs().items()):
            d = root / f"rules{n}"
            d.mkdir()
            shutil.copy(ROOT / "rules" / "ASA-GROUP-SIZE.yaml", d)
            (d / "ASA-BOMB.yaml").write_text(text, encoding="utf-8")
            m = measure(CLI + ["rules", "lint", str(d)], timeout=300)
            print(f"  {name:28} {m['wall']:6.2f} s  {m['rss_mb']:6.0f} MB  exit {m['rc']}  "
                  f"{m['out'].strip().splitlines()[0][len(str(d)) + 1:] if m['out'].strip() else m['err'][-200:]}")
        folder = hostile_folder(root)
        m = measure(CLI + ["check", str(folder), "--jobs", "2", "--format", "json", "--lang", "en"])
        doc = json.loads(m["out"])
        errors = {Path(s["submission"]).name: s["summary"]["error"] for s in doc["submissions"]}
        print(f"\ncheck --jobs 2 on fixtures/violating + {len(errors) - 1} hostile bundles: "
              f"{m['wall']:.1f} s, {m['rss_mb']:.0f} MB, exit {m['rc']}, "
              f"violating: {errors.get('violating')} errors, not checked: {len(doc.get('not_checked', []))}")


if __name__ == "__main__":
    main()
