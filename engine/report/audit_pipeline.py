"""The audit's parts of JUnit and SARIF: money at stake, evidence, baseline state, waivers as suppressions."""
from __future__ import annotations

from engine.audit.run import status_counts
from engine.ledger import to_decimal
from engine.report.audit_json import finding_extra
from schemas.finding import Finding

# SARIF 2.1.0 §3.27.24 baselineState
BASELINE_STATE = {"new": "new", "persisting": "unchanged"}


def junit_properties(result) -> list[tuple[str, str]]:
    stake = result.stake
    props = [("unbillable hours", str(to_decimal(stake.hours, 2))), ("unbillable amount EUR", str(stake.amount)),
             ("payment effect EUR", str(stake.payment_effect)), ("waived findings", str(len(result.waived)))]
    for y in stake.years:
        props.append((f"unbillable contract year {y.year}",
                      f"{to_decimal(y.hours, 2)} h, EUR {y.amount}, payment effect EUR {y.payment_effect}"))
    for rule, (hours, amount) in stake.by_rule().items():
        props.append((f"unbillable {rule}", f"{to_decimal(hours, 2)} h, EUR {amount}"))
    if result.selection:  # the totals above are those of the selected rules; the ledger is complete
        props.append(("rule selection", " ".join([f"--rule {r}" for r in result.selection.get("rule", [])]
                                                 + [f"--skip-rule {r}" for r in result.selection.get("skip_rule", [])])))
    if result.baseline_file:
        counts = status_counts(result)
        props += [(f"baseline {k}", str(v)) for k, v in counts.items()]
    return props


def stake_suffix(f: Finding) -> str:
    if f.hours is None:
        return ""
    year = f", contract year {f.contract_year}" if f.contract_year is not None else ""
    return f" [unbillable {f.hours} h, EUR {f.amount}{year}]" + (" [new]" if f.status == "new" else "")


def sarif_extra(f: Finding) -> dict:
    """Result properties, baselineState and, for a waived finding, an accepted external suppression."""
    extra = finding_extra(f)
    props = {k: extra[k] for k in ("billable_effect", "hours", "amount", "contract_year", "evidence") if extra.get(k)
             is not None}
    out: dict = {"properties": props}
    if f.status in BASELINE_STATE:
        out["baselineState"] = BASELINE_STATE[f.status]
    if f.waiver is not None:
        w = f.waiver
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": f"{w.reason} ({w.approved_by}; {w.reference}; until {w.expires})",
                                "properties": {"waiver": w.id, "expires": w.expires.isoformat()}}]
    return out
