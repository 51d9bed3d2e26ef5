"""The rule catalog (``asa-check rules list``): text, Markdown for the docs, JSON."""
from __future__ import annotations

import json

from engine.parameters import LEDGER, declared_text
from engine.report.words import t
from engine.rules import BUILTIN_RULES, RuleSet



def _rows(ruleset: RuleSet, lang: str) -> list[dict]:
    rows = [
        {"id": lr.rule.id, "severity": lr.rule.severity, "title": getattr(lr.rule.title, lang),
         "applies_to": lr.rule.applies_to,
         "source": lr.rule.source.citation(),
         "quote": " ".join(lr.rule.source.quote.split()),
         "parameters": {n: p.default for n, p in lr.rule.parameters.items()},
         "authority": {n: p.authority for n, p in lr.rule.parameters.items()},
         "billable_effect": lr.rule.billable_effect}
        for lr in ruleset.rules
    ]
    rows += [{"id": b.id, "severity": b.severity, "title": b.title[lang], "applies_to": "-", "source": b.source,
              "quote": "", "parameters": {}, "authority": {}, "billable_effect": b.billable_effect}
             for b in BUILTIN_RULES]
    return rows


def parameter_rows(ruleset: RuleSet, lang: str) -> list[dict]:
    """Every parameter (rules and rules/ledger.yaml): owner, value, authority, where it comes from."""
    owners = [(lr.rule.id, lr.rule.parameters, lr.rule.source) for lr in ruleset.rules]
    if ruleset.ledger is not None:
        owners.append((LEDGER, ruleset.ledger.parameters, None))
    out = []
    for owner, params, rule_source in owners:
        for name, p in params.items():
            src = p.source or rule_source
            dated = tuple((d.valid_from, d.valid_to, d.value) for d in p.values)
            out.append({"parameter": name, "owner": owner, "value": declared_text(p.default, dated, lang),
                        "authority": p.authority, "used_by": "ledger" if owner == LEDGER else p.used_by,
                        "source": src.citation() if src else ""})
    return out


def render_catalog(ruleset: RuleSet, fmt: str, lang: str) -> str:
    rows = _rows(ruleset, lang)
    if fmt == "json":
        return json.dumps({"rules": rows, "parameters": parameter_rows(ruleset, lang)}, ensure_ascii=False,
                          indent=2, default=str) + "\n"
    if fmt == "markdown":
        head = t("catalog_rules_head", lang) + "\n|---|---|---|---|\n"
        body = "".join(
            f"| `{r['id']}` | {r['severity']} | {r['title']} | {r['source']}"
            + (f": „{r['quote']}“" if r["quote"] else "") + " |\n"
            for r in rows)
        phead = "\n" + t("catalog_parameters_head", lang) + "\n|---|---|---|---|---|\n"
        pbody = "".join(f"| `{p['parameter']}` | `{p['owner']}` | {p['value']} | {t('authority_' + p['authority'], lang)} "
                        f"| {p['source']} |\n" for p in parameter_rows(ruleset, lang))
        return head + body + phead + pbody
    width = max(len(r["id"]) for r in rows)
    return "".join(f"{r['id']:<{width}}  {r['severity']:<7}  {r['title']}\n" for r in rows)


BEGIN, END = "<!-- catalog -->", "<!-- /catalog -->"


def embed_catalog(doc: str, table: str) -> str:
    """Replace the text between the catalog markers (or after the lone begin marker)."""
    head, sep, rest = doc.partition(BEGIN)
    if not sep:
        raise ValueError(f"no {BEGIN} marker")
    _, sep2, tail = rest.partition(END)
    return head + BEGIN + "\n" + table + END + (tail if sep2 else "\n")
