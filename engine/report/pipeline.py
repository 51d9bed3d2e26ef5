"""Check results for pipelines: JUnit XML (one test case per rule and bundle) and SARIF 2.1.0."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import metadata

from engine.report.words import more_findings
from engine.rules import RuleSet
from engine.report.safe import json_safe, printable, uri_path
from schemas.finding import Finding

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    try:
        return metadata.version("asa-check")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0"


def render_junit(results: list, lang: str, failed: list[tuple[str, str]] = ()) -> str:
    """A failing test case per rule with findings; rules without findings pass; a bundle not checked errs."""
    suites = ET.Element("testsuites", name="asa-check")
    for result in results:
        by_rule: dict[str, list[Finding]] = {}
        for f in result.findings:
            by_rule.setdefault(f.rule, []).append(f)
        # values from the bundle pass through printable: XML 1.0 cannot hold most control characters
        name = printable(result.submission)
        suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(by_rule) or 1),
                              failures=str(len(by_rule)))
        if result.overrides:  # a clean result never hides a relaxed limit
            props = ET.SubElement(suite, "properties")
            for a in result.overrides:
                ET.SubElement(props, "property", name=printable(f"parameter override {a.key}"), value=printable(a.text(lang)))
        if not by_rule:
            ET.SubElement(suite, "testcase", classname=name, name="no findings")
        for rule_id in sorted(by_rule):
            items = by_rule[rule_id]
            case = ET.SubElement(suite, "testcase", classname=name, name=printable(rule_id))
            lines = [printable(f"{f.location.file}:{f.location.line}: {f.entity.type} {f.entity.id}: {f.message[lang]}")
                     for f in items]
            if result.omitted_count(rule_id):
                lines.append(more_findings(result, rule_id, lang))
            total = len(items) + result.omitted_count(rule_id)
            failure = ET.SubElement(case, "failure", message=f"{total} finding(s)", type=items[0].severity)
            failure.text = "\n".join(lines)
    for name, why in failed:
        suite = ET.SubElement(suites, "testsuite", name=printable(name), tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname=printable(name), name="check")
        ET.SubElement(case, "error", message=printable(why), type="not checked").text = printable(why)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _rule_descriptor(lr, lang: str) -> dict:
    r = lr.rule
    reading = getattr(r.reading, lang) if r.reading else ""
    source = f"{r.source.document}, {r.source.section}: \"{' '.join(r.source.quote.split())}\""
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


def render_sarif(results: list, ruleset: RuleSet, lang: str, failed: list[tuple[str, str]] = ()) -> str:
    descriptors = [_rule_descriptor(lr, lang) for lr in ruleset.rules]
    for rid, text in (("ASA-INPUT", "bad input data"), ("ASA-ENGINE", "rule could not be evaluated")):
        descriptors.append({"id": rid, "name": rid, "shortDescription": {"text": text},
                            "defaultConfiguration": {"level": "error"}})
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    sarif_results = []
    for result in results:
        base = (result.bundle_path or result.submission).rstrip("/")
        for f in result.findings:
            loc = {"artifactLocation": {"uri": uri_path(f"{base}/{f.location.file}" if f.location.file else base)}}
            if f.location.line > 0:
                loc["region"] = {"startLine": f.location.line}
            sarif_results.append({
                "ruleId": f.rule,
                "ruleIndex": index.get(f.rule, 0),
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": printable(f.message[lang])},
                "locations": [{"physicalLocation": loc,
                               "logicalLocations": [{"name": printable(f.entity.id), "kind": f.entity.type}]}],
                "partialFingerprints": {"asaCheckFinding/v1": f.id},
            })
    run = {
        "tool": {"driver": {"name": "asa-check", "version": _version(), "rules": descriptors}},
        "results": sarif_results,
        # a clean result never hides a relaxed limit
        "properties": {"parameterOverrides": [dict(a.as_dict(), submission=r.submission)
                                              for r in results for a in r.overrides]},
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
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
