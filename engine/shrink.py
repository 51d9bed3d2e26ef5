"""A bundle's findings made smaller before they leave the worker (issue 14: the parent's memory).

The parent holds every bundle's result until the report is written: on the
national set (400 bundles, 58,000 findings) about 4.7 KB per finding, most of
it repeated text (rule id, severity, source, file and column names, the keys of
messages and evidence) and pydantic's per-instance set of given field names.
Here equal texts become one object and objects with the same field names share
one set, so pickling sends each once per bundle and the parent keeps each once
(measured: about 40 % less; docs/performance.md). Values do not change, only
which objects hold them.

The shared sets stay ordinary sets: pydantic copies a model's set before it
adds to it (``model_copy(update=…)``: waivers, baseline, money at stake), and
the models are frozen, so nothing writes to a shared set.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class _Sharing:
    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.names: dict[tuple[type, frozenset], set] = {}

    def value(self, v: Any) -> Any:
        if type(v) is str:
            return self.texts.setdefault(v, v)
        if isinstance(v, BaseModel):
            self.model(v)
            return v
        if type(v) is dict:
            return {self.value(k): self.value(x) for k, x in v.items()}
        if type(v) is tuple:
            return tuple(self.value(x) for x in v)
        if type(v) is list:
            return [self.value(x) for x in v]
        return v

    def model(self, m: BaseModel) -> None:
        d = m.__dict__
        for k, v in d.items():
            d[k] = self.value(v)
        given = m.__pydantic_fields_set__
        key = (type(m), frozenset(given))
        shared = self.names.get(key)
        if shared is None:
            shared = self.names[key] = set(given)
        object.__setattr__(m, "__pydantic_fields_set__", shared)


def share_findings(result) -> None:
    """``result`` (engine/check.py ``CheckResult``) with its findings' equal texts and field-name sets shared."""
    sharing = _Sharing()
    for f in list(result.findings) + list(result.waived):
        sharing.model(f)
