"""The audit's parts of the JSON report: money at stake, evidence, waivers, baseline.

Money and hours are strings ("93.75", "1.50"), so no figure passes through a
float; they are the ledger's figures (``asa-check ledger --format json``:
``dropped_hours``, ``dropped_amount``, ``dropped_amount_by_rule``,
``payment_effect``) to the cent.
"""
from __future__ import annotations

from engine.audit.run import status_counts
from engine.audit.baseline import match_key
from engine.report.ledger_rows import hours_str
from engine.report.why import evidence_dict
from schemas.finding import Finding


def finding_extra(f: Finding) -> dict:
    """Fields of a finding added by the audit (after the check's own fields)."""
    out = {
        "fingerprint": match_key(f),
        "billable_effect": "drop" if f.drops_service and f.severity == "error" else "none",
        "hours": None if f.hours is None else str(f.hours),
        "amount": None if f.amount is None else str(f.amount),
        "contract_year": f.contract_year,
        "date": f.date.isoformat() if f.date else None,
        "evidence": evidence_dict(f.evidence),
        "status": f.status,
    }
    if f.waiver is not None:
        w = f.waiver
        out["waiver"] = {"id": w.id, "reason": w.reason, "approved_by": w.approved_by, "reference": w.reference,
                         "expires": w.expires.isoformat(), "file": w.file, "line": w.line}
    return out


def stake_dict(stake) -> dict:
    return {
        "hours": hours_str(stake.hours),
        "amount": str(stake.amount),
        "payment_effect": str(stake.payment_effect),
        "by_rule": {r: {"hours": hours_str(h), "amount": str(a)} for r, (h, a) in stake.by_rule().items()},
        "by_year": {str(y.year): {"hours": hours_str(y.hours), "amount": str(y.amount),
                                  "payment_effect": str(y.payment_effect), "price_per_hour": str(y.price_per_hour),
                                  "by_rule": {r: {"hours": hours_str(h), "amount": str(a)} for r, (h, a) in y.by_rule.items()}}
                    for y in stake.years},
    }


def result_extra(result, finding_dict) -> dict:
    """``at_stake``, ``waived`` and ``baseline`` of one bundle."""
    out = {"at_stake": stake_dict(result.stake), "waived": [finding_dict(f) for f in result.waived]}
    if result.baseline_file:
        out["baseline"] = {"file": result.baseline_file, "counts": status_counts(result),
                           "resolved": [_resolved(r) for r in result.resolved]}
    return out


def _resolved(r: dict) -> dict:
    keys = ("id", "fingerprint", "rule", "severity", "entity", "location", "message")
    return {k: r[k] for k in keys if k in r}


def run_extra(info) -> dict:
    """The run's audit header: check date, tool version, waivers (applied, expired, stale) and baseline files."""
    if info is None:
        return {}
    out = {"audit": {"check_date": info.check_date.isoformat(), "tool_version": info.tool_version,
                     "waivers_file": info.waivers_file or None, "baseline_file": info.baseline_file or None,
                     "rule_selection": info.rule_selection or None}}
    use = info.waivers
    if use is not None:
        out["waivers"] = {
            "applied": [{"id": w.id, "findings": use.applied[w.id]} for w in use.waivers if use.applied.get(w.id)],
            "expired": [{"id": w.id, "expires": w.expires.isoformat(), "findings": use.expired[w.id],
                         "file": w.file, "line": w.line} for w in use.expired_waivers()],
            "stale": [{"id": w.id, "file": w.file, "line": w.line} for w in use.stale()],
        }
    return out
