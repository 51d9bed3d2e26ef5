"""A worker that crashes, is killed or runs out of memory loses only its bundle; signals end the run cleanly.

Real processes and real signals: the CLI runs as a child process. To make a
worker crash on purpose, a small wrapper replaces ``check_submission`` before
starting the CLI; the workers are forked from it and inherit the replacement.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process tests read /proc")

WRAPPER = """
import os, signal, sys, time
import engine.check as check
real = check.check_submission
def hostile(sub, ruleset, *args, **kwargs):
    if sub.name == "crash-segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if sub.name == "crash-exit":
        os._exit(3)
    if sub.name == "crash-oom-killer":
        os.kill(os.getpid(), signal.SIGKILL)
    if sub.name.startswith("slow"):
        time.sleep(600)
    return real(sub, ruleset, *args, **kwargs)
check.check_submission = hostile
from cli import main
main(sys.argv[1:], prog_name="asa-check")
"""


def _folder(tmp_path: Path, *names: str) -> Path:
    d = tmp_path / "batch"
    d.mkdir()
    for name in names:
        shutil.copytree(FIX / ("violating" if name == "z-violating" else "compliant"), d / name)
    return d


def _cli(*args, wrapper: bool = True) -> list[str]:
    head = [sys.executable, "-c", WRAPPER] if wrapper else [sys.executable, "-m", "cli"]
    return head + [str(a) for a in args]


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate, seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_crashed_workers_lose_only_their_bundle(tmp_path, jobs):
    folder = _folder(tmp_path, "a-compliant", "crash-exit", "crash-oom-killer", "crash-segv", "z-violating")
    proc = subprocess.run(_cli("check", folder, "--jobs", jobs, "--format", "json", "--lang", "en"), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.splitlines()
    assert any("crash-segv" in e and "crashed (SIGSEGV)" in e for e in errors)
    assert any("crash-exit" in e and "exited unexpectedly (code 3)" in e for e in errors)
    assert any("crash-oom-killer" in e and "SIGKILL" in e for e in errors)
    doc = json.loads(proc.stdout)
    summaries = {Path(s["submission"]).name: s["summary"]["error"] for s in doc["submissions"]}
    assert summaries == {"a-compliant": 0, "z-violating": 31}
    # the report names them too, not only stderr
    assert {Path(f["submission"]).name for f in doc["not_checked"]} == {"crash-exit", "crash-oom-killer", "crash-segv"}


def test_bundles_not_checked_are_in_junit_and_sarif(tmp_path):
    import xml.etree.ElementTree as ET

    folder = _folder(tmp_path, "crash-segv", "z-violating")
    junit = subprocess.run(_cli("check", folder, "--format", "junit", "--lang", "en"), cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert junit.returncode == 2
    [error] = ET.fromstring(junit.stdout).iter("error")
    assert "crashed (SIGSEGV)" in error.get("message")
    sarif = subprocess.run(_cli("check", folder, "--format", "sarif", "--lang", "en"), cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    [invocation] = json.loads(sarif.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "crash-segv" in note["message"]["text"]


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """A real bundle of about 79,000 services: more than a 256 MB worker can hold."""
    out = tmp_path_factory.mktemp("big") / "gen"
    gen = subprocess.run(_cli("generate", out, "--contracts", "1", "--participants-per-contract", "600",
                              "--services-per-participant", "200", "--seed", "3", wrapper=False),
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stderr
    [bundle] = list(out.iterdir())
    return bundle


def test_memory_exhaustion_is_exit_2_for_that_bundle(tmp_path, big):
    """The worker's memory limit (RLIMIT_AS) is reached: that bundle fails, the rest is reported."""
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copytree(big, folder / big.name)
    shutil.copytree(FIX / "violating", folder / "z-violating")
    proc = subprocess.run(_cli("check", folder, "--jobs", "2", "--max-memory-mb", "256", "--format", "json",
                               "--lang", "en", wrapper=False),
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert f"{big.name}: worker memory limit exceeded (256 MB" in proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)["submissions"][0]
    assert doc["summary"]["error"] == 31 and doc["submission"] == "z-violating"


def test_ledger_memory_exhaustion_is_a_clear_error(big):
    proc = subprocess.run(_cli("ledger", big, "--max-memory-mb", "256", "--lang", "en", wrapper=False),
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "worker memory limit exceeded (256 MB" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_interrupt_ends_workers_and_writes_no_report(tmp_path, signum, code):
    folder = _folder(tmp_path, "a-compliant", "slow-1", "slow-2", "z-violating")
    proc = subprocess.Popen(_cli("check", folder, "--jobs", "2"), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert _wait(lambda: len(_children(proc.pid)) == 2), "workers did not start"
        workers = _children(proc.pid)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == code, err
    assert out == ""
    assert "interrupted" in err and "Traceback" not in err
    assert _wait(lambda: not any(_alive(w) for w in workers), 10), "workers outlived the parent"


def test_workers_die_with_a_killed_parent(tmp_path):
    folder = _folder(tmp_path, "slow-1", "slow-2")
    proc = subprocess.Popen(_cli("check", folder, "--jobs", "2"), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: len(_children(proc.pid)) == 2), "workers did not start"
        workers = _children(proc.pid)
        proc.kill()
        proc.wait(timeout=30)
        assert _wait(lambda: not any(_alive(w) for w in workers), 10), "workers outlived the parent"
    finally:
        for w in _children(proc.pid):
            os.kill(w, signal.SIGKILL)
