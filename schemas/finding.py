"""A finding: one violation of one rule by one record."""
from __future__ import annotations

from typing import Literal

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
    hours: float = 0.0

    def sort_key(self) -> tuple:
        return (self.rule, self.location.file, self.location.line, self.entity.type, self.entity.id, self.id)
