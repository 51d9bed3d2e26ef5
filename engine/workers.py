"""Worker processes that run one task at a time and may die without taking the batch along.

A bundle is adversarial input: checking it may crash native code (SIGSEGV), be
killed, or run out of memory. Each task therefore runs in a worker process; when
a worker dies, its task is reported with the cause and a fresh worker takes the
next one. Workers

- are forked, so they share the parent's loaded rules and code (no re-import);
- run under an address-space limit (RLIMIT_AS): exhausting it raises
  MemoryError for that task, and the worker is then replaced;
- ignore SIGINT (the parent decides what an interrupt means) and die with the
  parent: the parent kills them on the way out, and on Linux the kernel sends
  SIGKILL should the parent die without cleaning up (PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import ctypes
import dataclasses
import gc
import multiprocessing
import os
import resource
import signal
import sys
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

_PR_SET_PDEATHSIG = 1
OUT_OF_MEMORY_EXIT = 86  # a worker that could not even report its MemoryError


@dataclass
class Done:
    """The end of one task: ``status`` is ok (``value`` holds the result), memory, error or died."""

    index: int
    status: str
    value: Any = None
    de: str = ""
    en: str = ""


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _cap_memory(limit: int | None) -> None:
    if not limit:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _serve(conn, task: Callable[[Any], Any], parent: int, memory_limit: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _cap_memory(memory_limit)
    # The parent's objects (rules, code) live as long as the worker: the cyclic
    # garbage collector need not scan them again and again; and it runs less often,
    # since a bundle allocates millions of small objects that form no cycles
    # (measured: about 10 % of a check's time; docs/performance.md).
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, item = job
        out_of_memory = False
        try:
            reply = (index, "ok", task(item))
        except MemoryError:
            out_of_memory = True
        except Exception as exc:  # a defect: reported for this task, the worker goes on
            reply = (index, "error", f"{type(exc).__name__}: {exc}"[:300])
        if out_of_memory:  # out of the handler, so the failed task's memory is free again
            reply = (index, "memory", None)
        try:
            conn.send(reply)
        except MemoryError:
            os._exit(OUT_OF_MEMORY_EXIT)
        except Exception:  # noqa: BLE001 - the parent reports the worker's end
            os._exit(1)
        if out_of_memory:
            return  # a fresh process for the next task: this heap may be fragmented or half-updated


class _Worker:
    def __init__(self, ctx, task, memory_limit: int | None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, task, os.getpid(), memory_limit), daemon=True)
        self.proc.start()
        child.close()

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def death_cause(exitcode: int | None) -> tuple[str, str]:
    """(de, en) of how a worker ended."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGKILL":
            return (f"Prüfprozess beendet ({name}, z. B. Speichermangel des Systems)",
                    f"worker process killed ({name}, e.g. the system ran out of memory)")
        if name == "SIGSEGV":
            return (f"Prüfprozess abgestürzt ({name})", f"worker process crashed ({name})")
        return f"Prüfprozess durch {name} beendet", f"worker process ended by {name}"
    return f"Prüfprozess unerwartet beendet (Code {exitcode})", f"worker process exited unexpectedly (code {exitcode})"


def _memory(limit: int | None) -> Done:
    mb = (limit or 0) // (1024 * 1024)
    return Done(-1, "memory", de=f"Speichergrenze des Prüfprozesses überschritten ({mb} MB; --max-memory-mb)",
                en=f"worker memory limit exceeded ({mb} MB; --max-memory-mb)")


def run(task: Callable[[Any], Any], items: Iterable[Any], jobs: int, memory_limit: int | None = None
        ) -> Iterator[Done]:
    """Run ``task`` on every item in at most ``jobs`` workers; yield each end as it happens.

    Every item ends exactly once. Leaving the iteration early (an exception, an
    interrupt) kills the workers.
    """
    ctx = multiprocessing.get_context("fork")
    pending = deque(enumerate(items))
    idle: list[_Worker] = []
    busy: dict[_Worker, int] = {}
    try:
        while pending or busy:
            while pending and len(busy) < jobs:
                worker = idle.pop() if idle else _Worker(ctx, task, memory_limit)
                index, item = pending.popleft()
                worker.conn.send((index, item))
                busy[worker] = index
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
            for worker in [w for w in busy if w.conn in ready or w.proc.sentinel in ready]:
                index = busy.pop(worker)
                try:
                    _index, status, value = worker.conn.recv()
                except Exception:  # EOF, or a message cut off by the worker's death
                    worker.proc.join(5)
                    code = worker.proc.exitcode
                    worker.stop()
                    if code == OUT_OF_MEMORY_EXIT:
                        yield dataclasses.replace(_memory(memory_limit), index=index)
                    else:
                        de, en = death_cause(code)
                        yield Done(index, "died", de=de, en=en)
                    continue
                if status == "ok":
                    idle.append(worker)
                    yield Done(index, "ok", value)
                elif status == "memory":
                    worker.stop()
                    yield dataclasses.replace(_memory(memory_limit), index=index)
                else:
                    idle.append(worker)
                    yield Done(index, "error", de=value, en=value)
    finally:
        for worker in idle + list(busy):
            worker.stop()
