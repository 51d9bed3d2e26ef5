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

SCHEMA_VERSION = "2.2"  # 2.1: the audit (issue 12): money at stake, evidence, waivers, baseline; 2.2: rule_selection
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


Money = str  # a decimal as text ("62.50"): no figure passes through a float


class EvidenceParameter(_Closed):
    name: str
    value: Any
    origin: Literal["default", "dated", "override"]
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    dated_by: Optional[str] = None
    on: Optional[str] = None
    set_by: Optional[str] = None
    file: Optional[str] = None
    line: Optional[int] = None


class Evidence(_Closed):
    """The record's values the condition read and the parameters it compared with (with their origin)."""

    facts: dict[str, Any]
    parameters: list[EvidenceParameter]


class Waiver(_Closed):
    id: str
    reason: str
    approved_by: str
    reference: str
    expires: str
    file: str
    line: int


class Finding(_Closed):
    id: str = Field(description="stable fingerprint: same input, same id")
    rule: str
    severity: Severity
    entity: Entity
    location: Location
    message: str = Field(description="in the report's language")
    source: str = Field(description="the passage of the BA information sheet or the statute")
    fingerprint: str = Field(description="what a baseline matches on (the id; input findings without the line)")
    billable_effect: Literal["drop", "none"]
    hours: Optional[Money] = Field(description="hours taken out of billing; null: no effect on billing")
    amount: Optional[Money] = Field(description="their value at the contract's hourly price, EUR")
    contract_year: Optional[int]
    date: Optional[str] = Field(description="the record's date, ISO")
    evidence: Optional[Evidence]
    status: Optional[Literal["new", "persisting"]] = Field(description="against --baseline; null without one")
    waiver: Optional[Waiver] = Field(None, description="the decision that accepts it (waived findings only)")


class Stake(_Closed):
    hours: Money
    amount: Money


class YearStake(_Closed):
    hours: Money
    amount: Money
    payment_effect: Money
    price_per_hour: Money
    by_rule: dict[str, Stake]


class AtStake(_Closed):
    """Money at stake: the ledger's figures (asa-check ledger) to the cent."""

    hours: Money
    amount: Money
    payment_effect: Money
    by_rule: dict[str, Stake]
    by_year: dict[str, YearStake]


class Resolved(_Closed):
    id: Optional[str] = None
    fingerprint: Optional[str] = None
    rule: Optional[str] = None
    severity: Optional[str] = None
    entity: Optional[Any] = None
    location: Optional[Any] = None
    message: Optional[Any] = None


class BaselineUse(_Closed):
    file: str
    counts: dict[Literal["new", "persisting", "resolved"], int]
    resolved: list[Resolved]


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
    at_stake: AtStake
    waived: list[Finding] = Field(description="findings a waiver accepts: listed, not counted")
    baseline: Optional[BaselineUse] = None


class NotChecked(_Closed):
    submission: str
    error: str


class RuleSelection(_Closed):
    rule: list[str] = Field(description="--rule: only these rules (ids or globs)")
    skip_rule: list[str] = Field(description="--skip-rule: these rules left out")


class Audit(_Closed):
    check_date: str = Field(description="--as-of, default the day of the run; waivers expire against it")
    tool_version: str
    waivers_file: Optional[str]
    baseline_file: Optional[str]
    rule_selection: Optional[RuleSelection] = Field(
        None, description="--rule/--skip-rule in force: findings and the totals at stake are those of the selected "
                          "rules; the ledger stays complete")


class WaiverApplied(_Closed):
    id: str
    findings: int


class WaiverExpired(_Closed):
    id: str
    expires: str
    findings: int
    file: str
    line: int


class WaiverStale(_Closed):
    id: str
    file: str
    line: int


class WaiversUse(_Closed):
    applied: list[WaiverApplied]
    expired: list[WaiverExpired]
    stale: list[WaiverStale]


class Report(_Closed):
    """The JSON report of one run: one or many bundles, the same shape."""

    model_config = ConfigDict(extra="forbid", title="asa-check report",
                              json_schema_extra={"$id": "https://asa-check.invalid/schemas/report.json"})
    schema_version: str = Field(description=f"version of this shape; this schema: {SCHEMA_VERSION}")
    rules_version: str
    summary: Summary = Field(description="totals over every bundle checked")
    submissions: list[Submission]
    not_checked: list[NotChecked] = Field(description="bundles that could not be checked (exit 2)")
    audit: Optional[Audit] = None
    waivers: Optional[WaiversUse] = Field(None, description="with --waivers: applied, expired, stale")


