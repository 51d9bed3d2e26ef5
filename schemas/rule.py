"""Pydantic model of a rule file (``rules/*.yaml``).

A condition is data, never code::

    condition:
      all:
        - {field: element, in: [SP, SFU]}
        - {field: participant_count, gt: {param: max_group_size}}

Nodes: ``all: [...]``, ``any: [...]``, ``not: {...}`` and comparisons
``{field: F, <op>: operand}`` with op one of eq, ne, gt, gte, lt, lte, in, not_in.
An operand is a literal, ``{param: NAME}`` or ``{field: OTHER_FIELD}`` (same fact).
"""
from __future__ import annotations

from datetime import date
from typing import Iterator, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, model_validator

Scalar = Union[StrictBool, StrictInt, StrictFloat, date, str]
# a parameter may hold a list (for in / not_in), e.g. accepted suspension reasons
ParamValue = Union[Scalar, list[Scalar]]
OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class ParamRef(_Strict):
    param: str


class FieldRef(_Strict):
    field: str


Operand = Union[ParamRef, FieldRef, Scalar]


class Cmp(_Strict):
    field: str
    eq: Optional[Operand] = None
    ne: Optional[Operand] = None
    gt: Optional[Operand] = None
    gte: Optional[Operand] = None
    lt: Optional[Operand] = None
    lte: Optional[Operand] = None
    in_: Optional[Union[ParamRef, list[Scalar]]] = Field(default=None, alias="in")
    not_in: Optional[Union[ParamRef, list[Scalar]]] = None

    @model_validator(mode="after")
    def _one_operator(self) -> "Cmp":
        given = [op for op in OPS if self.operand_of(op) is not None]
        if len(given) != 1:
            raise ValueError(f"a comparison needs exactly one operator of {', '.join(OPS)}; got {given or 'none'}")
        if given[0] in ("in", "not_in") and self.operand_of(given[0]) == []:
            raise ValueError(f"'{given[0]}' needs a non-empty list")
        return self

    def operand_of(self, op: str):
        return getattr(self, "in_" if op == "in" else op)

    @property
    def op(self) -> str:
        return next(op for op in OPS if self.operand_of(op) is not None)

    @property
    def operand(self):
        return self.operand_of(self.op)


class All(_Strict):
    all: list["Cond"] = Field(min_length=1)


class AnyOf(_Strict):
    any: list["Cond"] = Field(min_length=1)


class Not(_Strict):
    not_: "Cond" = Field(alias="not")


Cond = Union[All, AnyOf, Not, Cmp]


def comparisons(node: Cond, path: tuple = ()) -> Iterator[tuple[tuple, Cmp]]:
    """The one walk over a condition tree: every comparison, depth first, with its YAML path
    (``("all", 0, "not")``). tests/reference_eval.py keeps its own walk on purpose."""
    if isinstance(node, All):
        for i, child in enumerate(node.all):
            yield from comparisons(child, path + ("all", i))
    elif isinstance(node, AnyOf):
        for i, child in enumerate(node.any):
            yield from comparisons(child, path + ("any", i))
    elif isinstance(node, Not):
        yield from comparisons(node.not_, path + ("not",))
    elif isinstance(node, Cmp):
        yield path, node
All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


class Text(_Strict):
    de: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Source(_Strict):
    document: str = Field(min_length=1)
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)

    def citation(self, marks: str = "", one_line: bool = False) -> str:
        """'document, section'; given quote marks (opening and closing), the quoted passage after a colon."""
        where = f"{self.document}, {self.section}"
        if not marks:
            return where
        quote = " ".join(self.quote.split()) if one_line else self.quote
        return f"{where}: {marks[0]}{quote}{marks[1]}"


class DatedValue(_Strict):
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    value: ParamValue


Authority = Literal["statute", "tender", "contract"]


class Parameter(_Strict):
    """A legal number, period or list, with who may change it (``authority``).

    statute: SGB III, nobody overrides it; tender: the BA's tender conditions,
    only the auditor's parameters file may override it; contract: the individual
    contract, ``contract.yaml`` may set it too (see engine/parameters.py).
    """

    default: ParamValue
    description: Text
    authority: Authority
    # where the value comes from, when not (only) from the rule's own source passage
    source: Optional[Source] = None
    # condition: named in the rule's condition; derivation: read by engine/facts.py or engine/ledger.py
    used_by: Literal["condition", "derivation"] = "condition"
    # a date field of the fact that selects which dated value is in force
    dated_by: Optional[str] = None
    values: list[DatedValue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dated(self) -> "Parameter":
        if self.values and not self.dated_by:
            raise ValueError("dated 'values' need 'dated_by' (the fact date that selects the value)")
        if self.used_by == "derivation" and self.dated_by:
            raise ValueError("a derivation parameter cannot be dated (dated_by selects by a fact's date)")
        return self


class LedgerParameters(_Strict):
    """``rules/ledger.yaml``: the parameters of the hour ledger (engine/ledger.py); each needs a source."""

    parameters: dict[str, Parameter] = Field(min_length=1)

    @model_validator(mode="after")
    def _sourced(self) -> "LedgerParameters":
        missing = [n for n, p in self.parameters.items() if p.source is None]
        if missing:
            raise ValueError(f"ledger parameters need a source: {', '.join(missing)}")
        return self


class EntityRef(_Strict):
    type: str
    field: str


class Detail(_Strict):
    """A message part added when its condition also holds (evaluated by the engine too)."""

    when: Cond
    de: str = Field(min_length=1)
    en: str = Field(min_length=1)


class LocationRef(_Strict):
    """Fact fields holding the place a finding should point at (default: the fact's own)."""

    file: str
    line: str


class Example(_Strict):
    name: str
    facts: list[dict] = Field(min_length=1)
    parameters: dict = Field(default_factory=dict)
    expect: list[Union[str, int]] = Field(default_factory=list)


class Rule(_Strict):
    id: str = Field(pattern=r"^ASA-[A-Z0-9]+(-[A-Z0-9]+)*$")
    title: Text
    severity: Literal["error", "warning", "info"]
    source: Source
    applies_to: str
    entity: Optional[EntityRef] = None
    location: Optional[LocationRef] = None
    # "drop": a service this rule flags is not billable (the ledger leaves it out)
    billable_effect: Literal["none", "drop"] = "none"
    reading: Optional[Text] = None
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    condition: Cond
    message: Text
    # specifics appended to the message: "<message>: <detail>; <detail>"
    details: list[Detail] = Field(default_factory=list)
    examples: list[Example] = Field(min_length=2)

    def comparisons(self) -> Iterator[tuple[tuple, Cmp]]:
        """Every comparison of the condition, then of each detail's ``when``, with its YAML path."""
        yield from comparisons(self.condition, ("condition",))
        for k, detail in enumerate(self.details):
            yield from comparisons(detail.when, ("details", k, "when"))
