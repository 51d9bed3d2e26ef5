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
  and reported, never swallowed;
- values the C core cannot represent never reach it (see ``refusal``): a fact
  carrying one is left out and returned as refused, a ruleset holding one is
  rejected; so are conditions it cannot evaluate in bounded time;
- the JSON of a batch is written here, column by column (``Batch``, ``_encode``),
  byte for byte what ``Ruleset.assert_facts`` would write with ``json.dumps``, and
  handed to the C core's ``assert_facts`` through ``Host._handle_function`` as
  ``Host.assert_facts`` does (internals of the pinned 2.0.28; docs/performance.md).
"""
from __future__ import annotations

import copy
import functools
import itertools
import json
import math
import threading
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_text

from durable import engine as _dr

CHUNK_SIZE = 2000
_ACTION_PREFIX = "act:"
_SENTINEL = "__batch__"


# --- what the C core can represent ------------------------------------------------
# Measured on durable-rules 2.0.28 (facts and rulesets pass through json.dumps
# into its own JSON reader):
# - a float whose JSON text has an exponent but no fraction ("1e-07", "1e+16",
#   "1e+19") crashes the process (SIGSEGV): the reader only accepts an exponent
#   after a '.', and Python writes floats that way below 1e-4 and from 1e16 on
#   whenever the mantissa is a single digit; "Infinity" crashes too;
# - NaN becomes null: it matches no comparison, so a negated condition
#   (x <= limit for "not x > limit") silently passes;
# - integers beyond int64 clamp to ±(2**63 - 1): 10**19 compares equal to
#   2**63 - 1, so a limit above it is silently never exceeded;
# - text that is not encodable as UTF-8 (a lone surrogate) fails the whole batch;
# - a single $or of 512 or more branches never returns (511 returns at once);
# - within these bounds every double round-trips exactly (each value tested
#   against its neighbours math.nextafter(x, ±inf) from 1e-12 to 1e24).
# The bounds below keep a wide margin inside that: Python writes every float in
# [1e-4, 1e16) without an exponent, and |x| < 1e15 is far inside int64 and
# within the range where a double still holds every integer exactly.
MAX_MAGNITUDE = 10 ** 15  # |number| must be below
MIN_FRACTION = 1e-4  # a non-zero float must be at least this large in magnitude
MAX_TEXT_CHARS = 100_000  # the reader bounds cells far below; this bounds one chunk's JSON
MAX_PROPERTIES = 255  # durable_rules' limit of properties per fact
MAX_OR_BRANCHES = 500  # measured: 511 branches return at once, 512 never
MAX_ALTERNATIVES = 4096  # $or expands into alternatives, each fired on its own
MAX_DEPTH = 64  # nesting of $and/$or in one condition


class EngineError(Exception):
    """durable_rules refused a ruleset or failed while evaluating."""


def _show(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 30:
        return f"{'-' if value < 0 else ''}≈10^{int(value.bit_length() * math.log10(2))}"
    if isinstance(value, str):
        return str(len(value))  # never the text itself: it may be anything
    return repr(value)


# why a value is refused: kind -> English text ({v}: the value as shown by _show)
REASONS = {
    "long_text": f"text of {{v}} characters, at most {MAX_TEXT_CHARS}",
    "bad_text": "text that is not valid Unicode",
    "magnitude": f"number {{v}} not below {MAX_MAGNITUDE:.0e} in magnitude",
    "fraction": f"number {{v}}, a non-zero fraction below {MIN_FRACTION:g}",
    "not_finite": "{v} is not a finite number",
    "type": "a value of type {v}",
    "properties": f"more than {MAX_PROPERTIES} properties",
}


def refusal(value) -> tuple[str, str] | None:
    """(kind, value as shown) when durable_rules cannot take ``value``; None when it can."""
    kind = type(value)
    if kind is str:
        if len(value) > MAX_TEXT_CHARS:
            return "long_text", _show(value)
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return "bad_text", ""
        return None
    if kind is bool:
        return None
    if kind is int:
        return None if -MAX_MAGNITUDE < value < MAX_MAGNITUDE else ("magnitude", _show(value))
    if kind is float:
        if not math.isfinite(value):
            return "not_finite", repr(value)
        magnitude = abs(value)
        if magnitude >= MAX_MAGNITUDE:
            return "magnitude", _show(value)
        if 0 < magnitude < MIN_FRACTION:
            return "fraction", _show(value)
        return None
    return "type", kind.__name__


def describe(kind: str, shown: str) -> str:
    return REASONS[kind].format(v=shown)


def _condition_refusal(cond, depth: int = 0) -> tuple[str | None, int]:
    """(why the C core cannot take the condition or None, number of alternatives it expands into)."""
    if depth > MAX_DEPTH:
        return f"conditions nested deeper than {MAX_DEPTH} levels", 1
    if isinstance(cond, list):
        return "an unexpected list", 1
    if not isinstance(cond, dict):
        why = refusal(cond)
        return (describe(*why) if why else None), 1
    alternatives = 1
    for key, sub in cond.items():
        if key in ("$or", "$and"):
            if not isinstance(sub, list):
                return f"{key} needs a list", 1
            if key == "$or" and len(sub) > MAX_OR_BRANCHES:
                return f"an $or of {len(sub)} branches (at most {MAX_OR_BRANCHES}; 512 never return)", 1
            counts = []
            for item in sub:
                why, n = _condition_refusal(item, depth + 1)
                if why:
                    return why, 1
                counts.append(n)
            n = sum(counts) if key == "$or" else math.prod(counts)
        else:
            why, n = _condition_refusal(sub, depth + 1)
            if why:
                return why, 1
        alternatives *= n
        if alternatives > MAX_ALTERNATIVES:
            return f"a condition expanding into more than {MAX_ALTERNATIVES} alternatives", alternatives
    return None, alternatives


def condition_refusal(cond) -> str | None:
    """Why durable_rules cannot take a condition dict (values, size, depth), or None."""
    return _condition_refusal(cond)[0]


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
            why = condition_refusal(cond)
            if why:
                raise EngineError(f"rule {rule_id} not passed to durable_rules: {why}")
            definition[rule_id] = {"all": [{"f0": cond}], "run": _ACTION_PREFIX + rule_id}
        definition[_SENTINEL] = {"all": [{"f0": {"type": _SENTINEL}}], "run": _ACTION_PREFIX + _SENTINEL}
        definition["zz_catch_all"] = {
            "all": [{"f0": {"$ex": {"type": 1}}}, {"f1": {"type": "__never__"}}],
            "run": _ACTION_PREFIX + "__never__",
        }
        try:
            _get_host().set_rulesets({name: copy.deepcopy(definition)})
        except MemoryError:
            raise
        except Exception as exc:
            raise EngineError(f"ruleset rejected by durable_rules: {exc}") from exc
        _registered.add(name)


def fact_refusal(fact: dict) -> tuple[str, str, str] | None:
    """(field, kind, value as shown) of the first value durable_rules cannot take, or None."""
    if len(fact) + 1 > MAX_PROPERTIES:  # + sid
        return "", "properties", ""
    for field, value in fact.items():
        kind = type(value)  # fast path for the common values (this runs for every value of every fact)
        if kind is str:
            if len(value) <= MAX_TEXT_CHARS and value.isascii():
                continue
        elif kind is int:
            if -MAX_MAGNITUDE < value < MAX_MAGNITUDE:
                continue
        elif kind is float:
            if value == 0 or MIN_FRACTION <= abs(value) < MAX_MAGNITUDE:
                continue
        elif kind is bool:
            continue
        why = refusal(value)
        if why:
            return (field, *why)
    return None


def _column_ok(values: list) -> bool:
    """True when every value of one column is certainly representable (checked over the column at once).

    False says only: look at each value (``refusal``); it is the rare case.
    """
    kinds = set(map(type, values))
    if kinds == {str}:
        return all(map(str.isascii, values)) and max(map(len, values)) <= MAX_TEXT_CHARS
    if kinds <= {int, bool}:
        return -MAX_MAGNITUDE < min(values) and max(values) < MAX_MAGNITUDE
    if kinds <= {int, bool, float}:
        return all(v == 0 or MIN_FRACTION <= abs(v) < MAX_MAGNITUDE for v in values)
    return False


@dataclass
class Batch:
    """Facts column by column, in groups of facts with the same fields (in the same order).

    ``groups``: (fields, positions, columns); ``columns[k][i]`` is field k of the
    group's i-th fact, which is fact number ``positions[i]`` of the batch (the
    order of assertion). Built by the caller from fact objects, or from dicts.
    """

    size: int
    groups: list[tuple[tuple[str, ...], list[int], list[list]]]

    @classmethod
    def of_dicts(cls, facts: list[dict]) -> "Batch":
        by_fields: dict[tuple, list[int]] = {}
        for n, fact in enumerate(facts):
            by_fields.setdefault(tuple(fact), []).append(n)
        groups = []
        for fields, positions in by_fields.items():
            rows = [facts[n] for n in positions]
            groups.append((fields, positions, [[row[k] for row in rows] for k in fields]))
        return cls(len(facts), groups)


def _suspects(fields: tuple[str, ...], columns: list[list]) -> list[int]:
    """Facts of a group that may hold a value the C core cannot take (a superset; usually none)."""
    if len(fields) + 1 > MAX_PROPERTIES:  # + sid
        return list(range(len(columns[0]))) if columns else []
    flagged: set[int] = set()
    for column in columns:
        if not _column_ok(column):
            flagged.update(i for i, v in enumerate(column) if refusal(v) is not None)
    return sorted(flagged)


_BOOL_TEXT = {True: "true", False: "false"}


def _json_column(values: list) -> list[str]:
    """Each value as ``json.dumps(value, ensure_ascii=False)`` writes it (what durable_rules does per batch)."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(_json_text, values))
    if kinds == {int}:
        return list(map(int.__repr__, values))
    if kinds == {float}:
        return list(map(float.__repr__, values))
    if kinds == {bool}:
        return list(map(_BOOL_TEXT.__getitem__, values))
    return [json.dumps(v, ensure_ascii=False) for v in values]


def _encode(batch: Batch) -> tuple[list, list[tuple[str, str, str, str]]]:
    """Each accepted fact's JSON text up to its ``sid`` (or, for an unusual one, its dict), and the refused facts.

    The text is byte for byte what ``json.dumps`` gives for the fact dict with
    ``sid`` added (tests/test_engine_boundary.py), so durable_rules sees the same
    batches as when it encoded them itself; only the Python work per fact is gone.
    """
    texts: list = [None] * batch.size
    refused: dict[int, tuple[str, str, str, str]] = {}
    for fields, positions, columns in batch.groups:
        bad = set()
        for i in _suspects(fields, columns):
            fact = dict(zip(fields, (column[i] for column in columns)))
            why = fact_refusal(fact)
            if why is not None:
                bad.add(i)
                refused[positions[i]] = (str(fact.get("id", "")), *why)
        if bad:
            keep = [i for i in range(len(positions)) if i not in bad]
            positions = [positions[i] for i in keep]
            columns = [[column[i] for i in keep] for column in columns]
        if not positions:
            continue
        if not fields or "sid" in fields or not all(type(k) is str for k in fields):  # encoded per session
            for n, row in zip(positions, zip(*columns) if columns else [()] * len(positions)):
                texts[n] = dict(zip(fields, row))
            continue
        head = "{" + ", ".join(_json_text(k).replace("%", "%%") + ": %s" for k in fields)
        for n, text in zip(positions, map(head.__mod__, zip(*map(_json_column, columns)))):
            texts[n] = text
    return texts, [refused[n] for n in sorted(refused)]


def _assert_text(rules, text: str):
    """``Ruleset.assert_facts`` for an already encoded batch; its exceptions carry the same message."""
    result = _dr.durable_rules_engine.assert_facts(rules._handle, text)
    if result[0] in (1, 2):
        rules._handle_result(result, json.loads(text))  # raises as durable_rules does
    return rules._handle_result(result, None)


def evaluate(name: str, facts: list[dict] | Batch) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """Assert ``facts`` (dicts with unique ``id``, or a ``Batch`` of them) in small sessions.

    Returns the (rule id, fact id) hits and the refused facts as (fact id, field,
    kind, value as shown; see ``describe``): a fact holding a value the C core cannot represent is not asserted, so
    no rule is evaluated on it; the caller reports it (fail closed).
    Raises EngineError when durable_rules fails on a chunk; the caller reports it.
    """
    host = _get_host()
    hits: list[tuple[str, str]] = []
    texts, refused = _encode(facts if isinstance(facts, Batch) else Batch.of_dicts(facts))
    accepted = [t for t in texts if t is not None]
    with _lock:
        for n in range(0, len(accepted), CHUNK_SIZE):
            sid = f"s{next(_sid_counter)}"
            tail = ', "sid": ' + _json_text(sid) + "}"
            items = [t + tail if type(t) is str else json.dumps(dict(t, sid=sid), ensure_ascii=False)
                     for t in accepted[n:n + CHUNK_SIZE]]
            items.append(json.dumps({"id": _SENTINEL, "sid": sid, "type": _SENTINEL}, ensure_ascii=False))
            host.hits = []
            host.action_errors = []
            try:
                rules = host.get_ruleset(name)
                host._handle_function(rules, functools.partial(_assert_text, rules), "[" + ", ".join(items) + "]",
                                      None)
            except MemoryError:
                raise  # the bundle fails as a whole (exit 2), not as an incomplete report
            except Exception as exc:
                # no delete_state here: after a failed batch it has segfaulted
                raise EngineError(f"evaluation failed in session {sid}: {type(exc).__name__}: {exc}") from exc
            if (_SENTINEL, _SENTINEL) not in host.hits:
                raise EngineError(f"session {sid}: the batch's actions did not run")
            host.delete_state(name, sid)
            if host.action_errors:
                raise EngineError("action failed: " + "; ".join(host.action_errors))
            hits.extend(h for h in host.hits if h[0] != _SENTINEL)
    return hits, refused
