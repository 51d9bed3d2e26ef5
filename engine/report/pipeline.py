"""Check results for pipelines: JUnit XML (one test case per rule and bundle) and SARIF 2.1.0."""
from __future__ import annotations

from importlib import metadata

from engine.report.junit import Case, Outcome, Suite, junit_xml
from engine.report.words import more_findings, t
from engine.report.audit_json import run_extra, stake_dict
from engine.report.audit_pipeline import junit_properties, sarif_extra, stake_suffix
from engine.rules import BUILTIN_RULES, RuleSet
from engine.report.json_pieces import pieces, placeholder
from engine.report.safe import printable, uri_path
from schemas.finding import Finding

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    try:
        return metadata.version("asa-check")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0"


def render_junit(results: list, lang: str, failed: list[tuple[str, str]] = (), info=None) -> str:
    """A failing test case per rule with findings; rules without findings pass; a bundle not checked errs."""
    suites = []
    for result in results:
        by_rule: dict[str, list[Finding]] = {}
        for f in result.findings:
            by_rule.setdefault(f.rule, []).append(f)
        # values from the bundle pass through printable: XML 1.0 cannot hold most control characters
        name = printable(result.submission)
        cases = [] if by_rule else [Case(name, t("no_findings", lang).rstrip("."))]
        for rule_id in sorted(by_rule):
            items = by_rule[rule_id]
            lines = [printable(f"{f.location.file}:{f.location.line}: {t(f.entity.type, lang)} {f.entity.id}: "
                               f"{f.message[lang]}" + stake_suffix(f)) for f in items]
            if result.omitted_count(rule_id):
                lines.append(more_findings(result, rule_id, lang))
            total = len(items) + result.omitted_count(rule_id)
            cases.append(Case(name, printable(rule_id),
                              failures=[Outcome(t("n_findings", lang).format(n=total), "\n".join(lines),
                                                items[0].severity)]))
        # a clean result never hides a relaxed limit
        properties = [(printable(f"{t('parameter_override', lang)} {a.key}"), printable(a.text(lang)))
                      for a in result.overrides]
        # money at stake (engine/audit/stake.py), waived findings and the baseline (issue 12)
        properties += [(key, printable(value)) for key, value in junit_properties(result)]
        suites.append(Suite(name, len(by_rule) or 1, len(by_rule), cases, properties=properties))
    for name, why in failed:
        error = Outcome(printable(why), printable(why), t("not_checked_case", lang))
        suites.append(Suite(printable(name), 1, 0, [Case(printable(name), "check", error=error)], errors=1))
    return junit_xml("asa-check", suites)


def _rule_descriptor(lr, lang: str) -> dict:
    r = lr.rule
    reading = getattr(r.reading, lang) if r.reading else ""
    source = r.source.citation(marks='""', one_line=True)
    return {
        "id": r.id,
        "name": r.id,
        "shortDescription": {"text": getattr(r.title, lang)},
        "fullDescription": {"text": source},
        "help": {"text": (reading + "\n\n" if reading else "") + source},
        "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
        "properties": {"applies_to": r.applies_to, "billable_effect": r.billable_effect,
                       "parameters": {n: p.default for n, p in r.parameters.items()},
                       "authority": {n: p.authority for n, p in r.parameters.items()}},
    }


def render_sarif(results: list, ruleset: RuleSet, lang: str, failed: list[tuple[str, str]] = (), info=None) -> str:
    return b"".join(sarif_pieces(results, ruleset, lang, failed, info)).decode("utf-8")


def sarif_pieces(results: list, ruleset: RuleSet, lang: str, failed: list[tuple[str, str]] = (), info=None
                 ) -> list[bytes]:
    """The SARIF report as UTF-8 pieces, one per submission's findings (engine/report/json_pieces.py)."""
    descriptors = [_rule_descriptor(lr, lang) for lr in ruleset.rules]
    for b in BUILTIN_RULES:
        descriptors.append({"id": b.id, "name": b.id, "shortDescription": {"text": b.title[lang]},
                            "defaultConfiguration": {"level": SARIF_LEVEL[b.severity]}})
    index = {d["id"]: i for i, d in enumerate(descriptors)}

    def findings_of(result) -> list[dict]:
        base = (result.bundle_path or result.submission).rstrip("/")
        out = []
        for f in list(result.findings) + list(result.waived):
            loc = {"artifactLocation": {"uri": uri_path(f"{base}/{f.location.file}" if f.location.file else base)}}
            if f.location.line > 0:
                loc["region"] = {"startLine": f.location.line}
            out.append(sarif_extra(f) | {
                "ruleId": f.rule,
                "ruleIndex": index.get(f.rule, 0),
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": printable(f.message[lang])},
                "locations": [{"physicalLocation": loc,
                               "logicalLocations": [{"name": printable(f.entity.id), "kind": f.entity.type}]}],
                "partialFingerprints": {"asaCheckFinding/v1": f.id},
            })
        return out

    marker = placeholder()
    run = {
        "tool": {"driver": {"name": "asa-check", "version": _version(), "rules": descriptors}},
        "results": marker,
        # a clean result never hides a relaxed limit
        "properties": {"parameterOverrides": [dict(a.as_dict(), submission=r.submission)
                                              for r in results for a in r.overrides],
                       "atStake": [{"submission": r.submission} | stake_dict(r.stake) for r in results]}
        | run_extra(info),
    }
    notes = [{"level": "warning", "message": {"text": f"{printable(result.submission)}: {rule_id}: "
                                                      f"{more_findings(result, rule_id, lang)}"},
              "associatedRule": {"id": rule_id, "index": index.get(rule_id, 0)}}
             for result in results for rule_id in sorted(result.omitted)]
    notes += [{"level": "error", "message": {"text": printable(f"{name}: {why}")},
               "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri_path(name.rstrip("/"))}}}]}
              for name, why in failed]
    if notes:  # findings beyond the limit per rule are not listed as results
        run["invocations"] = [{"executionSuccessful": not failed, "toolExecutionNotifications": notes}]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    # the results are items of a list in a run, in the list of runs, in the document: four levels deep
    return pieces(doc, marker, (findings_of(r) for r in results), depth=4)
