"""Lint a rule set: everything a rule author can get wrong that the schema cannot see.

Unknown fact fields or parameters (in conditions, messages, dated parameters,
examples), operand types that cannot match the field, duplicate ids, a file name
that differs from the id, overlapping dated parameter periods, examples that do
not show both a violating and a compliant case, source quotes (of rules and of
parameters) that are not found verbatim in the source document, condition
parameters the condition does not use, and derivation or ledger parameters
(``rules/ledger.yaml``) the derivation does not read, or reads but finds
undeclared or of the wrong kind (engine/parameters.py ``DERIVED``).
"""
from __future__ import annotations

import re
import typing
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from engine.compile import compile_details, compile_rule, value_kind
from engine.durable_adapter import MAX_OR_BRANCHES, condition_refusal
from engine.report.messages import placeholders
from engine.parameters import DERIVED, LEDGER
from engine.authoring.problems import RuleProblem, schema_problem
from engine.report.words import Word
from engine.rules import LoadedLedger, LoadedRule, RuleSet, _display
from schemas.facts import FACT_TYPES, Fact
from schemas.rule import FieldRef, ParamRef, Parameter, Source

SOURCES_DIR = Path(__file__).resolve().parents[2] / "docs" / "sources"
SOURCE_FILES = {"BA-Information AsA flex": "asa-flex-ba-information.txt"}
RESERVED = {"id", "sid", "type"}


def field_types(fact_cls: type[Fact]) -> dict[str, type]:
    hints = typing.get_type_hints(fact_cls)
    return {name: hints[name] for name in fact_cls.model_fields if name not in ("file", "line")}


def _kind(tp) -> str:
    if tp is bool:
        return "bool"
    if tp in (int, float):
        return "number"
    if tp is date:
        return "date"
    return "text"


def _normalize(text: str) -> str:
    """Compare quotes across line breaks and hyphenation of the source text."""
    # "Maßnahmeträ-\nger" is a word split at a line end; "Stütz- \nund" keeps its hyphen
    text = re.sub(r"(\w)-\n\s*(?=[a-zäöüß])", r"\1", text)
    text = text.replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def _dehyphen(text: str) -> str:
    return re.sub(r"(\w)- (\w)", r"\1\2", text)


def _source_texts() -> tuple[dict[str, str], list[RuleProblem]]:
    """The source documents' texts; a missing one is a problem (its quotes would go unchecked)."""
    out, missing = {}, []
    for doc, name in SOURCE_FILES.items():
        path = SOURCES_DIR / name
        if path.is_file():
            out[doc] = _normalize(path.read_text(encoding="utf-8"))
        else:
            missing.append(RuleProblem.of(str(path), 0, "rp_source_missing", document=doc))
    return out, missing


def lint_rule(lr: LoadedRule, sources: dict[str, str]) -> list[RuleProblem]:
    rule, name = lr.rule, _display(lr.path)
    problems: list[RuleProblem] = []

    def add(loc: tuple, word: str, /, **values) -> None:
        problems.append(RuleProblem.of(name, lr.line_of(*loc), word, **values))

    if lr.path.stem != rule.id:
        add(("id",), "rp_file_name", file=lr.path.name, id=rule.id)
    fact_cls = FACT_TYPES.get(rule.applies_to)
    if fact_cls is None:
        add(("applies_to",), "rp_unknown_fact_type", type=rule.applies_to, known=", ".join(sorted(FACT_TYPES)))
        return problems
    types = field_types(fact_cls)
    kinds = {f: _kind(tp) for f, tp in types.items()}

    # parameters
    for pname, spec in rule.parameters.items():
        ploc = ("parameters", pname)
        if spec.dated_by is not None:
            if spec.dated_by not in kinds:
                add(ploc + ("dated_by",), "rp_dated_by_unknown", name=pname, field=spec.dated_by, type=rule.applies_to)
            elif kinds[spec.dated_by] != "date":
                add(ploc + ("dated_by",), "rp_dated_by_not_date", name=pname, field=spec.dated_by)
        periods = []
        for i, v in enumerate(spec.values):
            if v.valid_from and v.valid_to and v.valid_from > v.valid_to:
                add(ploc + ("values", i), "rp_valid_from_after_to", name=pname)
            if value_kind(v.value) != value_kind(spec.default):
                add(ploc + ("values", i), "rp_value_type", name=pname, value=repr(v.value))
            periods.append((v.valid_from or date.min, v.valid_to or date.max, i))
        periods.sort()
        for (a1, b1, i1), (a2, b2, i2) in zip(periods, periods[1:]):
            if a2 <= b1:
                add(ploc + ("values", i2), "rp_period_overlap", name=pname, later=i2 + 1, earlier=i1 + 1)

    # condition
    for loc, node in rule.comparisons():
        if node.field not in kinds:
            add(loc + ("field",), "rp_unknown_field", field=node.field, type=rule.applies_to)
            continue
        fk = kinds[node.field]
        operand = node.operand
        values = operand if isinstance(operand, list) else [operand]
        if len(values) > MAX_OR_BRANCHES:
            add(loc + (node.op,), "rp_too_many_values", op=node.op, n=len(values), max=MAX_OR_BRANCHES)
            continue
        for v in values:
            if isinstance(v, ParamRef):
                if v.param not in rule.parameters:
                    add(loc + (node.op,), "rp_unknown_parameter", name=v.param)
                    continue
                default = rule.parameters[v.param].default
                wants_list = node.op in ("in", "not_in")
                if isinstance(default, list) != wants_list:
                    add(loc + (node.op,), "rp_param_must_be_list" if wants_list else "rp_param_must_be_single",
                        name=v.param, op=node.op)
                    continue
                kinds_of = {value_kind(x) for x in default} if wants_list else {value_kind(default)}
                for vk in kinds_of - {fk}:
                    add(loc + (node.op,), "rp_param_kind", field=node.field, kind=_kind_word(fk), name=v.param,
                        holds=_kind_word(vk))
                continue
            elif isinstance(v, FieldRef):
                if v.field not in kinds:
                    add(loc + (node.op,), "rp_unknown_field", field=v.field, type=rule.applies_to)
                    continue
                vk = kinds[v.field]
            else:
                vk = value_kind(v)
            if vk != fk:
                add(loc + (node.op,), "rp_compared_with", field=node.field, kind=_kind_word(fk), other=_kind_word(vk),
                value=repr(v))
        if node.op in ("gt", "gte", "lt", "lte") and fk in ("bool", "text"):
            add(loc + (node.op,), "rp_order_on_kind", op=node.op, kind=_kind_word(fk), field=node.field)
    if not problems:  # what durable_rules is given must be within what it can evaluate
        for where, cond in _compiled(rule):
            why = condition_refusal(cond)
            if why:
                add(where, "rp_engine_refuses", why=why)

    # parameters: named by the condition, or read by the derivation
    named = _params_named(rule)
    for pname, spec in rule.parameters.items():
        ploc = ("parameters", pname)
        if spec.used_by == "condition" and pname not in named:
            add(ploc, "rp_param_not_named", name=pname)
        for word, values in _derived_problems(rule.id, pname, spec):
            add(ploc, word, **values)
        for word, values in _quote_problems(spec.source, sources):
            add(ploc + ("source", "quote"), word, **values)
    for pname in sorted(set(DERIVED.get(rule.id, {})) - set(rule.parameters)):
        add(("parameters",), "rp_derivation_reads_undeclared", name=pname, rule=rule.id)

    # messages and entity
    known = set(kinds) | set(rule.parameters)
    for lang in ("de", "en"):
        for ph in placeholders(getattr(rule.message, lang)):
            if ph not in known:
                add(("message", lang), "rp_message_placeholder", lang=lang, name=ph)
    for k, detail in enumerate(rule.details):
        for lang in ("de", "en"):
            for ph in placeholders(getattr(detail, lang)):
                if ph not in known:
                    add(("details", k, lang), "rp_detail_placeholder", n=k + 1, lang=lang, name=ph)
    de_ph, en_ph = set(placeholders(rule.message.de)), set(placeholders(rule.message.en))
    if de_ph != en_ph:
        add(("message",), "rp_placeholders_differ", names=str(sorted(de_ph ^ en_ph)))
    if rule.location:
        for part in ("file", "line"):
            if getattr(rule.location, part) not in kinds:
                add(("location", part), "rp_unknown_location_field", field=getattr(rule.location, part))
    if rule.entity and rule.entity.field not in kinds:
        add(("entity", "field"), "rp_unknown_entity_field", field=rule.entity.field)

    # examples
    if not any(ex.expect for ex in rule.examples):
        add(("examples",), "rp_no_violating_example")
    if not any(not ex.expect for ex in rule.examples):
        add(("examples",), "rp_no_compliant_example")
    for i, ex in enumerate(rule.examples):
        for p in ex.parameters:
            if p not in rule.parameters:
                add(("examples", i, "parameters"), "rp_example_unknown_parameter", example=ex.name, name=p)
        for j, raw in enumerate(ex.facts):
            data = dict(raw)
            ftype = data.pop("type", rule.applies_to)
            cls = FACT_TYPES.get(ftype)
            if cls is None:
                add(("examples", i, "facts", j), "rp_example_unknown_fact_type", example=ex.name, type=ftype)
                continue
            try:
                cls(**data)
            except ValidationError as exc:
                for err in exc.errors():
                    where = ".".join(str(p) for p in err["loc"])
                    add(("examples", i, "facts", j), "rp_example_invalid", example=ex.name, where=where,
                        **schema_problem(err))

    # source quote must be verbatim in the source document we hold
    for word, values in _quote_problems(rule.source, sources):
        add(("source", "quote"), word, **values)
    return problems


def _kind_word(kind: str) -> Word:
    """``number`` -> the word ``kind_number`` (``Zahl`` in German)."""
    return Word(f"kind_{kind}")


def _quote_problems(source: Source | None, sources: dict[str, str]) -> list[tuple[str, dict]]:
    """(word, values) of the problems of a source quote."""
    text = sources.get(source.document) if source else None
    if text is None:
        return []
    quote = _normalize(source.quote)
    if quote not in text and _dehyphen(quote) not in _dehyphen(text):
        return [("rp_quote_not_found", {"document": source.document})]
    return []


def _params_named(rule) -> set[str]:
    return {node.operand.param for _, node in rule.comparisons() if isinstance(node.operand, ParamRef)}


def _derived_problems(owner: str, name: str, spec: Parameter) -> list[tuple[str, dict]]:
    """(word, values) of the problems of a parameter the derivation reads (or should not declare)."""
    kind = DERIVED.get(owner, {}).get(name)
    if spec.used_by != "derivation" and owner != LEDGER:
        return [("rp_set_used_by_derivation", {"name": name})] if kind else []
    if kind is None:
        return [("rp_derivation_does_not_read", {"name": name})]
    try:
        kind.parse(spec.default)
    except ValueError:
        return [("rp_default_wrong_kind", {"name": name, "default": repr(spec.default), "kind_de": kind.de,
                                           "kind_en": kind.en})]
    return []


def lint_ledger(ledger: LoadedLedger, sources: dict[str, str]) -> list[RuleProblem]:
    """``ledger.yaml``: every parameter the ledger reads, each of its kind, sourced, not dated."""
    name = _display(ledger.path)
    problems = []
    for pname, spec in ledger.parameters.items():
        line = ledger.line_of("parameters", pname)
        for word, values in _derived_problems(LEDGER, pname, spec):
            problems.append(RuleProblem.of(name, line, word, **values))
        if spec.dated_by or spec.values:
            problems.append(RuleProblem.of(name, line, "rp_ledger_param_dated", name=pname))
        for word, values in _quote_problems(spec.source, sources):
            problems.append(RuleProblem.of(name, ledger.line_of("parameters", pname, "source", "quote"), word,
                                           **values))
    for pname in sorted(set(DERIVED[LEDGER]) - set(ledger.parameters)):
        problems.append(RuleProblem.of(name, ledger.line_of("parameters"), "rp_ledger_reads_undeclared", name=pname))
    return problems


def _compiled(rule) -> list[tuple[tuple, dict]]:
    try:
        out = [(("condition",), compile_rule(rule))]
        out += [(("details", int(rid.split("#")[1]), "when"), cond) for rid, cond in compile_details(rule).items()]
    except Exception:  # noqa: BLE001 - the cause is reported by the checks above or by rules test
        return []
    return out


def lint(ruleset: RuleSet) -> list[RuleProblem]:
    sources, missing = _source_texts()
    problems = list(ruleset.problems) + missing
    seen: dict[str, LoadedRule] = {}
    for lr in ruleset.rules:
        if lr.rule.id in seen:
            problems.append(RuleProblem.of(_display(lr.path), lr.line_of("id"), "rp_duplicate_id", id=lr.rule.id,
                                           other=seen[lr.rule.id].path.name))
        seen[lr.rule.id] = lr
        problems.extend(lint_rule(lr, sources))
    if ruleset.ledger is not None:
        problems.extend(lint_ledger(ruleset.ledger, sources))
    return sorted(problems)
