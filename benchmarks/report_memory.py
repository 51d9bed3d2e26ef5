"""Peak memory of the whole process tree while ``asa-check check`` writes a report.

    python benchmarks/report_memory.py DATA [--format json] [--jobs 2] [--out FILE] [-- extra args]

Runs the CLI as a user would (report to a file), samples the resident set size
of the parent and of every worker every 50 ms, and prints wall seconds, CPU
seconds of the process tree (getrusage of the reaped children), the peak RSS of
the tree and of the parent alone, the load average, the report's size and its
SHA-256. The machine may be shared: compare CPU seconds, not wall time.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, _rss_kb, tree_rss_kb  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--format", default="json")
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--out", default="report.out")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "asa-check")
    cmd = [exe, "check", args.data, "--format", args.format, "--jobs", args.jobs, *args.extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(args.out, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        peak, parent = [0], [0]

        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss_kb(proc.pid))
                parent[0] = max(parent[0], _rss_kb(proc.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, err = proc.communicate()
        sampler.join()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # the parent's own peak from the kernel (the sampler may miss a short peak)
    parent_kernel = after.ru_maxrss  # max over reaped children: the parent (workers are smaller)
    digest = hashlib.sha256(Path(args.out).read_bytes()).hexdigest()
    size = os.path.getsize(args.out)
    print(f"exit {proc.returncode}  wall {wall:.1f} s  CPU {cpu:.1f} s  peak RSS tree {peak[0] / 1024:.0f} MB  "
          f"parent {parent[0] / 1024:.0f} MB (kernel max {parent_kernel / 1024:.0f} MB)  "
          f"load {os.getloadavg()[0]:.1f}  report {size:,} bytes  sha256 {digest}")
    if proc.returncode not in (0, 1):
        print(err.decode(errors="replace")[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()
