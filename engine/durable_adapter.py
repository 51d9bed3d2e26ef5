"""The only module that talks to durable_rules (2.0.28, unmaintained: distrust it).

Pitfalls handled here (see DEVELOPERS.md):
- facts, not events (events are consumed by one rule only);
- every fact has a unique ``id``; sessions (sid) are small chunks and are
  deleted after use (32-bit duplicate hash collides from ~46k facts per sid);
- one ``assert_facts`` batch per sid (a batch spanning sids + delete segfaults);
- a never-firing catch-all (a join with a fact that never exists) keeps
  unmatched facts from raising ``MessageNotHandledException``;
- every batch carries a sentinel fact that one rule always fires on: without
  any fired action, ``delete_state`` segfaulted (measured here), and the
  sentinel's hit proves the batch's actions ran (fail closed);
- ``set_rulesets`` mutates its argument: we pass a deep copy;
- one Host per process, its background dispatch threads disabled (we drive
  every action synchronously, so no thread can run an action behind our back);
- actions only append (rule id, fact id); an exception inside one is recorded
  and reported, never swallowed.
"""
from __future__ import annotations

import copy
import itertools
import threading

from durable import engine as _dr

CHUNK_SIZE = 2000
_ACTION_PREFIX = "act:"
_SENTINEL = "__batch__"


class EngineError(Exception):
    """durable_rules refused a ruleset or failed while evaluating."""


class _Host(_dr.Host):
    def __init__(self):
        self.hits: list[tuple[str, str]] = []
        self.action_errors: list[str] = []
        super().__init__()

    def _run(self):  # no background dispatch threads
        return

    def get_action(self, action_name):
        rule_id = action_name[len(_ACTION_PREFIX):]

        def action(c):
            try:
                self.hits.append((rule_id, c.f0["id"]))
            except Exception as exc:  # pragma: no cover - defensive
                self.action_errors.append(f"{rule_id}: {exc!r}")

        return action


_lock = threading.Lock()
_host: _Host | None = None
_registered: set[str] = set()
_sid_counter = itertools.count(1)  # sids are never reused within a process


def _get_host() -> _Host:
    global _host
    if _host is None:
        _host = _Host()
    return _host


def register(name: str, rules: dict[str, dict]) -> None:
    """Register a ruleset ``{rule_id: condition}`` under ``name`` (once per process)."""
    with _lock:
        if name in _registered:
            return
        definition = {}
        for rule_id, cond in rules.items():
            definition[rule_id] = {"all": [{"f0": cond}], "run": _ACTION_PREFIX + rule_id}
        definition[_SENTINEL] = {"all": [{"f0": {"type": _SENTINEL}}], "run": _ACTION_PREFIX + _SENTINEL}
        definition["zz_catch_all"] = {
            "all": [{"f0": {"$ex": {"type": 1}}}, {"f1": {"type": "__never__"}}],
            "run": _ACTION_PREFIX + "__never__",
        }
        try:
            _get_host().set_rulesets({name: copy.deepcopy(definition)})
        except Exception as exc:
            raise EngineError(f"ruleset rejected by durable_rules: {exc}") from exc
        _registered.add(name)


def evaluate(name: str, facts: list[dict]) -> list[tuple[str, str]]:
    """Assert ``facts`` (dicts with unique ``id``) in small sessions; return (rule id, fact id) hits.

    Raises EngineError when durable_rules fails on a chunk; the caller reports it.
    """
    host = _get_host()
    hits: list[tuple[str, str]] = []
    with _lock:
        for n in range(0, len(facts), CHUNK_SIZE):
            sid = f"s{next(_sid_counter)}"
            chunk = [dict(f, sid=sid) for f in facts[n:n + CHUNK_SIZE]]
            chunk.append({"id": _SENTINEL, "sid": sid, "type": _SENTINEL})
            host.hits = []
            host.action_errors = []
            try:
                host.assert_facts(name, chunk)
            except Exception as exc:
                # no delete_state here: after a failed batch it has segfaulted
                raise EngineError(f"evaluation failed in session {sid}: {type(exc).__name__}: {exc}") from exc
            if (_SENTINEL, _SENTINEL) not in host.hits:
                raise EngineError(f"session {sid}: the batch's actions did not run")
            host.delete_state(name, sid)
            if host.action_errors:
                raise EngineError("action failed: " + "; ".join(host.action_errors))
            hits.extend(h for h in host.hits if h[0] != _SENTINEL)
    return hits
