"""A pydantic base model for the many small objects built per input row (records, facts).

Pydantic keeps, per instance, the set of field names that were given: for a
30-field fact that set takes about 2 KB, more than the values themselves. All
objects of one type are built with the same names, so they share one frozen
set. Nothing here writes to that set (no ``validate_assignment``, no
``model_copy(update=…)`` on these models).
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_SHARED: dict[frozenset, frozenset] = {}


class LeanModel(BaseModel):
    def model_post_init(self, context: Any, /) -> None:
        names = frozenset(self.__pydantic_fields_set__)
        object.__setattr__(self, "__pydantic_fields_set__", _SHARED.setdefault(names, names))

    @classmethod
    def trusted(cls, values: dict[str, Any]):
        """An instance from ``values`` (every field, in declaration order, each of its exact type), not validated.

        For objects derived in bulk from validated records (engine/facts.py): the
        same instance as ``cls(**values)`` (tests/test_facts.py), at a fraction of
        the cost. Never for input. ``values`` becomes the instance's ``__dict__``.
        """
        layout = _LAYOUT.get(cls)
        if layout is None:
            names = tuple(cls.model_fields)
            layout = _LAYOUT[cls] = (names, _SHARED.setdefault(frozenset(names), frozenset(names)),
                                     {} if cls.__private_attributes__ else None)
        names, given, private = layout
        if tuple(values) != names:
            raise ValueError(f"{cls.__name__}.trusted needs every field in declaration order")
        obj = cls.__new__(cls)
        object.__setattr__(obj, "__dict__", values)
        object.__setattr__(obj, "__pydantic_fields_set__", given)
        object.__setattr__(obj, "__pydantic_extra__", None)
        object.__setattr__(obj, "__pydantic_private__", None if private is None else {})
        return obj


_LAYOUT: dict[type, tuple[tuple[str, ...], frozenset, dict | None]] = {}
