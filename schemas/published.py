"""JSON Schemas that ``asa-check schema report|submission|rule`` prints, generated from the pydantic models.

- ``report``: the JSON report (``schemas/report.py``).
- ``submission``: a bundle's content as one JSON document: ``contract`` as in
  contract.yaml, one object per row of each CSV file (keys are the column
  names), ``invoice`` as in invoice.yaml. Generated from ``schemas/submission.py``
  without what the reader adds (the place a record came from, line numbers).
- ``rule``: one rule file (``rules/*.yaml``), from ``schemas/rule.py``.
"""
from __future__ import annotations

import copy

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# added by the reader, not written by a provider
_READER_FIELDS = {"loc", "index", "parameters_line", "parameter_lines", "minimum_share_line"}
_READER_TOP = {"name", "problems", "unlisted_service_errors"}


def _strip(schema: dict) -> dict:
    schema = copy.deepcopy(schema)
    for name, model in list(schema.get("$defs", {}).items()):
        props = model.get("properties", {})
        for key in _READER_FIELDS & set(props):
            del props[key]
        if "required" in model:
            model["required"] = [r for r in model["required"] if r not in _READER_FIELDS]
        if name == "AccompanyingPhase" and "extensions" in props:
            # contract.yaml: ``extension`` is one period or a list of them
            del props["extensions"]
            props["extension"] = {"anyOf": [{"$ref": "#/$defs/Period"},
                                            {"type": "array", "items": {"$ref": "#/$defs/Period"}}]}
    _times(schema)
    for key in _READER_TOP & set(schema.get("properties", {})):
        del schema["properties"][key]
    schema["required"] = [r for r in schema.get("required", []) if r not in _READER_TOP]
    for unused in ("Loc", "InputProblem"):
        schema.get("$defs", {}).pop(unused, None)
    return schema


TIME = {"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$",
        "description": "time of day, HH:MM (seconds tolerated)"}


def _times(node) -> None:
    """JSON Schema's ``time`` format wants an offset (08:00:00Z); the data contract writes 08:00."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and value.get("format") == "time":
                node[key] = {k: v for k, v in value.items() if k not in ("type", "format")} | TIME
            else:
                _times(value)
    elif isinstance(node, list):
        for item in node:
            _times(item)


def submission_schema() -> dict:
    from schemas.submission import Submission

    schema = _strip(Submission.model_json_schema(by_alias=True))
    schema["title"] = "asa-check submission"
    schema["description"] = ("A submission bundle as one JSON document: contract (contract.yaml), one object per "
                             "row of staff.csv, participants.csv, reference_persons.csv, suspensions.csv, "
                             "services.csv (keys: the column names), invoice (invoice.yaml). Data contract: "
                             "docs/submission-format.md.")
    return {"$schema": DRAFT} | schema


def rule_schema() -> dict:
    from schemas.rule import Rule

    schema = Rule.model_json_schema(by_alias=True)
    schema["title"] = "asa-check rule file"
    return {"$schema": DRAFT} | schema


def report_schema() -> dict:
    from schemas.report import Report

    return {"$schema": DRAFT} | Report.model_json_schema()


SCHEMAS = {"report": report_schema, "submission": submission_schema, "rule": rule_schema}
