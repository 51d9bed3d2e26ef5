"""Benchmark: asa-check as shipped vs. a naive one-session engine run vs. two floors.

    python benchmarks/run.py --scale small        # ~1 minute
    python benchmarks/run.py --scale national     # ~400 contracts, ~60k participants, ~3M services

Generates the data once (cached under benchmarks/data/<scale>), then runs each
variant in its own process and measures wall time and peak RSS (the sum over the
variant's process tree, sampled every 50 ms):

  (a) shipped: ``asa-check check DIR --jobs J --format json`` (worker processes,
      small durable_rules sessions deleted after use);
  (b) naive:   the same compiled rules, all facts of the corpus in ONE durable_rules
      session (sid), asserted in batches; stopped after --naive-limit facts, because
      it grows without bound (measured per fact, then compared per record);
  (c) floor:   read + derive + the plain-Python reference evaluation of the same
      YAML conditions, no engine, one process;
  (d) vector:  the vectorised floor, benchmarks/vector_floor.py: the service rules'
      conditions over all bundles at once with polars (needs ``pip install polars``).

Prints a table with facts/s, wall and CPU seconds (the variant's whole process
tree), peak RSS, the load average (the machine may be shared: CPU seconds are
the steadier figure), each variant's time per fact as a multiple of (d)'s, and
the ratios a/b and a/c. Scales 2x and 4x (``national-2x``, ``national-4x``)
check that time and memory grow linearly.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VARIANTS = ["shipped", "naive", "floor", "vector"]
SCALES = {
    "small": {"contracts": 16, "participants": 40},
    "medium": {"contracts": 60, "participants": 150},
    "national": {"contracts": 400, "participants": 150},
    "national-2x": {"contracts": 800, "participants": 150},
    "national-4x": {"contracts": 1600, "participants": 150},
}


# --- measuring a process tree ----------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += _rss_kb(p)
        stack.extend(_children(p))
    return total


def measure(cmd: list[str]) -> dict:
    """Run ``cmd``; wall seconds, peak RSS of its process tree (MB), its last stdout line as JSON."""
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the variant and its reaped workers
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    last = [l for l in out.splitlines() if l.startswith("{")]
    info = json.loads(last[-1]) if last else {}
    return {"wall": wall, "cpu": cpu, "rss_mb": peak[0] / 1024, "load": os.getloadavg()[0], **info}


# --- the variants (run in a child process: python benchmarks/run.py --variant X DIR) ---

def _bundles(data: Path) -> list[Path]:
    return sorted(p for p in data.iterdir() if (p / "contract.yaml").exists())


def variant_shipped(data: Path, jobs: int) -> dict:
    from engine.batch import check_many
    from engine.rules import load_rules

    ruleset = load_rules()
    outcomes = check_many(_bundles(data), ruleset, jobs)
    services = findings = 0
    for o in outcomes:
        findings += len(o.result.findings) if o.result else 0
        services += o.result.facts_checked if o.result else 0
    return {"facts": services, "findings": findings}


def _facts_of(bundle: Path, ruleset) -> list:
    from engine.facts import record_facts
    from engine.parameters import resolve
    from engine.read.bundle import read_bundle

    sub = read_bundle(bundle)
    return record_facts(sub, resolve(ruleset, sub.contract))


def _all_facts(data: Path):
    from engine.rules import load_rules

    ruleset = load_rules()
    for b in _bundles(data):
        yield from _facts_of(b, ruleset)


def variant_naive(data: Path, limit: int) -> dict:
    """All facts in one session: what the adapter's partitioning avoids."""
    from durable import engine as dr

    from engine.compile import compile_rule, fact_to_engine
    from engine.rules import load_rules

    rules = [lr.rule for lr in load_rules().rules]
    hits = set()

    class Host(dr.Host):
        def _run(self):
            return

        def get_action(self, name):
            return lambda c: hits.add((name, c.f0["id"]))

    host = Host()
    definition = {r.id: {"all": [{"f0": compile_rule(r)}], "run": r.id} for r in rules}
    definition["zz"] = {"all": [{"f0": {"$ex": {"type": 1}}}, {"f1": {"type": "__never__"}}], "run": "zz"}
    definition["zz_batch"] = {"all": [{"f0": {"type": "__batch__"}}], "run": "zz_batch"}
    host.set_rulesets({"naive": definition})
    batch, asserted, errors, n = [], 0, 0, 0
    for fact in _all_facts(data):
        n += 1
        batch.append(dict(fact_to_engine(fact, f"f{n}"), sid="one"))
        if len(batch) == 1000:
            batch.append({"id": f"b{n}", "sid": "one", "type": "__batch__"})
            try:
                host.assert_facts("naive", batch)
            except Exception:  # MessageObservedException: 32-bit duplicate hash collisions
                errors += 1
            asserted += len(batch) - 1
            batch = []
            if asserted >= limit:
                break
    found = {h for h in hits if h[0] not in ("zz", "zz_batch")}
    return {"facts": asserted, "findings": len(found), "failed_batches": errors}


def variant_vector(data: Path) -> dict:
    """(d) the vectorised floor: benchmarks/vector_floor.py (polars; services only)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from vector_floor import run

    out = run(data)
    out.pop("per_rule")
    return out


def variant_floor(data: Path) -> dict:
    from engine.rules import load_rules
    from tests.reference_eval import reference_hits

    ruleset = load_rules()
    rules = [lr.rule for lr in ruleset.rules]
    facts = findings = 0
    for b in _bundles(data):
        fs = _facts_of(b, ruleset)
        facts += len(fs)
        findings += len(reference_hits(rules, fs))
    return {"facts": facts, "findings": findings}


# --- driver ----------------------------------------------------------------------------

def generate(scale: str, seed: int) -> tuple[Path, dict]:
    from synth.generate import generate as gen

    spec = SCALES[scale]
    data = ROOT / "benchmarks" / "data" / scale
    stamp = data / "GENERATED.json"
    if stamp.exists():
        return data, json.loads(stamp.read_text())
    data.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    stats = gen(data, contracts=spec["contracts"], participants_per_contract=spec["participants"], seed=seed,
                violations=0.02)
    info = {"seconds": round(time.monotonic() - start, 1), "services": getattr(stats, "services", None),
            "participants": getattr(stats, "participants", None), "contracts": spec["contracts"]}
    stamp.write_text(json.dumps(info))
    return data, info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=sorted(SCALES), default="small")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--naive-limit", type=int, default=200_000, help="facts for the one-session run")
    ap.add_argument("--only", nargs="+", choices=VARIANTS, default=VARIANTS, help="run just these variants")
    ap.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    ap.add_argument("data", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.variant:
        data = Path(args.data)
        start = time.monotonic()
        if args.variant == "shipped":
            out = variant_shipped(data, args.jobs)
        elif args.variant == "naive":
            out = variant_naive(data, args.naive_limit)
        elif args.variant == "vector":
            out = variant_vector(data)
        else:
            out = variant_floor(data)
        out["inner_seconds"] = round(time.monotonic() - start, 2)
        print(json.dumps(out))
        return

    if "vector" in args.only and importlib.util.find_spec("polars") is None:
        print("(d) left out: polars is not installed (pip install polars, or pip install -e .[bench])")
        args.only = [v for v in args.only if v != "vector"]
    data, info = generate(args.scale, args.seed)
    print(f"data: {data} ({info})", flush=True)
    me = [sys.executable, str(Path(__file__).resolve())]
    rows = {}
    for name in args.only:
        extra = ["--jobs", str(args.jobs)] if name == "shipped" else ["--naive-limit", str(args.naive_limit)]
        print(f"running {name} ...", flush=True)
        rows[name] = measure(me + ["--variant", name, str(data)] + extra)
    print()
    print(f"{'variant':<38} {'facts':>9} {'findings':>8} {'wall s':>7} {'cpu s':>7} {'facts/s':>8} "
          f"{'RSS MB':>7} {'load':>5} {'x floor (d)':>11}")
    labels = {"shipped": f"(a) asa-check, --jobs {args.jobs}", "naive": "(b) naive: one durable_rules session",
              "floor": "(c) plain Python, no engine", "vector": "(d) vectorised floor (polars, services)"}
    rate = {}
    for name, r in rows.items():
        rate[name] = r["facts"] / r["wall"] if r["wall"] else 0
    for name, r in rows.items():
        # ratio per fact to the vectorised floor: how many times its time per fact
        ratio = f"{rate['vector'] / rate[name]:.1f}x" if "vector" in rows and rate[name] else ""
        print(f"{labels[name]:<38} {r['facts']:>9} {r['findings']:>8} {r['wall']:>7.1f} {r['cpu']:>7.1f} "
              f"{rate[name]:>8.0f} {r['rss_mb']:>7.0f} {r['load']:>5.1f} {ratio:>11}"
              + (f"  ({r['failed_batches']} batches failed)" if r.get("failed_batches") else ""))
    print("load: 1-minute load average when the variant ended (2 cores, shared with other work)")
    print()
    a = rows.get("shipped")
    if a and "naive" in rows:
        b = rows["naive"]
        per_fact = (b["rss_mb"] / b["facts"]) / (a["rss_mb"] / a["facts"])
        print(f"a/b speed (facts/s): {rate['shipped'] / rate['naive']:.1f}x   a/b memory: "
              f"{b['rss_mb'] / a['rss_mb']:.1f}x leaner in total, {per_fact:.0f}x per fact "
              f"(b stopped at {b['facts']} facts)")
    if a and "floor" in rows:
        c = rows["floor"]
        print(f"a/c: a takes {a['wall'] / c['wall']:.2f}x the floor's wall time "
              f"({rate['shipped'] / rate['floor']:.2f}x its facts/s)")


if __name__ == "__main__":
    main()
