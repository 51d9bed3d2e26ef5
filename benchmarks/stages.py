"""Where the time goes: CPU seconds per pipeline stage over some generated bundles (one process; CPU, not
wall time, so that a shared machine disturbs the shares less).

    python benchmarks/stages.py benchmarks/data/national 20
"""
import gc
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.evaluate import Evaluator  # noqa: E402
from engine.facts import record_facts  # noqa: E402
from engine.ledger import compute_ledger, year_facts  # noqa: E402
from engine.parameters import resolve  # noqa: E402
from engine.read.bundle import read_bundle  # noqa: E402
from engine.rules import load_rules  # noqa: E402


def main() -> None:
    gc.freeze()  # as in a worker process (engine/workers.py)
    gc.set_threshold(100_000, 50, 1000)
    data, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 20
    rules = load_rules()
    bundles = sorted(p for p in data.iterdir() if (p / "contract.yaml").exists())[:count]
    spent, facts = defaultdict(float), 0
    for b in bundles:
        t0 = time.process_time()
        sub = read_bundle(b)
        t1 = time.process_time()
        params = resolve(rules, sub.contract)
        ev = Evaluator([lr.rule for lr in rules.rules], params.rule_overrides())
        fs = record_facts(sub, params)
        t2 = time.process_time()
        found = ev.findings(fs)
        t3 = time.process_time()
        dropped = {}
        for f in found:
            if f.drops_service:
                dropped.setdefault(f.entity.id, []).append(f.rule)
        ledger = compute_ledger(sub, dropped, params)
        yf = year_facts(ledger, sub)
        t4 = time.process_time()
        ev.findings(yf)
        t5 = time.process_time()
        facts += len(fs) + len(yf)
        for name, a, z in (("read", t0, t1), ("derive facts", t1, t2), ("engine (record facts)", t2, t3),
                           ("ledger", t3, t4), ("engine (year facts)", t4, t5)):
            spent[name] += z - a
    total = sum(spent.values())
    print(f"{len(bundles)} bundles, {facts} facts, {total:.1f} s, {facts / total:.0f} facts per CPU second")
    for name, sec in spent.items():
        print(f"  {name:<24} {sec:7.2f} s  {100 * sec / total:5.1f} %")


if __name__ == "__main__":
    main()
