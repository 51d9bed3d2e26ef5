"""The JSON report of ``asa-check check --format json`` (and ``-o FILE.json``), as pydantic models.

One shape for one bundle and for many: ``submissions`` is always a list.
``asa-check schema report`` prints the JSON Schema generated from these
models; ``tests/test_schemas.py`` validates real reports against it. A change
of shape changes ``SCHEMA_VERSION`` (major: a field removed or changed in
meaning; minor: a field added).
"""
from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2.0"
Severity = Literal["error", "warning", "info"]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Summary(_Closed):
    """Counts of all findings by severity, the listed and the omitted ones."""

    error: int
    warning: int
    info: int


class Entity(_Closed):
    type: str = Field(description="record type: service, staff, participant, contract, contract_year, file, …")
    id: str = Field(description="pseudonymous id of the record (or file name)")


class Location(_Closed):
    file: str = Field(description="file (or sheet) in the bundle; empty when none")
    line: int = Field(description="1-based line (row) in the file; 0 when none")
    column: Optional[str] = Field(None, description="column or key path; absent when none")


class Finding(_Closed):
    id: str = Field(description="stable fingerprint: same input, same id")
    rule: str
    severity: Severity
    entity: Entity
    location: Location
    message: str = Field(description="in the report's language")
    source: str = Field(description="the passage of the BA information sheet or the statute")


class DatedValue(_Closed):
    valid_from: Any = None
    valid_to: Any = None
    value: Any = None


class Override(_Closed):
    """A parameter value in force other than the rules' own (auditor's file or contract.yaml)."""

    parameter: str
    rules: list[str]
    authority: Literal["statute", "tender", "contract"]
    value: Any
    declared: Any
    declared_dated: list[DatedValue]
    set_by: str
    file: str
    line: int


class Omitted(_Closed):
    """Findings beyond the limit per rule (``--max-findings``): counted in the summary, not listed."""

    max_findings_per_rule: Optional[int]
    by_rule: dict[str, dict[Severity, int]]


class Submission(_Closed):
    submission: str = Field(description="name of the bundle")
    rules_version: str
    summary: Summary
    parameter_overrides: list[Override]
    findings: list[Finding]
    omitted: Optional[Omitted] = None


class NotChecked(_Closed):
    submission: str
    error: str


class Report(_Closed):
    """The JSON report of one run: one or many bundles, the same shape."""

    model_config = ConfigDict(extra="forbid", title="asa-check report",
                              json_schema_extra={"$id": "https://asa-check.invalid/schemas/report.json"})
    schema_version: str = Field(description=f"version of this shape; this schema: {SCHEMA_VERSION}")
    rules_version: str
    summary: Summary = Field(description="totals over every bundle checked")
    submissions: list[Submission]
    not_checked: list[NotChecked] = Field(description="bundles that could not be checked (exit 2)")


