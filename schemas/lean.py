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
