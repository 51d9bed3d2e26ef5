"""Evidence of a finding as one line of text: the values read, each parameter and where it came from.

Fields are shown by their label (schemas/fact_labels.py) in the report's language, codes of the data
contract with their label as in the messages: "Teilnahme = rechtzeitig abgesagt (absent_announced)".
JSON keeps the field names (``evidence_dict``).
"""
from __future__ import annotations

import math

from engine.report.messages import LABELLED, fmt_date, fmt_value
from engine.report.words import t
from schemas.fact_labels import CODE_FIELDS, field_label
from schemas.finding import Evidence, ParameterValue


def _v(value, lang: str) -> str:
    return fmt_value(list(value) if isinstance(value, tuple) else value, lang)


def fact_text(name: str, value, lang: str) -> str:
    """"Zahl der Teilnehmenden = 7", "Teilnahme = rechtzeitig abgesagt (absent_announced)"."""
    column = CODE_FIELDS.get(name)
    shown = _v(value, lang)
    if column in LABELLED and lang == "de" and isinstance(value, str):
        from engine.report.words import code_label

        label = code_label(column, value, lang)
        shown = shown if label == value else f"{label} ({value})"
    return f"{field_label(name, lang)} = {shown}"


def origin_text(p: ParameterValue, lang: str) -> str:
    period = []
    if p.valid_from is not None:
        period.append((t("why_valid_from", lang)) + fmt_date(p.valid_from, lang))
    if p.valid_to is not None:
        period.append((t("why_to", lang)) + fmt_date(p.valid_to, lang))
    why = ""
    if period and p.dated_by and p.on is not None:
        why = (t("why_as", lang)) + f"{field_label(p.dated_by, lang)} = {fmt_date(p.on, lang)}"
    if p.origin == "override":
        who = t(f"why_set_by_{p.set_by}", lang) if p.set_by in ("auditor", "contract") else p.set_by
        where = f"{p.file}:{p.line}" if p.file else ""
        head = t("why_overridden_by", lang).format(who=who) + (f", {where}" if where else "")
        return head + (", " + " ".join(period) + why if period else "")
    if p.origin == "dated":
        return " ".join(period) + why
    if p.dated_by and p.on is not None:
        return t("why_default_not_dated", lang).format(field=field_label(p.dated_by, lang), on=fmt_date(p.on, lang))
    return t("why_rule_default", lang)


def parameter_text(p: ParameterValue, lang: str) -> str:
    return f"{p.name} = {_v(p.value, lang)} ({origin_text(p, lang)})"


def why_text(evidence: Evidence | None, lang: str) -> str:
    """"Zahl der Teilnehmenden = 7; max_group_size = 6 (gültig ab 01.08.2024, da Beginn der begleitenden Phase
    (Kohorte) = 01.08.2024)"."""
    if evidence is None:
        return ""
    parts = [fact_text(name, value, lang) for name, value in evidence.facts.items()]
    parts += [parameter_text(p, lang) for p in evidence.parameters]
    return "; ".join(parts)


def _finite(v):
    """JSON has no NaN or infinity: such a value is written as text."""
    return str(v) if isinstance(v, float) and not math.isfinite(v) else v


def evidence_dict(evidence: Evidence | None) -> dict | None:
    """JSON: values as plain JSON (dates ISO, lists), parameters with their origin."""
    if evidence is None:
        return None
    from engine.parameters import plain

    def param(p: ParameterValue) -> dict:
        out = {"name": p.name, "value": _finite(plain(p.value)), "origin": p.origin}
        if p.valid_from or p.valid_to:
            out |= {"valid_from": plain(p.valid_from), "valid_to": plain(p.valid_to)}
        if p.dated_by:
            out |= {"dated_by": p.dated_by, "on": plain(p.on)}
        if p.origin == "override":
            out |= {"set_by": p.set_by, "file": p.file, "line": p.line}
        return out

    return {"facts": {k: _finite(plain(v)) for k, v in evidence.facts.items()},
            "parameters": [param(p) for p in evidence.parameters]}
