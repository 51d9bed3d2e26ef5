"""A finding: one violation of one rule by one record."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


class Entity(BaseModel):
    model_config = ConfigDict(frozen=True)
    type: str
    id: str


class Location(BaseModel):
    model_config = ConfigDict(frozen=True)
    file: str
    line: int = 0
    column: str = ""


class ParameterValue(BaseModel):
    """A parameter the condition compared with, its value and where the value came from."""

    model_config = ConfigDict(frozen=True)
    name: str
    value: Any
    # default: the rule's declared default; dated: a declared dated value (valid_from/valid_to, selected
    # by the record's field dated_by on the date ``on``); override: set by the auditor or contract.yaml
    origin: Literal["default", "dated", "override"]
    valid_from: Optional[dt.date] = None
    valid_to: Optional[dt.date] = None
    dated_by: str = ""
    on: Optional[dt.date] = None
    set_by: str = ""  # override: "auditor" | "contract"
    file: str = ""  # override: the file and line that set it
    line: int = 0


class Evidence(BaseModel):
    """Why a finding was raised: the record's values the condition read, the parameters it compared with."""

    model_config = ConfigDict(frozen=True)
    facts: dict[str, Any] = {}
    parameters: tuple[ParameterValue, ...] = ()


class WaiverRef(BaseModel):
    """The recorded decision that accepts a finding (engine/audit/waivers.py)."""

    model_config = ConfigDict(frozen=True)
    id: str
    reason: str
    approved_by: str
    reference: str
    expires: dt.date
    file: str
    line: int


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str  # stable fingerprint: same input, same id
    rule: str
    severity: Literal["error", "warning", "info"]
    entity: Entity
    location: Location
    message: dict[str, str]  # {"de": ..., "en": ...}
    source: str = ""
    # a service this finding makes unbillable (rule billable_effect: drop)
    drops_service: bool = False
    # money at stake (engine/audit/stake.py, from the ledger): the hours this finding takes out of billing
    # (rounded to 0.01 h for display), their value at the contract's hourly price (EUR, exact, rounded
    # half-up to cents once) and the contract year they belong to; None: no effect on billing
    hours: Optional[Decimal] = None
    amount: Optional[Decimal] = None
    contract_year: Optional[int] = None
    # the record's own date (service date, start of a period): waivers may select by date range
    date: Optional[dt.date] = None
    evidence: Optional[Evidence] = None
    # against a baseline (--baseline): "new" | "persisting"; None without a baseline
    status: Optional[Literal["new", "persisting"]] = None
    waiver: Optional[WaiverRef] = None

    def sort_key(self) -> tuple:
        return (self.rule, self.location.file, self.location.line, self.entity.type, self.entity.id, self.id)
